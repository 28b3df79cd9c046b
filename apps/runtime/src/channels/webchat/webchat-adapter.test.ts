// Web-chat delivery of a batch: every transcript row marked delivered by one statement and announced in one
// realtime call; delivering again (after a crash) keeps the first times; a missing row fails, a database error
// asks for a retry.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queueSend } from '../../effects/send.ts'
import { openConversation, upsertContactByIdentity } from '../../engine/contacts.ts'
import { inStepTransaction } from '../../engine/step-transaction.ts'
import { InProcessRealtime, type RealtimeEvent } from '../../realtime/realtime.ts'
import { seedChannel } from '../../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../../testing/test-deps.ts'
import type { ChannelSend } from '../types.ts'
import { createWebchatAdapter } from './webchat-adapter.ts'

class RecordingRealtime extends InProcessRealtime {
  batches: RealtimeEvent[][] = []
  override async publishMany(events: readonly RealtimeEvent[]): Promise<void> {
    this.batches.push([...events])
  }
}

describe.each(testDatabases())('web-chat adapter on %s', (kind) => {
  let t: TestDeps
  const realtime = new RecordingRealtime()
  beforeAll(async () => {
    t = await createTestDeps(kind, { realtime })
  })
  afterAll(() => t.close())

  /** `n` queued replies to `n` visitors of one web-chat channel, as the relay would hand them over. */
  async function queuedSends(n: number): Promise<ChannelSend[]> {
    const db = t.deps.db
    const { merchantId } = await seedMerchant(db)
    const channel = await seedChannel(db, merchantId, 'webchat')
    const sends: ChannelSend[] = []
    for (let i = 0; i < n; i++) {
      const messageId = await inStepTransaction(t.deps, async (trx, ctx) => {
        const contact = await upsertContactByIdentity(
          trx,
          merchantId,
          channel.id,
          `visitor-${i}`,
          {},
          ctx.now,
        )
        const conversation = await openConversation(trx, merchantId, contact.id, channel.id, ctx.now)
        const outcome = await queueSend(trx, ctx, {
          merchantId,
          conversationId: conversation.id,
          runId: null,
          nodeId: null,
          message: { text: `Reply ${i}` },
          purpose: 'transactional',
          exemption: 'none',
        })
        return outcome.messageId!
      })
      sends.push({ channel, payload: { to: `visitor-${i}`, message: { text: `Reply ${i}` }, messageId } })
    }
    return sends
  }

  const messages = (sends: ChannelSend[]) =>
    t.deps.db
      .selectFrom('messages')
      .selectAll()
      .where(
        'id',
        'in',
        sends.map((s) => s.payload.messageId),
      )
      .execute()

  it('delivers a batch in one call and announces it in one realtime call; again keeps the first times', async () => {
    const adapter = createWebchatAdapter(t.deps)
    const sends = await queuedSends(3)
    realtime.batches.length = 0

    const results = await adapter.sendMany!(sends)
    expect(results).toEqual(
      sends.map((s) => ({ status: 'sent', providerMessageId: `webchat:${s.payload.messageId}` })),
    )
    expect(realtime.batches).toHaveLength(1)
    expect(realtime.batches[0]!.map((e) => e.id)).toEqual(sends.map((s) => s.payload.messageId))
    const first = await messages(sends)
    for (const row of first) {
      expect(row).toMatchObject({ status: 'delivered', provider_message_id: `webchat:${row.id}` })
      expect(row.delivered_at?.getTime()).toBe(t.clock.now())
    }

    // The relay died before recording, and sends the same messages again later.
    t.clock.advance(60_000)
    expect(await adapter.sendMany!(sends)).toEqual(results)
    const again = await messages(sends)
    for (const row of again) {
      const before = first.find((r) => r.id === row.id)!
      expect(row.sent_at).toEqual(before.sent_at)
      expect(row.delivered_at).toEqual(before.delivered_at)
    }
  })

  it('fails only the send whose transcript row is gone; `send` is a batch of one', async () => {
    const adapter = createWebchatAdapter(t.deps)
    const [kept, gone] = await queuedSends(2)
    await t.deps.db.deleteFrom('outbox').where('message_id', '=', gone!.payload.messageId).execute()
    await t.deps.db.deleteFrom('messages').where('id', '=', gone!.payload.messageId).execute()
    const results = await adapter.sendMany!([kept!, gone!])
    expect(results[0]!.status).toBe('sent')
    expect(results[1]).toEqual({
      status: 'failed',
      error: `transcript message ${gone!.payload.messageId} not found`,
    })
    expect(await adapter.send(kept!.channel, kept!.payload)).toEqual(results[0])
    expect(await adapter.sendMany!([])).toEqual([])
  })

  it('asks for a retry of the whole batch when the database fails', async () => {
    const sends = await queuedSends(2)
    const broken = createWebchatAdapter({
      ...t.deps,
      db: {
        updateTable: () => {
          throw new Error('connection lost')
        },
      } as never,
    })
    expect(await broken.sendMany!(sends)).toEqual([
      { status: 'retry', error: 'connection lost' },
      { status: 'retry', error: 'connection lost' },
    ])
  })
})
