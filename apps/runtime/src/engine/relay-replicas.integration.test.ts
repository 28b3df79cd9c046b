// Issue 9 across replicas: two relays on one Postgres drain 60 conversations of 4 sends each at once. Every
// send goes out exactly once, each conversation's in queue order, never two of one conversation in flight.
// Real Postgres only: PGlite is one connection in one process, where SKIP LOCKED never has anything to skip.
import { type Database, openDatabase } from '@parley/db'
import { createTestDatabase, type TestDatabase, testDatabases } from '@parley/db/testing'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChannelAdapter, OutboundPayload, SendResult } from '../channels/types.ts'
import type { RuntimeDeps } from '../deps.ts'
import { queueSend } from '../effects/send.ts'
import { createRuntimeMetrics } from '../observability/metrics.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { openConversation, upsertContactByIdentity } from './contacts.ts'
import { relayOutbox } from './outbox-relay.ts'
import { inStepTransaction } from './step-transaction.ts'

const CONVERSATIONS = 60
const PER_CONVERSATION = 4

const onPostgres = testDatabases().includes('postgres')

/** A provider shared by both replicas: answers after a random delay, tracking sends in flight per shopper. */
class OrderCheckingProvider implements ChannelAdapter {
  readonly kind = 'whatsapp' as const
  readonly received = new Map<string, string[]>()
  readonly inFlight = new Map<string, number>()
  mostInFlight = 0
  async send(_channel: unknown, payload: OutboundPayload): Promise<SendResult> {
    const n = (this.inFlight.get(payload.to) ?? 0) + 1
    this.inFlight.set(payload.to, n)
    this.mostInFlight = Math.max(this.mostInFlight, n)
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 15))
    const texts = this.received.get(payload.to) ?? []
    texts.push((payload.message as { text: string }).text)
    this.received.set(payload.to, texts)
    this.inFlight.set(payload.to, n - 1)
    return { status: 'sent', providerMessageId: `wamid.${payload.messageId}` }
  }
}

describe.runIf(onPostgres)('two relays on one postgres', () => {
  let t: TestDeps
  let replicaDb: Kysely<Database>
  let closeReplica: () => Promise<void>
  const provider = new OrderCheckingProvider()

  beforeAll(async () => {
    const database: TestDatabase = await createTestDatabase('postgres', { poolSize: 6 })
    t = await createTestDeps('postgres', {
      db: database.db,
      dbKind: 'postgres',
      channels: { whatsapp: provider },
    })
    const url = (database.pool as unknown as { options: { connectionString: string } }).options
      .connectionString
    const replica = await openDatabase({ url, migrate: false, poolSize: 6 })
    replicaDb = replica.db
    closeReplica = async () => {
      await replica.close()
      await database.close()
    }
  })
  afterAll(async () => {
    await closeReplica?.()
    await t?.close()
  })

  it('sends each message once, in order per conversation, one at a time', { timeout: 300_000 }, async () => {
    const db = t.deps.db
    const { merchantId } = await seedMerchant(db)
    const channel = await db
      .insertInto('channels')
      // Unpaced, so both replicas have work at once.
      .values({
        merchant_id: merchantId,
        kind: 'whatsapp',
        name: 'wa',
        config: { pacing: { channel: null } },
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await inStepTransaction(t.deps, async (trx, ctx) => {
      for (let i = 0; i < CONVERSATIONS; i++) {
        const contact = await upsertContactByIdentity(
          trx,
          merchantId,
          channel.id,
          `shopper-${i}`,
          {},
          ctx.now,
        )
        const conversation = await openConversation(trx, merchantId, contact.id, channel.id, ctx.now)
        await trx
          .updateTable('conversations')
          .set({ last_inbound_at: new Date(ctx.now) })
          .where('merchant_id', '=', merchantId)
          .where('id', '=', conversation.id)
          .execute()
        for (let k = 0; k < PER_CONVERSATION; k++) {
          await queueSend(trx, ctx, {
            merchantId,
            conversationId: conversation.id,
            runId: null,
            nodeId: null,
            message: { text: String(k) },
            purpose: 'transactional',
            exemption: 'none',
          })
        }
      }
    })

    const replicaA: RuntimeDeps = { ...t.deps, instanceId: 'replica-a', metrics: createRuntimeMetrics() }
    const replicaB: RuntimeDeps = {
      ...t.deps,
      db: replicaDb,
      instanceId: 'replica-b',
      metrics: createRuntimeMetrics(),
    }
    const drain = async (deps: RuntimeDeps) => {
      let sent = 0
      let idle = 0
      while (idle < 5) {
        const r = await relayOutbox(deps, 16)
        sent += r.sent
        idle = r.claimed === 0 ? idle + 1 : 0
        if (r.claimed === 0) await new Promise((resolve) => setTimeout(resolve, 10))
      }
      return sent
    }
    const [a, b] = await Promise.all([drain(replicaA), drain(replicaB)])

    expect(a + b).toBe(CONVERSATIONS * PER_CONVERSATION)
    expect(a).toBeGreaterThan(0)
    expect(b).toBeGreaterThan(0)
    expect(provider.mostInFlight).toBe(1)
    expect(provider.received.size).toBe(CONVERSATIONS)
    const expected = Array.from({ length: PER_CONVERSATION }, (_, k) => String(k))
    for (const texts of provider.received.values()) expect(texts).toEqual(expected)
  })
})
