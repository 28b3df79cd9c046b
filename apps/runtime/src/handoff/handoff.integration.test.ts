// Issue 12, acceptance 2: the handoff's rules through the real pipeline (inbound step, timer poller, relay,
// the inbox routes), on PGlite and real Postgres. Marketing is held while a person has the shopper and goes out
// after hand-back (or ends with a reason); an escalation nobody takes sends the queue's fallback and the bot
// has the chat again; the bot never sends while staff own the chat on WhatsApp, Telegram and web chat; a staff
// reply outside the WhatsApp window is refused unless an approved template is chosen; two agents racing.
import type { ChannelKind } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { edge, flowDocument, hours, node } from '@parley/flow/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { createChannel } from '../channels/testing/channel-fixtures.ts'
import { storeEventSchema } from '../commerce/store-event-schema.ts'
import { processStoreEvent } from '../commerce/store-events.ts'
import { relayOutbox } from '../delivery/outbox-relay.ts'
import { queueSend } from '../effects/send.ts'
import { runDueWork } from '../engine/due-work.ts'
import { processInboundMessage } from '../engine/inbound.ts'
import { inStepTransaction } from '../engine/step-transaction.ts'
import { cartUpdated, publishFlowDocument, RecordingAdapter } from '../testing/engine-fixtures.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../testing/test-deps.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** Any message → escalate to support (no note: the queue's acknowledgement is what the shopper gets). */
const catchAll = flowDocument(
  [
    node('start', 'trigger-message', { match: 'any', keywords: [] }),
    node('human', 'escalate', { queue: 'support', note: '' }),
    node('back', 'send-message', { text: 'The assistant is back. Anything else?' }),
    node('done', 'end', { outcome: 'answered' }),
  ],
  [edge('start', 'human'), edge('human', 'back'), edge('back', 'done')],
)

/** Cart abandoned → +1 h reminder → +24 h second reminder (both marketing); an order ends it as recovered. */
function recovery(channels: ('webchat' | 'whatsapp' | 'telegram')[]) {
  const doc = flowDocument(
    [
      node('trigger', 'trigger-cart-abandoned', {}),
      node('wait-1h', 'delay', { mode: 'duration', duration: hours(1) }),
      node('reminder', 'send-message', {
        text: 'Your {{cart.items[0].title}} is waiting',
        purpose: 'marketing',
      }),
      node('wait-23h', 'delay', { mode: 'duration', duration: hours(23) }),
      node('again', 'send-message', { text: 'Still thinking it over?', purpose: 'marketing' }),
      node('lost', 'end', { outcome: 'not_recovered' }),
    ],
    [
      edge('trigger', 'wait-1h'),
      edge('wait-1h', 'reminder'),
      edge('reminder', 'wait-23h'),
      edge('wait-23h', 'again'),
      edge('again', 'lost'),
    ],
    channels,
  )
  return {
    ...doc,
    settings: {
      ...doc.settings,
      exitEvents: [{ event: 'order.created', outcome: 'recovered', sameCart: true }],
    },
  }
}

const approvedTemplates = [
  {
    name: 'order_followup',
    language: 'en',
    category: 'UTILITY',
    status: 'APPROVED',
    body: 'Hi {{1}}, about your order {{2}}',
    parameters: 2,
  },
  {
    name: 'spring_sale',
    language: 'en',
    category: 'MARKETING',
    status: 'PENDING',
    body: 'Sale',
    parameters: 0,
  },
]

describe.each(testDatabases())('the handoff on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  const adapters = {
    webchat: new RecordingAdapter('webchat'),
    whatsapp: new RecordingAdapter('whatsapp'),
    telegram: new RecordingAdapter('telegram'),
  }
  let n = 0

  beforeAll(async () => {
    t = await createTestDeps(kind, { channels: { ...adapters } })
    app = createApp(t.deps)
  })
  afterAll(() => t?.close())

  async function store() {
    const merchant = await seedMerchant(t.deps.db)
    const sam = await seedUser(t.deps.db, merchant.merchantId, { role: 'agent' })
    const alex = await seedUser(t.deps.db, merchant.merchantId, { role: 'agent' })
    await t.deps.db.updateTable('users').set({ name: 'Sam Lee' }).where('id', '=', sam.userId).execute()
    await t.deps.db.updateTable('users').set({ name: 'Alex Kim' }).where('id', '=', alex.userId).execute()
    const channels = {
      webchat: await createChannel(t.deps, merchant.merchantId, 'webchat'),
      whatsapp: await createChannel(t.deps, merchant.merchantId, 'whatsapp', {
        templates: approvedTemplates,
      }),
      telegram: await createChannel(t.deps, merchant.merchantId, 'telegram'),
    }
    await publishFlowDocument(t.deps.db, merchant.merchantId, catchAll)
    return {
      merchantId: merchant.merchantId,
      owner: await signIn(app, merchant),
      sam: { ...(await signIn(app, sam)), userId: sam.userId },
      alex: await signIn(app, alex),
      channels,
    }
  }
  type Store = Awaited<ReturnType<typeof store>>

  const say = async (s: Store, channel: ChannelKind, shopper: string, text: string) => {
    n += 1
    const result = await processInboundMessage(t.deps, {
      merchantId: s.merchantId,
      channelId: s.channels[channel as 'webchat'].id,
      externalId: `in-${kind}-${n}`,
      sender: { externalId: shopper, name: 'Maya Lind' },
      text,
    })
    await runDueWork(t.deps)
    return result
  }
  const advance = async (ms: number) => {
    t.clock.advance(ms)
    await runDueWork(t.deps)
  }
  const abandonCart = async (s: Store, channel: ChannelKind, shopper: string, token: string) => {
    n += 1
    const event = cartUpdated({
      id: `cart-${kind}-${n}`,
      channelId: s.channels[channel as 'webchat'].id,
      visitorId: shopper,
      token,
    })
    await processStoreEvent(t.deps, s.merchantId, storeEventSchema.parse(event))
    await advance(30 * MINUTE)
  }
  /** What reached the shopper, leaving out the lines that say who is talking ("… joined the chat"). */
  const delivered = (channel: ChannelKind, to: string) =>
    adapters[channel as 'webchat'].sends
      .filter((x) => x.payload.to === to)
      .map((x) => x.payload.message.text)
      .filter((text) => !/joined the chat|back with the assistant/.test(text ?? ''))
  const conversationOf = (s: Store, shopper: string) =>
    t.deps.db
      .selectFrom('conversations as c')
      .innerJoin('contact_identities as i', (j) =>
        j
          .onRef('i.merchant_id', '=', 'c.merchant_id')
          .onRef('i.contact_id', '=', 'c.contact_id')
          .onRef('i.channel_id', '=', 'c.channel_id'),
      )
      .selectAll('c')
      .where('c.merchant_id', '=', s.merchantId)
      .where('i.external_id', '=', shopper)
      .executeTakeFirstOrThrow()
  const call = async (who: SignedIn, method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: method === 'GET' ? who.read : who.write,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    // biome-ignore lint/suspicious/noExplicitAny: test reads of JSON bodies
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any }
  }
  const outbound = async (conversationId: string) =>
    t.deps.db
      .selectFrom('messages')
      .select(['author', 'body', 'status', 'skip_reason', 'is_marketing', 'template_name', 'cost'])
      .where('conversation_id', '=', conversationId)
      .where('direction', '=', 'out')
      .where('author', '!=', 'system')
      .orderBy('seq')
      .execute()

  it('acknowledges an escalation at once, holds marketing while staff have it, and sends it after hand-back', async () => {
    const s = await store()
    await publishFlowDocument(t.deps.db, s.merchantId, recovery(['webchat']))
    const shopper = `v-held-${kind}`
    await abandonCart(s, 'webchat', shopper, `tok-held-${kind}`)
    await say(s, 'webchat', shopper, 'Do you ship to Norway?')
    expect(delivered('webchat', shopper)).toEqual([
      "I've asked the team — a person will reply here, usually within 30 minutes.",
    ])
    const conversation = await conversationOf(s, shopper)
    expect(conversation).toMatchObject({ status: 'waiting', queue: 'support' })
    expect(conversation.escalated_at?.getTime()).toBe(t.clock.now())

    expect((await call(s.sam, 'POST', `/api/conversations/${conversation.id}/take-over`)).status).toBe(200)
    await advance(HOUR)
    // The +1 h reminder came due while Sam has the chat: paused, not sent, not dropped.
    expect(delivered('webchat', shopper)).toHaveLength(1)
    const held = await t.deps.db
      .selectFrom('outbox')
      .select('status')
      .where('conversation_id', '=', conversation.id)
      .where('status', '=', 'held')
      .execute()
    expect(held).toHaveLength(1)
    expect((await outbound(conversation.id)).at(-1)).toMatchObject({ is_marketing: true, status: 'queued' })

    const reply = await call(s.sam, 'POST', `/api/conversations/${conversation.id}/messages`, {
      text: 'Yes, in 3 days.',
    })
    expect(reply.status).toBe(201)
    await relayOutbox(t.deps)
    const handBack = await call(s.sam, 'POST', `/api/conversations/${conversation.id}/hand-back`)
    expect(handBack.status).toBe(200)
    await runDueWork(t.deps)
    expect(delivered('webchat', shopper)).toEqual([
      "I've asked the team — a person will reply here, usually within 30 minutes.",
      'Yes, in 3 days.',
      'The assistant is back. Anything else?',
      'Your Linen Overshirt is waiting',
    ])
    const after = await conversationOf(s, shopper)
    expect(after.status).toBe('bot')
    expect(after.first_staff_reply_at?.getTime()).toBe(after.escalated_at!.getTime() + HOUR)
  }, 120_000)

  it('ends a held send with a reason when its run ended meanwhile (the cart was bought)', async () => {
    const s = await store()
    await publishFlowDocument(t.deps.db, s.merchantId, recovery(['webchat']))
    const shopper = `v-bought-${kind}`
    const token = `tok-bought-${kind}`
    await abandonCart(s, 'webchat', shopper, token)
    await say(s, 'webchat', shopper, 'Can I change the size?')
    const conversation = await conversationOf(s, shopper)
    await call(s.sam, 'POST', `/api/conversations/${conversation.id}/take-over`)
    await advance(HOUR)
    n += 1
    const order = {
      id: `order-${kind}-${n}`,
      type: 'order.created',
      order: { id: `o-${n}`, number: `#${n}`, cartToken: token, total: 89, currency: 'EUR', items: [] },
    }
    await processStoreEvent(t.deps, s.merchantId, storeEventSchema.parse(order))
    expect((await call(s.sam, 'POST', `/api/conversations/${conversation.id}/resolve`)).status).toBe(200)
    await runDueWork(t.deps)
    expect(delivered('webchat', shopper)).toHaveLength(1)
    expect((await outbound(conversation.id)).find((m) => m.is_marketing)).toMatchObject({
      status: 'skipped',
      skip_reason: 'handoff_no_longer_relevant',
    })
    const resolved = await conversationOf(s, shopper)
    expect(resolved.resolved_at?.getTime()).toBe(t.clock.now())
  }, 120_000)

  it('an escalation nobody takes sends the fallback, gives the chat back to the bot and lets marketing out (WhatsApp "hi")', async () => {
    const s = await store()
    await publishFlowDocument(t.deps.db, s.merchantId, recovery(['whatsapp']))
    const shopper = `4917000${kind === 'pglite' ? 1 : 2}001`
    await abandonCart(s, 'whatsapp', shopper, `tok-hi-${kind}`)
    await say(s, 'whatsapp', shopper, 'hi')
    const conversation = await conversationOf(s, shopper)
    expect(conversation.status).toBe('waiting')
    await advance(15 * MINUTE - 1000)
    expect((await conversationOf(s, shopper)).status).toBe('waiting')
    await advance(1000)
    const back = await conversationOf(s, shopper)
    expect(back).toMatchObject({ status: 'bot', assigned_user_id: null })
    expect(back.unclaimed_at?.getTime()).toBe(t.clock.now())
    const run = await t.deps.db
      .selectFrom('runs')
      .select(['status', 'outcome'])
      .where('conversation_id', '=', conversation.id)
      .where('trigger_kind', '=', 'message.received')
      .executeTakeFirstOrThrow()
    expect(run).toEqual({ status: 'done', outcome: 'unclaimed_by_staff' })
    // The cart reminder at +1 h goes out: an unclaimed escalation no longer blocks marketing forever.
    await advance(HOUR)
    expect(delivered('whatsapp', shopper)).toEqual([
      "I've asked the team — a person will reply here, usually within 30 minutes.",
      "Sorry, nobody from the team is free right now. I'm back to help, and you can write here anytime to ask for a person again.",
      'Your Linen Overshirt is waiting',
    ])
  }, 120_000)

  it('releases marketing held during a waiting escalation when the queue times out', async () => {
    const s = await store()
    const queues = await call(s.owner, 'GET', '/api/settings/queues')
    const support = queues.body.queues.find((q: { key: string }) => q.key === 'support')
    const saved = await call(s.owner, 'PUT', '/api/settings/queues', {
      queues: [
        {
          ...support,
          unclaimedTimeoutMinutes: 90,
          fallbackMessage: 'Nobody is free, sorry — the assistant is here.',
        },
      ],
    })
    expect(saved.status).toBe(200)
    await publishFlowDocument(t.deps.db, s.merchantId, recovery(['webchat']))
    const shopper = `v-timeout-${kind}`
    await abandonCart(s, 'webchat', shopper, `tok-timeout-${kind}`)
    await say(s, 'webchat', shopper, 'Is this true to size?')
    await advance(HOUR)
    expect(delivered('webchat', shopper)).toHaveLength(1)
    await advance(30 * MINUTE)
    expect(delivered('webchat', shopper)).toEqual([
      "I've asked the team — a person will reply here, usually within 30 minutes.",
      'Nobody is free, sorry — the assistant is here.',
      'Your Linen Overshirt is waiting',
    ])
  }, 120_000)

  it.each(['whatsapp', 'telegram', 'webchat'] as const)(
    'the bot never sends while staff own the chat on %s',
    async (channel) => {
      const s = await store()
      const shopper = channel === 'whatsapp' ? `4917100${n}${kind.length}` : `${channel}-own-${kind}-${n}`
      await say(s, channel, shopper, 'I need help with my order')
      const conversation = await conversationOf(s, shopper)
      // A bot reply queued before the take-over and not sent yet: re-checked at send time.
      await inStepTransaction(t.deps, (trx, ctx) =>
        queueSend(trx, ctx, {
          merchantId: s.merchantId,
          conversationId: conversation.id,
          runId: null,
          nodeId: null,
          message: { text: 'A late bot reply' },
          purpose: 'service',
          exemption: 'none',
        }),
      )
      expect((await call(s.sam, 'POST', `/api/conversations/${conversation.id}/take-over`)).status).toBe(200)
      await relayOutbox(t.deps)
      const before = delivered(channel, shopper).length
      // The shopper writes on: no flow answers, no bot message goes out.
      const next = await say(s, channel, shopper, 'hello?')
      expect(next.route).toBe('staff')
      await advance(2 * HOUR)
      expect(delivered(channel, shopper)).toHaveLength(before)
      const late = (await outbound(conversation.id)).find(
        (m) => (m.body as { text: string }).text === 'A late bot reply',
      )
      expect(late).toMatchObject({ status: 'skipped', skip_reason: 'staff_takeover' })
      const reply = await call(s.sam, 'POST', `/api/conversations/${conversation.id}/messages`, {
        text: 'Sam here, looking now',
      })
      expect(reply.status).toBe(201)
      await relayOutbox(t.deps)
      expect(delivered(channel, shopper).slice(before)).toEqual(['Sam here, looking now'])
    },
    120_000,
  )

  it('refuses a staff reply outside the WhatsApp window unless an approved template is chosen, and returns its cost', async () => {
    const s = await store()
    const shopper = `4917200${kind.length}`
    await say(s, 'whatsapp', shopper, 'Where is my refund?')
    const conversation = await conversationOf(s, shopper)
    await call(s.sam, 'POST', `/api/conversations/${conversation.id}/take-over`)
    t.clock.advance(25 * HOUR)
    const count = async () => (await outbound(conversation.id)).length
    const before = await count()
    const refused = await call(s.sam, 'POST', `/api/conversations/${conversation.id}/messages`, {
      text: 'Sorry for the wait',
    })
    expect(refused.status).toBe(422)
    expect(refused.body.error.code).toBe('outside_window')
    expect(refused.body.error.message).toMatch(/24 hours/)
    const notApproved = await call(s.sam, 'POST', `/api/conversations/${conversation.id}/messages`, {
      text: 'Sale!',
      template: { name: 'spring_sale', language: 'en', parameters: [] },
    })
    expect(notApproved.status).toBe(400)
    const wrongParams = await call(s.sam, 'POST', `/api/conversations/${conversation.id}/messages`, {
      text: 'Hi Maya',
      template: { name: 'order_followup', language: 'en', parameters: ['Maya'] },
    })
    expect(wrongParams.status).toBe(400)
    expect(await count()).toBe(before)
    const sent = await call(s.sam, 'POST', `/api/conversations/${conversation.id}/messages`, {
      text: 'Hi Maya, about your order #1001',
      template: { name: 'order_followup', language: 'en', parameters: ['Maya', '#1001'] },
    })
    expect(sent.status).toBe(201)
    expect(sent.body.status).toBe('queued')
    expect(sent.body.cost).toMatchObject({ currency: 'USD' })
    expect(Number(sent.body.cost.amount)).toBeGreaterThan(0)
    expect(sent.body.message).toMatchObject({ templateName: 'order_followup' })
    // One send in flight per conversation: the "joined the chat" line goes first, then the template.
    for (let pass = 0; pass < 3; pass++) await relayOutbox(t.deps)
    const last = adapters.whatsapp.sends.filter((x) => x.payload.to === shopper).at(-1)
    expect(last?.payload.template).toMatchObject({ name: 'order_followup', params: ['Maya', '#1001'] })
  }, 120_000)

  it('two agents take over at once: one wins, the other is told who has it', async () => {
    const s = await store()
    const shopper = `v-race-${kind}`
    await say(s, 'webchat', shopper, 'Anyone there?')
    const conversation = await conversationOf(s, shopper)
    const path = `/api/conversations/${conversation.id}/take-over`
    const [a, b] = await Promise.all([call(s.sam, 'POST', path), call(s.alex, 'POST', path)])
    const statuses = [a.status, b.status].sort()
    expect(statuses).toEqual([200, 409])
    const loser = a.status === 409 ? a : b
    const winner = a.status === 200 ? 'Sam Lee' : 'Alex Kim'
    expect(loser.body).toEqual({
      error: { code: 'taken', message: `${winner} has this conversation`, details: { by: { name: winner } } },
    })
    // The winner's take-over claimed the escalation: no fallback when its timeout would have come.
    await advance(HOUR)
    expect((await conversationOf(s, shopper)).status).toBe('assigned')
    expect(delivered('webchat', shopper)).toHaveLength(1)
  }, 120_000)
})
