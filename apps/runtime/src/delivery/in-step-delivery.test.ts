// Web-chat sends delivered in the step's own transaction (in-step-delivery.ts): the transcript row written
// delivered with no outbox row, on the inbound and the timer path alike; the conversation moved up, links
// redirected, the realtime notice after commit; and queued as before, in order, behind a send that waits.
import type { Database } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { edge, node } from '@parley/flow/test-support'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InboundMessage } from '../channels/types.ts'
import { createWebchatAdapter } from '../channels/webchat/webchat-adapter.ts'
import { loadConfig } from '../config.ts'
import { processInboundMessage } from '../engine/inbound.ts'
import { fireDueTimers } from '../engine/timer-poller.ts'
import { metricValue } from '../observability/metrics.ts'
import type { RealtimeEvent } from '../realtime/realtime.ts'
import { echoFlow, insertRetryingSend, publishFlowDocument, seedChannel } from '../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { relayOutbox } from './outbox-relay.ts'

const HOUR = 3_600_000

/** Any message → wait for the next → a marketing offer, then a service thank-you → end. */
const offerFlow = {
  version: 1,
  name: 'Offer',
  nodes: [
    node('start', 'trigger-message', { match: 'any', keywords: [] }),
    node('wait', 'wait-for-reply', { branches: [], timeout: null }),
    node('offer', 'send-message', { text: '10% off today', purpose: 'marketing' }),
    node('thanks', 'send-message', { text: 'Thanks for writing' }),
    node('done', 'end', { outcome: 'offered' }),
  ],
  edges: [
    edge('start', 'wait'),
    edge('wait', 'offer', 'anything'),
    edge('offer', 'thanks'),
    edge('thanks', 'done'),
  ],
}

/** Any message → 1 h → a reminder with a link → end. */
const reminderFlow = {
  version: 1,
  name: 'Reminder',
  nodes: [
    node('start', 'trigger-message', { match: 'any', keywords: [] }),
    node('wait', 'delay', { mode: 'duration', duration: { amount: 1, unit: 'hours' } }),
    node('remind', 'send-message', { text: 'Your cart: https://shop.example/cart/1.' }),
    node('done', 'end', { outcome: 'reminded' }),
  ],
  edges: [edge('start', 'wait'), edge('wait', 'remind'), edge('remind', 'done')],
}

describe.each(testDatabases())('sends delivered in the step on %s', (kind) => {
  let t: TestDeps
  let db: Kysely<Database>
  const published: RealtimeEvent[] = []
  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://parley.example' })
    t = await createTestDeps(kind, { config })
    t.deps.channels.webchat = createWebchatAdapter(t.deps)
    t.deps.realtime.subscribe((event) => published.push(event))
    db = t.deps.db
  }, 120_000)
  afterAll(() => t.close())

  async function setUp(flow: unknown) {
    const { merchantId } = await seedMerchant(db)
    const channel = await seedChannel(db, merchantId, 'webchat')
    await publishFlowDocument(db, merchantId, flow)
    let n = 0
    const say = (text: string): InboundMessage => {
      t.clock.advance(1000)
      return {
        merchantId,
        channelId: channel.id,
        externalId: `m-${merchantId}-${++n}`,
        sender: { externalId: `visitor-${merchantId}`, name: 'Ada' },
        text,
      }
    }
    const outbound = () =>
      db
        .selectFrom('messages')
        .select(['id', 'body', 'status', 'provider_message_id', 'sent_at', 'delivered_at'])
        .where('merchant_id', '=', merchantId)
        .where('direction', '=', 'out')
        .orderBy('seq')
        .execute()
    const outbox = () =>
      db
        .selectFrom('outbox')
        .select(['message_id', 'status'])
        .where('merchant_id', '=', merchantId)
        .orderBy('seq')
        .execute()
    return { merchantId, channel, say, outbound, outbox }
  }

  it('writes an inbound reply delivered, with no outbox row, moves the conversation up and tells the socket after commit', async () => {
    const { merchantId, say, outbound, outbox } = await setUp(echoFlow)
    const sentBefore = await metricValue(t.deps.metrics.outboxSent, { channel: 'webchat' })
    const result = await processInboundMessage(t.deps, say('hello'))
    const now = new Date(t.clock.now())
    const [reply] = await outbound()
    expect(reply).toMatchObject({
      body: { text: 'You said: hello' },
      status: 'delivered',
      provider_message_id: `webchat:${reply?.id}`,
      sent_at: now,
      delivered_at: now,
    })
    expect(await outbox()).toEqual([])
    expect(published).toContainEqual({
      merchantId,
      conversationId: result.conversationId,
      kind: 'message',
      id: reply?.id,
    })
    const conversation = await db
      .selectFrom('conversations')
      .select('last_message_at')
      .where('merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow()
    expect(conversation.last_message_at).toEqual(now)
    expect(await metricValue(t.deps.metrics.outboxSent, { channel: 'webchat' })).toBe(sentBefore + 1)
    // Nothing left for the relay.
    expect((await relayOutbox(t.deps)).claimed).toBe(0)
  })

  it('queues a reply behind an earlier send of the conversation that still waits, and the relay keeps the order', async () => {
    const { merchantId, say, outbound, outbox } = await setUp(echoFlow)
    const first = await processInboundMessage(t.deps, say('hello'))
    // An earlier send waiting out a retry (the relay's head-of-line rule holds the conversation behind it).
    const contact = await db
      .selectFrom('contacts')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow()
    const channelId = (
      await db
        .selectFrom('channels')
        .select('id')
        .where('merchant_id', '=', merchantId)
        .executeTakeFirstOrThrow()
    ).id
    await insertRetryingSend(
      db,
      {
        merchantId,
        conversationId: first.conversationId as string,
        contactId: contact.id,
        channelId,
        to: `visitor-${merchantId}`,
      },
      'Sent late',
      new Date(t.clock.now()),
    )

    await processInboundMessage(t.deps, say('more'))
    expect((await outbound()).map((m) => [m.body, m.status])).toEqual([
      [{ text: 'You said: hello' }, 'delivered'],
      [{ text: 'Sent late' }, 'queued'],
      [{ text: 'And then: more' }, 'queued'],
    ])
    expect((await outbox()).map((o) => o.status)).toEqual(['pending', 'pending'])
    // Once the retry is due, the relay sends both, one at a time in transcript order.
    t.clock.advance(120_000)
    expect((await relayOutbox(t.deps)).sent).toBe(1)
    expect((await outbound()).map((m) => m.status)).toEqual(['delivered', 'delivered', 'queued'])
    expect((await relayOutbox(t.deps)).sent).toBe(1)
    expect((await outbound()).map((m) => m.status)).toEqual(['delivered', 'delivered', 'delivered'])
  })

  it('queues a send deferred by quiet hours, and the next send of the same step behind it', async () => {
    const { merchantId, say, outbound, outbox } = await setUp(offerFlow)
    await processInboundMessage(t.deps, say('hello'))
    await db
      .updateTable('contacts')
      .set({ marketing_consent: true })
      .where('merchant_id', '=', merchantId)
      .execute()
    // Quiet all day but the last minute: the offer waits until then.
    await db
      .updateTable('merchants')
      .set({ quiet_hours_start_minute: 0, quiet_hours_end_minute: 1439 })
      .where('id', '=', merchantId)
      .execute()
    await processInboundMessage(t.deps, say('ok'))
    expect((await outbound()).map((m) => [m.body, m.status])).toEqual([
      [{ text: '10% off today' }, 'queued'],
      [{ text: 'Thanks for writing' }, 'queued'],
    ])
    expect((await outbox()).map((o) => o.status)).toEqual(['pending', 'pending'])
  })

  it('delivers a timer firing’s send in the step, its link redirected and recorded', async () => {
    const { merchantId, say, outbound, outbox } = await setUp(reminderFlow)
    await processInboundMessage(t.deps, say('hello'))
    t.clock.advance(HOUR)
    expect(await fireDueTimers(t.deps)).toMatchObject({ fired: 1 })
    const [reminder] = await outbound()
    const link = await db
      .selectFrom('message_links')
      .select(['id', 'message_id', 'target_url'])
      .where('merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow()
    expect(link).toMatchObject({ message_id: reminder?.id, target_url: 'https://shop.example/cart/1' })
    expect(reminder).toMatchObject({
      body: { text: `Your cart: https://parley.example/r/${link.id}.` },
      status: 'delivered',
    })
    expect(await outbox()).toEqual([])
    const conversation = await db
      .selectFrom('conversations')
      .select('last_message_at')
      .where('merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow()
    expect(conversation.last_message_at).toEqual(new Date(t.clock.now()))
  })
})
