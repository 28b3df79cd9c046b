// LISTEN/NOTIFY relay wake between replicas (issue 9, due → delivered): a step on replica A that queues a send
// wakes replica B's relay when it commits (not before, not on rollback), A's own notice is left to its in-memory
// wake, and B's listener survives a lost connection. Real Postgres only: PGlite is one process.
import { openDatabase } from '@parley/db'
import type { TestDatabase } from '@parley/db/testing'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openConversation, upsertContactByIdentity } from '../contacts/contact-repository.ts'
import { queueSend } from '../effects/send.ts'
import { inStepTransaction } from '../engine/step-transaction.ts'
import { createLogger } from '../observability/logger.ts'
import { seedChannel } from '../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { RELAY_WAKE_CHANNEL, RelayWakeListener, relayWakeNotice } from './relay-wake.ts'
import { WakeSignal } from './wake-signal.ts'

const logger = createLogger('silent')

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now()
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const url = process.env.TEST_DATABASE_URL
if (!url) console.warn('[relay-wake.test] TEST_DATABASE_URL is not set: SKIPPING the LISTEN/NOTIFY suite')

describe.skipIf(!url)('relay wake over LISTEN/NOTIFY on real Postgres (two replicas)', () => {
  let a: TestDeps
  let replicaB: TestDatabase
  let listenerA: RelayWakeListener
  let listenerB: RelayWakeListener
  const signalA = new WakeSignal(relayWakeNotice('replica-a'))
  const signalB = new WakeSignal(relayWakeNotice('replica-b'))
  let wokenA = 0
  let wokenB = 0

  beforeAll(async () => {
    a = await createTestDeps('postgres', { relayWake: signalA, instanceId: 'replica-a' })
    // A second pool on the same database stands in for the second runtime replica.
    const options = a.database.pool!.options as { connectionString?: string }
    replicaB = await openDatabase({ url: options.connectionString!, migrate: false })
    listenerA = new RelayWakeListener({
      pool: a.database.pool!,
      signal: signalA,
      instanceId: 'replica-a',
      logger,
    })
    listenerB = new RelayWakeListener({
      pool: replicaB.pool!,
      signal: signalB,
      instanceId: 'replica-b',
      logger,
      reconnectDelayMs: 50,
    })
    await listenerA.start()
    await listenerB.start()
    signalA.subscribe(() => {
      wokenA += 1
    })
    signalB.subscribe(() => {
      wokenB += 1
    })
  }, 120_000)

  afterAll(async () => {
    await listenerA?.close()
    await listenerB?.close()
    await replicaB?.close()
    await a?.close()
  })

  async function queueOne(text: string, options: { rollBack?: boolean } = {}) {
    const { merchantId } = await seedMerchant(a.deps.db)
    const channel = await seedChannel(a.deps.db, merchantId, 'webchat')
    await inStepTransaction(a.deps, async (trx, ctx) => {
      const contact = await upsertContactByIdentity(
        trx,
        merchantId,
        channel.id,
        `visitor-${text}`,
        {},
        ctx.now,
      )
      const conversation = await openConversation(trx, merchantId, contact.id, channel.id, ctx.now)
      const outcome = await queueSend(trx, ctx, {
        merchantId,
        conversationId: conversation.id,
        runId: null,
        nodeId: null,
        message: { text },
        purpose: 'transactional',
        exemption: 'none',
      })
      if (outcome.status !== 'queued') throw new Error('not queued')
      // Still in the transaction: nothing is delivered to B before the commit.
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(wokenB).toBe(wokenBBefore)
      if (options.rollBack) throw new Error('roll back')
    }).catch((error: Error) => {
      if (error.message !== 'roll back') throw error
    })
  }
  let wokenBBefore = 0

  it("wakes the other replica's relay when a step that queued a send commits; the own wake stays in memory", async () => {
    wokenBBefore = wokenB
    const wokenABefore = wokenA
    await queueOne('committed')
    // A's loops are woken by its own commit in memory (afterCommit), once; its LISTEN skips its own notice.
    expect(wokenA).toBe(wokenABefore + 1)
    await until(() => wokenB === wokenBBefore + 1)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(wokenA).toBe(wokenABefore + 1)
    expect(wokenB).toBe(wokenBBefore + 1)
  }, 60_000)

  it('wakes no one for a step that rolled back', async () => {
    wokenBBefore = wokenB
    const wokenABefore = wokenA
    await queueOne('rolled-back', { rollBack: true })
    // A notice sent after it on the same channel arrives: the rolled-back one would have come first.
    await sql`select pg_notify(${RELAY_WAKE_CHANNEL}, 'marker')`.execute(a.deps.db)
    await until(() => wokenB === wokenBBefore + 1 && wokenA === wokenABefore + 1)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect([wokenA, wokenB]).toEqual([wokenABefore + 1, wokenBBefore + 1])
  }, 60_000)

  it('reopens a lost LISTEN connection, wakes once for what it may have missed, and hears notices again', async () => {
    const before = wokenB
    const { rows } = await sql<{ pid: number }>`
      select pid from pg_stat_activity where query = ${`listen ${RELAY_WAKE_CHANNEL}`}
        and pid <> pg_backend_pid()`.execute(replicaB.db)
    expect(rows.length).toBeGreaterThanOrEqual(2)
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where query = ${`listen ${RELAY_WAKE_CHANNEL}`} and pid <> pg_backend_pid()`.execute(replicaB.db)
    await until(() => listenerB.listening && wokenB > before)
    const afterReconnect = wokenB
    await sql`select pg_notify(${RELAY_WAKE_CHANNEL}, 'replica-c')`.execute(a.deps.db)
    await until(() => wokenB === afterReconnect + 1)
  }, 60_000)
})
