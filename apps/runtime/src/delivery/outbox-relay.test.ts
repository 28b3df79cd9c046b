// The outbox relay's delivery semantics with a fake adapter: retry only on `retry` (with backoff), `unknown`
// never resent, `failed` final, an expired lease settles as `unknown` (but web chat, idempotent on the message
// id, is sent again exactly once), gave-up after the attempt limit; a batch's mixed outcomes recorded in one
// pass, and a batch's statements independent of its size.
import type { ChannelKind, Database } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChannelAdapter, OutboundPayload, SendResult } from '../channels/types.ts'
import { createWebchatAdapter } from '../channels/webchat/webchat-adapter.ts'
import { openConversation, upsertContactByIdentity } from '../contacts/contact-repository.ts'
import { queueSend } from '../effects/send.ts'
import { inStepTransaction } from '../engine/step-transaction.ts'
import { createLogger } from '../observability/logger.ts'
import { PgRealtime } from '../realtime/pg-realtime.ts'
import { InProcessRealtime, type RealtimeEvent } from '../realtime/realtime.ts'
import { RecordingAdapter, seedChannel } from '../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { MAX_SEND_ATTEMPTS, relayOutbox, retryDelayMs, settleExpiredLeases } from './outbox-relay.ts'

describe.each(testDatabases())('outbox relay on %s', (kind) => {
  let t: TestDeps
  const adapter = new RecordingAdapter('webchat')
  beforeAll(async () => {
    t = await createTestDeps(kind, { channels: { webchat: adapter } })
  })
  afterAll(() => t.close())

  /** One queued service message to a fresh visitor; returns how to read its rows and its sends. */
  async function queued(on: TestDeps = t, channelKind: ChannelKind = 'webchat') {
    const db = on.deps.db
    const { merchantId } = await seedMerchant(db)
    const channel = await seedChannel(db, merchantId, channelKind)
    const visitor = `visitor-${merchantId}`
    const { messageId } = await inStepTransaction(on.deps, async (trx, ctx) => {
      const contact = await upsertContactByIdentity(trx, merchantId, channel.id, visitor, {}, ctx.now)
      const conversation = await openConversation(trx, merchantId, contact.id, channel.id, ctx.now)
      // The shopper just wrote: inside WhatsApp's 24-hour window, so a free-form send is queued.
      await trx
        .updateTable('conversations')
        .set({ last_inbound_at: new Date(ctx.now) })
        .where('id', '=', conversation.id)
        .execute()
      const outcome = await queueSend(trx, ctx, {
        merchantId,
        conversationId: conversation.id,
        runId: null,
        nodeId: null,
        message: { text: 'Your order shipped' },
        purpose: 'transactional',
        exemption: 'none',
      })
      if (outcome.status !== 'queued') throw new Error('not queued')
      return outcome
    })
    const rows = async () => ({
      outbox: await db
        .selectFrom('outbox')
        .selectAll()
        .where('message_id', '=', messageId)
        .executeTakeFirstOrThrow(),
      message: await db
        .selectFrom('messages')
        .selectAll()
        .where('id', '=', messageId)
        .executeTakeFirstOrThrow(),
    })
    const sends = () => adapter.sends.filter((s) => s.payload.messageId === messageId).length
    return { rows, sends, messageId }
  }

  it('sends once and records the provider id', async () => {
    const q = await queued()
    await relayOutbox(t.deps)
    const { outbox, message } = await q.rows()
    expect(outbox).toMatchObject({ status: 'sent', attempts: 1 })
    expect(outbox.provider_message_id).toMatch(/^provider-/)
    expect(message).toMatchObject({ status: 'sent', provider_message_id: outbox.provider_message_id })
    await relayOutbox(t.deps)
    expect(q.sends()).toBe(1)
  })

  it('retries a `retry` after its backoff (or the retry-after), then sends', async () => {
    const q = await queued()
    adapter.results.push({ status: 'retry', error: '429', retryAfterMs: 5000 })
    await relayOutbox(t.deps)
    expect((await q.rows()).outbox).toMatchObject({ status: 'pending', attempts: 1, last_error: '429' })
    await relayOutbox(t.deps)
    expect(q.sends()).toBe(1)
    t.clock.advance(5000)
    await relayOutbox(t.deps)
    expect(q.sends()).toBe(2)
    expect((await q.rows()).outbox).toMatchObject({ status: 'sent', attempts: 2 })
  })

  it('never resends an `unknown`', async () => {
    const q = await queued()
    adapter.results.push({ status: 'unknown', error: 'timeout after write' })
    await relayOutbox(t.deps)
    t.clock.advance(60 * 60_000)
    await relayOutbox(t.deps)
    expect(q.sends()).toBe(1)
    const { outbox, message } = await q.rows()
    expect(outbox.status).toBe('unknown')
    expect(message.status).toBe('unknown')
  })

  it('records `failed` as final', async () => {
    const q = await queued()
    adapter.results.push({ status: 'failed', error: 'recipient blocked us' })
    await relayOutbox(t.deps)
    t.clock.advance(60 * 60_000)
    await relayOutbox(t.deps)
    expect(q.sends()).toBe(1)
    expect((await q.rows()).message).toMatchObject({ status: 'failed', error: 'recipient blocked us' })
  })

  it('gives up after the attempt limit', async () => {
    const q = await queued()
    for (let i = 0; i < MAX_SEND_ATTEMPTS; i++)
      adapter.results.push({ status: 'retry', error: 'connection refused' })
    for (let i = 0; i < MAX_SEND_ATTEMPTS; i++) {
      await relayOutbox(t.deps)
      // The longest the jittered backoff can be.
      t.clock.advance(retryDelayMs(i + 1, undefined, () => 1))
    }
    expect(q.sends()).toBe(MAX_SEND_ATTEMPTS)
    expect((await q.rows()).outbox.status).toBe('failed')
  })

  /** As if a relay claimed the send, then died before recording the provider's answer. */
  async function expireLease(on: TestDeps, messageId: string) {
    await on.deps.db
      .updateTable('outbox')
      .set({
        status: 'sending',
        locked_until: new Date(Date.now() - 1000),
        locked_by: 'dead-replica',
        attempts: 1,
      })
      .where('message_id', '=', messageId)
      .execute()
  }

  it('settles a send whose lease ran out (process died mid-call) as unknown, never resent', async () => {
    const q = await queued()
    await expireLease(t, q.messageId)
    expect(await settleExpiredLeases(t.deps)).toBeGreaterThanOrEqual(1)
    await relayOutbox(t.deps)
    expect(q.sends()).toBe(0)
    const { outbox, message } = await q.rows()
    expect(outbox.status).toBe('unknown')
    expect(message.status).toBe('unknown')
  })

  describe('with the real web-chat adapter and a WhatsApp provider', () => {
    let c: TestDeps
    const whatsapp = new RecordingAdapter('whatsapp')
    const webchatSends: string[] = []
    beforeAll(async () => {
      c = await createTestDeps(kind, { channels: { whatsapp } })
      // The relay's own web-chat path (sends queued behind a waiting one): without in-step delivery
      // (delivery/in-step-delivery.ts) every web-chat send goes through it.
      const { inStepDelivery: _, ...webchat } = createWebchatAdapter(c.deps)
      c.deps.channels.webchat = {
        ...webchat,
        send: (channel, payload) => {
          webchatSends.push(payload.messageId)
          return webchat.send(channel, payload)
        },
        sendMany: (sends) => {
          webchatSends.push(...sends.map((s) => s.payload.messageId))
          return webchat.sendMany!(sends)
        },
      }
    })
    afterAll(() => c.close())

    it('sends an expired web-chat lease again exactly once; an expired WhatsApp one becomes unknown', async () => {
      const web = await queued(c, 'webchat')
      const wa = await queued(c, 'whatsapp')
      await expireLease(c, web.messageId)
      await expireLease(c, wa.messageId)

      expect(await relayOutbox(c.deps)).toMatchObject({ claimed: 1, sent: 1, unknown: 1 })
      c.clock.advance(60 * 60_000)
      await relayOutbox(c.deps)

      expect(webchatSends.filter((id) => id === web.messageId)).toHaveLength(1)
      const webRows = await web.rows()
      expect(webRows.outbox).toMatchObject({ status: 'sent', attempts: 2, locked_until: null })
      expect(webRows.message.status).toBe('delivered')
      const transcript = await c.deps.db
        .selectFrom('messages')
        .select('id')
        .where('conversation_id', '=', webRows.message.conversation_id)
        .execute()
      expect(transcript).toHaveLength(1)

      expect(whatsapp.sends.filter((s) => s.payload.messageId === wa.messageId)).toHaveLength(0)
      const waRows = await wa.rows()
      expect(waRows.outbox.status).toBe('unknown')
      expect(waRows.message.status).toBe('unknown')
    })
  })

  /** `texts.length` queued service messages of one merchant on one channel, each to its own shopper. */
  async function queuedBatch(on: TestDeps, channelKind: ChannelKind, texts: string[]) {
    const db = on.deps.db
    const { merchantId } = await seedMerchant(db)
    const channel = await seedChannel(db, merchantId, channelKind)
    for (const [i, text] of texts.entries()) {
      await inStepTransaction(on.deps, async (trx, ctx) => {
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
          .where('id', '=', conversation.id)
          .execute()
        await queueSend(trx, ctx, {
          merchantId,
          conversationId: conversation.id,
          runId: null,
          nodeId: null,
          message: { text },
          purpose: 'transactional',
          exemption: 'none',
        })
      })
    }
    /** The outbox row and transcript row of the message with this text. */
    return async (text: string) => {
      const message = await db
        .selectFrom('messages')
        .selectAll()
        .where('merchant_id', '=', merchantId)
        .where(sql<string>`body->>'text'`, '=', text)
        .executeTakeFirstOrThrow()
      const outbox = await db
        .selectFrom('outbox')
        .selectAll()
        .where('message_id', '=', message.id)
        .executeTakeFirstOrThrow()
      return { message, outbox }
    }
  }

  describe('a batch of sends', () => {
    /** A provider answering by message text, counting how many of its calls were in flight at once. */
    class ScriptedProvider implements ChannelAdapter {
      readonly kind = 'whatsapp' as const
      inFlight = 0
      mostInFlight = 0
      calls: string[] = []
      constructor(readonly answers: Record<string, SendResult>) {}
      async send(_channel: unknown, payload: OutboundPayload): Promise<SendResult> {
        const text = (payload.message as { text: string }).text
        this.calls.push(text)
        this.inFlight += 1
        this.mostInFlight = Math.max(this.mostInFlight, this.inFlight)
        await new Promise((resolve) => setTimeout(resolve, 20))
        this.inFlight -= 1
        const answer = this.answers[text]
        if (!answer) throw new Error('socket hang up after write')
        return answer
      }
    }

    it('calls the provider once per message, concurrently, and records mixed outcomes in one pass', async () => {
      const provider = new ScriptedProvider({
        sent: { status: 'sent', providerMessageId: 'wamid.sent' },
        retry: { status: 'retry', error: '429', retryAfterMs: 30_000 },
        failed: { status: 'failed', error: 'recipient blocked us' },
        unknown: { status: 'unknown', error: 'timeout after write' },
      })
      const p = await createTestDeps(kind, { channels: { whatsapp: provider } })
      try {
        const row = await queuedBatch(p, 'whatsapp', ['sent', 'retry', 'failed', 'unknown', 'throws'])
        const notices: RealtimeEvent[] = []
        p.deps.realtime.subscribe((event) => notices.push(event))

        expect(await relayOutbox(p.deps)).toMatchObject({
          claimed: 5,
          sent: 1,
          retried: 1,
          failed: 1,
          unknown: 2,
        })
        expect(provider.calls.sort()).toEqual(['failed', 'retry', 'sent', 'throws', 'unknown'])
        expect(provider.mostInFlight).toBe(5)

        const sent = await row('sent')
        expect(sent.outbox).toMatchObject({ status: 'sent', attempts: 1, provider_message_id: 'wamid.sent' })
        expect(sent.message).toMatchObject({ status: 'sent', provider_message_id: 'wamid.sent' })
        const retry = await row('retry')
        expect(retry.outbox).toMatchObject({
          status: 'pending',
          attempts: 1,
          last_error: '429',
          locked_by: null,
        })
        expect(retry.outbox.next_attempt_at.getTime()).toBe(p.clock.now() + 30_000)
        expect(retry.message.status).toBe('queued')
        expect((await row('failed')).message).toMatchObject({
          status: 'failed',
          error: 'recipient blocked us',
        })
        expect((await row('unknown')).outbox).toMatchObject({
          status: 'unknown',
          last_error: 'timeout after write',
        })
        expect((await row('throws')).message).toMatchObject({
          status: 'unknown',
          error: 'socket hang up after write',
        })
        // One notice per transcript row that changed; the retried one did not.
        expect(notices.map((n) => n.id).sort()).toEqual(
          [
            sent.message.id,
            (await row('failed')).message.id,
            (await row('unknown')).message.id,
            (await row('throws')).message.id,
          ].sort(),
        )

        // Only the retry goes out again, after its retry-after.
        p.clock.advance(30_000)
        provider.answers.retry = { status: 'sent', providerMessageId: 'wamid.retry' }
        expect(await relayOutbox(p.deps)).toMatchObject({ claimed: 1, sent: 1 })
        expect((await row('retry')).outbox).toMatchObject({ status: 'sent', attempts: 2 })
      } finally {
        await p.close()
      }
    })

    it('costs the same few statements for one web-chat message as for twenty', async () => {
      const w = await createTestDeps(kind)
      try {
        const statements: string[] = []
        const { pglite, pool } = w.database
        w.deps.db = new Kysely<Database>({
          dialect: pglite ? new PGliteDialect({ pglite }) : new PostgresDialect({ pool: pool! }),
          log: (event) => {
            if (event.level === 'query') statements.push(event.query.sql)
          },
        })
        // On Postgres a notice is a statement too; in-process, count the calls that would be.
        let publishes = 0
        w.deps.realtime = pool
          ? new PgRealtime({ db: w.deps.db, pool, logger: createLogger('silent') })
          : new (class extends InProcessRealtime {
              override async publishMany(events: readonly RealtimeEvent[]) {
                publishes += 1
                await super.publishMany(events)
              }
            })()
        // The relay's web-chat path: every send queued, none delivered in the step (in-step-delivery.ts).
        const { inStepDelivery: _, ...webchat } = createWebchatAdapter(w.deps)
        w.deps.channels.webchat = webchat
        const roundTrips = async (n: number) => {
          await queuedBatch(
            w,
            'webchat',
            Array.from({ length: n }, (_, i) => `hello ${n}-${i}`),
          )
          statements.length = 0
          publishes = 0
          expect(await relayOutbox(w.deps)).toMatchObject({ claimed: n, sent: n })
          return statements.length + publishes
        }
        const one = await roundTrips(1)
        expect(await roundTrips(20)).toBe(one)
        // Leases, claim (the lanes, then their sends, with the targets' reads), delivery + its notice, and the
        // outcomes: about a dozen in all.
        expect(one).toBeLessThanOrEqual(15)
      } finally {
        await w.close()
      }
    })
  })

  it('backs off exponentially with jitter, capped at five minutes; a longer retry-after wins', () => {
    const longest = (n: number, after?: number) => retryDelayMs(n, after, () => 1)
    const shortest = (n: number, after?: number) => retryDelayMs(n, after, () => 0)
    expect([1, 2, 3, 4].map((n) => longest(n))).toEqual([1000, 2000, 4000, 8000])
    expect([1, 2, 3, 4].map((n) => shortest(n))).toEqual([500, 1000, 2000, 4000])
    expect(longest(20)).toBe(5 * 60_000)
    expect(shortest(1, 30_000)).toBe(30_000)
    expect(longest(1, 30_000)).toBe(30_000)
  })
})
