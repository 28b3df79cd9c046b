// Recording a batch of provider answers: the outcome decided per row (backoff, giving up), then every row of a
// mixed batch written by one statement with the guards of a single send (only rows still sending or unknown,
// only transcript rows not yet moved on by a receipt).
import type { OutboxEntry } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openConversation, upsertContactByIdentity } from '../contacts/contact-repository.ts'
import { queueSend } from '../effects/send.ts'
import { inStepTransaction } from '../engine/step-transaction.ts'
import { seedChannel } from '../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { decideOutcome, MAX_SEND_ATTEMPTS, recordSendOutcomes } from './outbox-outcomes.ts'

describe('decideOutcome', () => {
  const row = { merchant_id: 'm', id: 'o', message_id: 'x', conversation_id: 'c', attempts: 3 }

  it('keeps sent, failed and unknown as the provider said', () => {
    const sent = { status: 'sent', providerMessageId: 'p1' } as const
    expect(decideOutcome(row, sent, 0)).toEqual({ row, result: sent })
    expect(decideOutcome(row, { status: 'unknown', error: 'timeout' }, 0).retryAt).toBeUndefined()
  })

  it('schedules a retry after its backoff or the provider’s retry-after, whichever is longer', () => {
    // Third attempt: a 4 s step, jittered into [2 s, 4 s] (time/backoff.ts).
    for (let i = 0; i < 50; i++) {
      const retryAt = decideOutcome(row, { status: 'retry', error: '503' }, 10_000).retryAt!
      expect(retryAt).toBeGreaterThanOrEqual(12_000)
      expect(retryAt).toBeLessThanOrEqual(14_000)
    }
    expect(decideOutcome(row, { status: 'retry', error: '429', retryAfterMs: 60_000 }, 0).retryAt).toBe(
      60_000,
    )
  })

  it('gives a retry up as failed at the attempt limit', () => {
    const last = { ...row, attempts: MAX_SEND_ATTEMPTS }
    expect(decideOutcome(last, { status: 'retry', error: 'refused' }, 0)).toEqual({
      row: last,
      result: { status: 'failed', error: `Gave up after ${MAX_SEND_ATTEMPTS} attempts: refused` },
    })
  })
})

describe.each(testDatabases())('recordSendOutcomes on %s', (kind) => {
  let t: TestDeps
  beforeAll(async () => {
    t = await createTestDeps(kind)
  })
  afterAll(() => t.close())

  /** `n` queued WhatsApp sends of one merchant, each to its own shopper, claimed (sending, attempt 1). */
  async function claimedSends(n: number): Promise<OutboxEntry[]> {
    const db = t.deps.db
    const { merchantId } = await seedMerchant(db)
    const channel = await seedChannel(db, merchantId, 'whatsapp')
    for (let i = 0; i < n; i++) {
      await inStepTransaction(t.deps, async (trx, ctx) => {
        const contact = await upsertContactByIdentity(trx, merchantId, channel.id, `4917000${i}`, {}, ctx.now)
        const conversation = await openConversation(trx, merchantId, contact.id, channel.id, ctx.now)
        await trx
          .updateTable('conversations')
          .set({ last_inbound_at: new Date(ctx.now) })
          .where('id', '=', conversation.id)
          .execute()
        await queueSend(trx, ctx, {
          merchantId,
          conversationId: conversation.id,
          runId: null,
          nodeId: null,
          message: { text: `Message ${i}` },
          purpose: 'transactional',
          exemption: 'none',
        })
      })
    }
    return db
      .updateTable('outbox')
      .set({
        status: 'sending',
        attempts: 1,
        locked_by: 'relay-1',
        locked_until: new Date(Date.now() + 60_000),
      })
      .where('merchant_id', '=', merchantId)
      .returningAll()
      .execute()
  }

  async function read(row: OutboxEntry) {
    const db = t.deps.db
    return {
      outbox: await db.selectFrom('outbox').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow(),
      message: await db
        .selectFrom('messages')
        .selectAll()
        .where('id', '=', row.message_id!)
        .executeTakeFirstOrThrow(),
      conversation: await db
        .selectFrom('conversations')
        .selectAll()
        .where('id', '=', row.conversation_id)
        .executeTakeFirstOrThrow(),
    }
  }

  it('writes sent, retry, failed and unknown rows of one batch, each as a lone send would', async () => {
    const [sent, retry, failed, unknown] = await claimedSends(4)
    const now = t.clock.now() + 5000
    const changed = await recordSendOutcomes(
      t.deps.db,
      [
        decideOutcome(sent!, { status: 'sent', providerMessageId: 'wamid.1' }, now),
        decideOutcome(retry!, { status: 'retry', error: '429', retryAfterMs: 30_000 }, now),
        decideOutcome(failed!, { status: 'failed', error: 'recipient blocked us' }, now),
        decideOutcome(unknown!, { status: 'unknown', error: 'timeout after write' }, now),
      ],
      now,
    )

    const s = await read(sent!)
    expect(s.outbox).toMatchObject({
      status: 'sent',
      provider_message_id: 'wamid.1',
      locked_until: null,
      locked_by: 'relay-1',
      last_error: null,
    })
    expect(s.outbox.sent_at?.getTime()).toBe(now)
    expect(s.message).toMatchObject({ status: 'sent', provider_message_id: 'wamid.1', error: null })
    expect(s.message.sent_at?.getTime()).toBe(now)
    expect(s.conversation.last_message_at?.getTime()).toBe(now)

    const r = await read(retry!)
    expect(r.outbox).toMatchObject({
      status: 'pending',
      last_error: '429',
      locked_until: null,
      locked_by: null,
    })
    expect(r.outbox.next_attempt_at.getTime()).toBe(now + 30_000)
    expect(r.outbox.sent_at).toBeNull()
    expect(r.message.status).toBe('queued')
    expect(r.conversation.last_message_at?.getTime()).not.toBe(now)

    const f = await read(failed!)
    expect(f.outbox).toMatchObject({
      status: 'failed',
      last_error: 'recipient blocked us',
      locked_until: null,
    })
    expect(f.message).toMatchObject({ status: 'failed', error: 'recipient blocked us', sent_at: null })
    expect(f.conversation.last_message_at?.getTime()).not.toBe(now)

    const u = await read(unknown!)
    expect(u.outbox).toMatchObject({
      status: 'unknown',
      last_error: 'timeout after write',
      locked_until: null,
    })
    expect(u.message).toMatchObject({ status: 'unknown', error: 'timeout after write' })

    // The retry left its transcript row as it was: no notice for it.
    expect(changed.map((m) => m.id).sort()).toEqual(
      [sent!.message_id, failed!.message_id, unknown!.message_id].sort(),
    )
    expect(changed.find((m) => m.id === sent!.message_id)?.conversation_id).toBe(sent!.conversation_id)
  })

  it('leaves rows no longer sending, and transcript rows a receipt moved on, as they are', async () => {
    const [settled, receipted] = await claimedSends(2)
    const db = t.deps.db
    // Settled meanwhile (e.g. by another relay after a lease ran out); a receipt already said "delivered".
    await db
      .updateTable('outbox')
      .set({ status: 'failed', last_error: 'earlier' })
      .where('id', '=', settled!.id)
      .execute()
    await db
      .updateTable('messages')
      .set({ status: 'delivered' })
      .where('id', '=', receipted!.message_id!)
      .execute()
    const now = t.clock.now()
    const changed = await recordSendOutcomes(
      db,
      [
        decideOutcome(settled!, { status: 'retry', error: '503' }, now),
        decideOutcome(receipted!, { status: 'sent', providerMessageId: 'wamid.2' }, now),
      ],
      now,
    )
    expect((await read(settled!)).outbox).toMatchObject({ status: 'failed', last_error: 'earlier' })
    const r = await read(receipted!)
    expect(r.outbox).toMatchObject({ status: 'sent', provider_message_id: 'wamid.2' })
    expect(r.message).toMatchObject({ status: 'delivered', provider_message_id: null })
    expect(changed).toEqual([])
    expect(await recordSendOutcomes(db, [], now)).toEqual([])
  })
})
