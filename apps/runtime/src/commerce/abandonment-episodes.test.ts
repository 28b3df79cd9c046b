// Attribution table (issue 13, acceptance 1), through app.request on both backends: how each abandonment episode
// ends — the two stories of the issue (an order 36 min after abandonment, before any message: not credited; a
// reminder, the shopper back through its link with checkouts/update, then the order: credited with its 110 USD),
// an order after the attribution window, a second abandonment of the same cart, an order in another currency,
// an order matched by shopper and items, and a holdout cart that orders (control group, never credited). Each
// with web chat's sends delivered in the step and through the relay.
import type { CreatedApiKey, FlowDetail, RecoveryReport } from '@parley/api'
import type { CartEpisode } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import type { OutboundMessage } from '@parley/flow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { createWebchatAdapter } from '../channels/webchat/webchat-adapter.ts'
import { loadConfig } from '../config.ts'
import { cartUpdated, RecordingAdapter, seedChannel } from '../testing/engine-fixtures.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { advanceDevClock } from '../time/dev-clock.ts'
import { drawHoldout, episodeEnding } from './abandonment-episodes.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

describe('episodeEnding', () => {
  const sentAt = new Date('2026-11-30T10:00:00Z')
  it.each([
    ['no message yet', 0, null, 36 * MINUTE, 7, 'ordered_without_messages'],
    ['an hour after the reminder', 1, sentAt, HOUR, 7, 'recovered'],
    ['at the last moment of the window', 2, sentAt, 7 * DAY, 7, 'recovered'],
    ['a minute past the window', 2, sentAt, 7 * DAY + MINUTE, 7, 'ordered_after_window'],
    ['past a one-day window', 1, sentAt, 25 * HOUR, 1, 'ordered_after_window'],
  ] as const)('%s → %s', (_, sent, last, after, windowDays, expected) => {
    const orderedAt = new Date(sentAt.getTime() + after)
    expect(episodeEnding({ messages_sent: sent, last_message_at: last }, orderedAt, windowDays)).toBe(
      expected,
    )
  })
})

describe('drawHoldout', () => {
  it('holds out exactly the draws below the percentage, and nobody at 0 %', () => {
    expect(drawHoldout(10, () => 0.0999)).toBe(true)
    expect(drawHoldout(10, () => 0.1)).toBe(false)
    expect(drawHoldout(50, () => 0.4999)).toBe(true)
    expect(drawHoldout(0, () => 0)).toBe(false)
  })
})

// Web chat's sends go out in the step itself (delivery/in-step-delivery.ts); through the relay they are recorded
// by the relay's outcome write. Both count a send on its episode and record its links the same way.
const deliveries = testDatabases().flatMap((kind) => [
  [kind, 'the step'] as const,
  [kind, 'the relay'] as const,
])

describe.each(deliveries)('abandonment episodes on %s, web chat delivered by %s', (kind, deliveredBy) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  /** What the holdout draw sees: above every percentage (nobody held out) unless a test lowers it. */
  let chance = 0.999

  beforeAll(async () => {
    t = await createTestDeps(kind, {
      // Without in-step delivery every send goes through the relay.
      channels: deliveredBy === 'the relay' ? { webchat: new RecordingAdapter('webchat') } : {},
      random: () => chance,
      config: loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PUBLIC_URL: 'https://parley.test',
        RATE_LIMIT_LINK_CLICKS_PER_IP_PER_MINUTE: '8',
      }),
    })
    if (deliveredBy === 'the step') t.deps.channels.webchat = createWebchatAdapter(t.deps)
    app = createApp(t.deps)
  })
  afterAll(() => t.close())

  let n = 0
  async function setUp(
    merchantSettings: { holdout_percent?: number; attribution_window_days?: number } = {},
  ) {
    const merchant = await seedMerchant(t.deps.db)
    await t.deps.db
      .updateTable('merchants')
      .set({ holdout_percent: 0, ...merchantSettings })
      .where('id', '=', merchant.merchantId)
      .execute()
    const owner = await signIn(app, merchant)
    const channel = await seedChannel(t.deps.db, merchant.merchantId, 'webchat')
    const created = await app.request('/api/flows', {
      method: 'POST',
      headers: owner.write,
      body: JSON.stringify({ starterFlowId: 'cart-recovery' }),
    })
    const flow = (await created.json()) as FlowDetail
    await app.request(`/api/flows/${flow.id}/publish`, { method: 'POST', headers: owner.write })
    const keyRes = await app.request('/api/api-keys', {
      method: 'POST',
      headers: owner.write,
      body: JSON.stringify({ name: 'store' }),
    })
    const { key } = (await keyRes.json()) as CreatedApiKey
    n += 1
    const visitor = `visitor-${kind}-${n}`
    const token = `cart-${kind}-${n}`
    let events = 0
    const post = async (body: object) => {
      const res = await app.request('/api/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: `evt-${kind}-${n}-${++events}`, ...body }),
      })
      expect(res.status).toBe(202)
      return res.json()
    }
    const cart = (value = 110, currency = 'USD') => {
      const event = cartUpdated({ id: 'unused', channelId: channel.id, visitorId: visitor, token })
      return post({ type: event.type, contact: event.contact, cart: { ...event.cart, value, currency } })
    }
    const order = (
      total: string,
      currency = 'USD',
      extra: { cartToken?: string | null; contact?: object; items?: object[] } = {},
    ) =>
      post({
        type: 'order.created',
        order: {
          id: `shop-order-${kind}-${n}-${events}`,
          number: `#${kind}-${n}-${events}`,
          cartToken: 'cartToken' in extra ? extra.cartToken : token,
          total,
          currency,
          ...(extra.items ? { items: extra.items } : {}),
        },
        ...(extra.contact ? { contact: extra.contact } : {}),
      })
    const episodes = () =>
      t.deps.db
        .selectFrom('cart_episodes')
        .selectAll()
        .where('merchant_id', '=', merchant.merchantId)
        .orderBy('abandoned_at')
        .execute()
    /** The bot's messages the visitor got, from the transcript (whichever way they were delivered). */
    const sentTo = async () => {
      const rows = await t.deps.db
        .selectFrom('messages')
        .innerJoin('contact_identities as i', (j) =>
          j
            .onRef('i.merchant_id', '=', 'messages.merchant_id')
            .onRef('i.contact_id', '=', 'messages.contact_id'),
        )
        .select('messages.body')
        .where('messages.merchant_id', '=', merchant.merchantId)
        .where('i.external_id', '=', visitor)
        .where('messages.author', '=', 'bot')
        .where('messages.status', 'in', ['sent', 'delivered'])
        .orderBy('messages.seq')
        .execute()
      // The body as stored is the message sent (web chat has no template).
      return rows.map((r): OutboundMessage => JSON.parse(JSON.stringify(r.body)))
    }
    return { merchant, owner, channel, visitor, token, cart, order, episodes, sentTo }
  }

  /** The dev clock's advance (what POST /api/dev/clock/advance runs), without a session that a month outlives. */
  const advance = async (_owner: SignedIn, ms: number) => {
    await advanceDevClock(t.deps, ms)
  }

  const report = async (owner: SignedIn) => {
    const res = await app.request('/api/analytics/recovery', { headers: owner.read })
    expect(res.status).toBe(200)
    return (await res.json()) as RecoveryReport
  }

  const credited = (e: CartEpisode) => e.status === 'recovered' && !e.holdout

  it('an order 36 min after abandonment, before any message: shown as without messages, not credited', async () => {
    const s = await setUp()
    await s.cart(500)
    await advance(s.owner, 30 * MINUTE)
    await advance(s.owner, 36 * MINUTE)
    await s.order('500.00')
    const [episode] = await s.episodes()
    expect(episode).toMatchObject({
      status: 'ordered_without_messages',
      holdout: false,
      messages_sent: 0,
      order_total: '500.00',
      order_currency: 'USD',
    })
    expect(credited(episode!)).toBe(false)
    // The order ended it: no reminder goes out at +1 h.
    await advance(s.owner, 2 * HOUR)
    expect(await s.sentTo()).toHaveLength(0)
    expect((await report(s.owner)).totals).toMatchObject({
      abandoned: 1,
      recoveredByParley: 0,
      recoveredWithoutMessages: 1,
      revenue: [],
    })
  })

  it('reminder at +1 h, shopper back with checkouts/update, then the order: credited with its 110 USD', async () => {
    const s = await setUp()
    await s.cart(110)
    await advance(s.owner, 30 * MINUTE)
    await advance(s.owner, HOUR)
    expect(await s.sentTo()).toHaveLength(1)
    const abandoned = await s.episodes()
    expect(abandoned).toMatchObject([{ status: 'open', messages_sent: 1, holdout: false }])
    expect(abandoned[0]!.first_message_at).toEqual(abandoned[0]!.last_message_at)
    expect(abandoned[0]!.flow_id).not.toBeNull()

    // The reminder's links went out as redirects (the Return-to-cart button and the product card), recorded for
    // the episode; no raw link is left anywhere in the message.
    const sent = (await s.sentTo())[0]!
    const cartUrl = `https://shop.example/cart/${s.token}`
    expect(JSON.stringify(sent)).not.toContain(cartUrl)
    const redirect = sent.link?.url
    expect(redirect).toMatch(/^https:\/\/parley\.test\/r\/[A-Za-z0-9_-]{22}$/)
    expect(sent.product?.url).toMatch(/^https:\/\/parley\.test\/r\//)
    const links = await t.deps.db
      .selectFrom('message_links')
      .selectAll()
      .where('merchant_id', '=', s.merchant.merchantId)
      .execute()
    expect(links).toHaveLength(2)
    expect(links.every((l) => l.episode_id === abandoned[0]!.id)).toBe(true)
    // The transcript shows what the shopper got.
    const transcript = await t.deps.db
      .selectFrom('messages')
      .select('body')
      .where('id', '=', links[0]!.message_id)
      .executeTakeFirstOrThrow()
    expect((transcript.body as { text: string }).text).toBe(sent.text)

    // The shopper comes back through the link: the click is counted and forwarded.
    const click = await app.request(new URL(redirect!).pathname)
    expect(click.status).toBe(302)
    expect(click.headers.get('location')).toBe(cartUrl)
    const clicked = await t.deps.db
      .selectFrom('message_links')
      .selectAll()
      .where('id', '=', new URL(redirect!).pathname.slice(3))
      .executeTakeFirstOrThrow()
    expect(clicked).toMatchObject({ clicks: 1, target_url: cartUrl })
    expect(clicked.first_clicked_at).not.toBeNull()

    // Shipping address added at checkout: Shopify's checkouts/update arrives as a cart update of the same token.
    await advance(s.owner, 10 * MINUTE)
    await s.cart(110)
    const cartRow = await t.deps.db
      .selectFrom('carts')
      .select('status')
      .where('token', '=', s.token)
      .executeTakeFirstOrThrow()
    expect(cartRow.status).toBe('active')
    await advance(s.owner, 5 * MINUTE)
    await s.order('110.00')

    const [episode] = await s.episodes()
    expect(episode).toMatchObject({
      status: 'recovered',
      messages_sent: 1,
      order_total: '110.00',
      order_currency: 'USD',
    })
    expect(credited(episode!)).toBe(true)
    expect(episode!.ordered_at!.getTime() - episode!.last_message_at!.getTime()).toBe(15 * MINUTE)
    expect((await report(s.owner)).totals).toMatchObject({
      abandoned: 1,
      recoveredByParley: 1,
      revenue: [{ currency: 'USD', amount: 110 }],
    })
  })

  it('an unknown or malformed link id is a plain 404 page; clicks are limited per address', async () => {
    for (const path of ['/r/AAAAAAAAAAAAAAAAAAAAAA', '/r/short', '/r/%3Cscript%3E']) {
      const res = await app.request(path)
      expect(res.status).toBe(404)
      expect(res.headers.get('content-type')).toMatch(/text\/html/)
      expect(await res.text()).toContain('Link not found')
    }
    let status = 0
    for (let i = 0; i < 10 && status !== 429; i++)
      status = (await app.request('/r/BBBBBBBBBBBBBBBBBBBBBB')).status
    expect(status).toBe(429)
  })

  it('an order after the attribution window: ordered after the window, not credited', async () => {
    const s = await setUp({ attribution_window_days: 1 })
    await s.cart()
    await advance(s.owner, 30 * MINUTE)
    // Reminders at +1 h, +24 h and +72 h; the last one is the one the window counts from.
    await advance(s.owner, 72 * HOUR)
    expect(await s.sentTo()).toHaveLength(3)
    await advance(s.owner, 24 * HOUR + MINUTE)
    await s.order('110.00')
    const [episode] = await s.episodes()
    expect(episode).toMatchObject({ status: 'ordered_after_window', messages_sent: 3 })
    expect(credited(episode!)).toBe(false)
  })

  it('a second abandonment of the same cart after the first episode expired opens a new episode', async () => {
    const s = await setUp()
    await s.cart()
    await advance(s.owner, 30 * MINUTE)
    // The three reminders first (one clock jump runs the expiry sweep before the timers due on the way).
    await advance(s.owner, 73 * HOUR)
    expect(await s.sentTo()).toHaveLength(3)
    await advance(s.owner, 30 * DAY - 73 * HOUR - MINUTE)
    expect(await s.episodes()).toMatchObject([{ status: 'open' }])
    await advance(s.owner, MINUTE)
    expect(await s.episodes()).toMatchObject([{ status: 'expired', messages_sent: 3 }])

    await s.cart(140)
    await advance(s.owner, 30 * MINUTE)
    await advance(s.owner, HOUR)
    await s.order('140.00')
    const episodes = await s.episodes()
    expect(episodes).toMatchObject([
      { status: 'expired', messages_sent: 3, order_id: null },
      { status: 'recovered', messages_sent: 1, order_total: '140.00' },
    ])
    expect(episodes[1]!.abandoned_at.getTime()).toBeGreaterThan(episodes[0]!.expires_at.getTime())
  })

  it('activity during an episode and a second quiet spell keep one episode', async () => {
    const s = await setUp()
    await s.cart()
    await advance(s.owner, 30 * MINUTE)
    await advance(s.owner, HOUR)
    await s.cart()
    await advance(s.owner, 30 * MINUTE)
    const episodes = await s.episodes()
    expect(episodes).toHaveLength(1)
    expect(episodes[0]).toMatchObject({ status: 'open', messages_sent: 1 })
  })

  it('an order in another currency: credited in the order’s own currency and total', async () => {
    const s = await setUp()
    await s.cart(89, 'EUR')
    await advance(s.owner, 30 * MINUTE)
    await advance(s.owner, HOUR)
    await s.order('76.50', 'GBP')
    expect(await s.episodes()).toMatchObject([
      { status: 'recovered', order_total: '76.50', order_currency: 'GBP' },
    ])
  })

  it('an order without a known cart: matched by the same shopper and an item in common', async () => {
    const s = await setUp()
    await s.cart()
    await advance(s.owner, 30 * MINUTE)
    await advance(s.owner, HOUR)
    const contact = { channelId: s.channel.id, externalId: s.visitor }
    // A different product only: not this cart's order.
    await s.order('20.00', 'USD', {
      cartToken: 'checkout-elsewhere-1',
      contact,
      items: [{ title: 'Wool Socks', quantity: 1, price: '20.00', productId: 'p-socks' }],
    })
    expect(await s.episodes()).toMatchObject([{ status: 'open' }])
    await s.order('110.00', 'USD', {
      cartToken: null,
      contact,
      items: [{ title: 'Linen Overshirt', quantity: 1, price: '110.00', productId: 'p-linen' }],
    })
    expect(await s.episodes()).toMatchObject([{ status: 'recovered', order_total: '110.00' }])
  })

  it('a holdout cart gets no messages and, when it orders, counts in the control group, never credited', async () => {
    const s = await setUp({ holdout_percent: 10 })
    chance = 0.05
    try {
      await s.cart()
      await advance(s.owner, 30 * MINUTE)
    } finally {
      chance = 0.999
    }
    expect(await s.episodes()).toMatchObject([{ status: 'open', holdout: true }])
    const runs = await t.deps.db
      .selectFrom('runs')
      .select('id')
      .where('merchant_id', '=', s.merchant.merchantId)
      .execute()
    expect(runs).toEqual([])
    await advance(s.owner, 2 * HOUR)
    expect(await s.sentTo()).toHaveLength(0)
    await s.order('110.00')
    const [episode] = await s.episodes()
    expect(episode).toMatchObject({ status: 'ordered_without_messages', holdout: true, messages_sent: 0 })
    expect(credited(episode!)).toBe(false)
  })
})
