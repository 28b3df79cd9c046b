// Acceptance 1 (issue 3): the full cart-recovery story through app.request, on PGlite and real Postgres.
// cart.updated → 30 min quiet → abandoned → web-chat messages at +1 h, +24 h, +72 h with the product name and
// image; and a second story where order.created at +30 h stops it and the revenue shows in analytics.
import type { CreatedApiKey, FlowDetail, RecoveryReport } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { cartUpdated, RecordingAdapter, seedChannel } from '../testing/engine-fixtures.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

describe.each(testDatabases())('cart recovery end to end on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  const webchat = new RecordingAdapter('webchat')

  beforeAll(async () => {
    t = await createTestDeps(kind, { channels: { webchat } })
    app = createApp(t.deps)
  })
  afterAll(() => t.close())

  async function setUp() {
    const merchant = await seedMerchant(t.deps.db)
    const owner = await signIn(app, merchant)
    const channel = await seedChannel(t.deps.db, merchant.merchantId, 'webchat')
    const created = await app.request('/api/flows', {
      method: 'POST',
      headers: owner.write,
      body: JSON.stringify({ starterFlowId: 'cart-recovery' }),
    })
    expect(created.status).toBe(201)
    const flow = (await created.json()) as FlowDetail
    const published = await app.request(`/api/flows/${flow.id}/publish`, {
      method: 'POST',
      headers: owner.write,
    })
    expect(published.status).toBe(201)
    const keyRes = await app.request('/api/api-keys', {
      method: 'POST',
      headers: owner.write,
      body: JSON.stringify({ name: 'store' }),
    })
    const { key } = (await keyRes.json()) as CreatedApiKey
    return { merchant, owner, channel, key }
  }

  const postEvent = (key: string, body: unknown) =>
    app.request('/api/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  const advance = async (owner: SignedIn, ms: number) => {
    const res = await app.request('/api/dev/clock/advance', {
      method: 'POST',
      headers: owner.write,
      body: JSON.stringify({ ms }),
    })
    expect(res.status).toBe(200)
    return res.json()
  }

  async function transcript(conversationChannelId: string, visitorId: string) {
    return t.deps.db
      .selectFrom('messages')
      .innerJoin('contact_identities', (j) =>
        j
          .onRef('contact_identities.merchant_id', '=', 'messages.merchant_id')
          .onRef('contact_identities.contact_id', '=', 'messages.contact_id'),
      )
      .select([
        'messages.body',
        'messages.status',
        'messages.created_at',
        'messages.node_id',
        'messages.author',
      ])
      .where('contact_identities.channel_id', '=', conversationChannelId)
      .where('contact_identities.external_id', '=', visitorId)
      .where('messages.direction', '=', 'out')
      .orderBy('messages.created_at')
      .execute()
  }

  it('abandons after 30 min, then sends at +1 h, +24 h and +72 h on web chat with the product', async () => {
    const { owner, channel, key } = await setUp()
    const visitor = `visitor-${kind}-1`
    const token = `cart-${kind}-1`
    const start = t.clock.now()
    const res = await postEvent(
      key,
      cartUpdated({ id: `evt-${kind}-1`, channelId: channel.id, visitorId: visitor, token }),
    )
    expect(res.status).toBe(202)
    expect(await res.json()).toMatchObject({
      duplicate: false,
      abandonAt: new Date(start + 30 * MINUTE).toISOString(),
    })

    await advance(owner, 29 * MINUTE)
    const cart = () =>
      t.deps.db.selectFrom('carts').selectAll().where('token', '=', token).executeTakeFirstOrThrow()
    expect((await cart()).status).toBe('active')
    await advance(owner, MINUTE)
    expect((await cart()).status).toBe('abandoned')
    expect(await transcript(channel.id, visitor)).toHaveLength(0)

    const abandonedAt = start + 30 * MINUTE
    const sentAt: number[] = []
    for (const [hours, count] of [
      [1, 1],
      [24, 2],
      [72, 3],
    ] as const) {
      // Just before: nothing new; at the hour: the next message.
      await advance(owner, abandonedAt + hours * HOUR - MINUTE - t.clock.now())
      expect(await transcript(channel.id, visitor)).toHaveLength(count - 1)
      await advance(owner, MINUTE)
      const messages = await transcript(channel.id, visitor)
      expect(messages).toHaveLength(count)
      const last = messages[count - 1]!
      expect(last.status).toBe('sent')
      sentAt.push(last.created_at.getTime() - abandonedAt)
      const body = last.body as { text: string; imageUrl?: string; product?: { imageUrl?: string } }
      expect(body.text).toContain('Linen Overshirt')
      expect(body.imageUrl ?? body.product?.imageUrl).toBe('https://cdn.example/linen-overshirt.jpg')
    }
    expect(sentAt).toEqual([1 * HOUR, 24 * HOUR, 72 * HOUR])
    const delivered = webchat.sends.filter((s) => s.payload.to === visitor)
    expect(delivered).toHaveLength(3)
    expect(delivered[0]!.payload.message.product).toMatchObject({ title: 'Linen Overshirt', price: 89 })
    expect(delivered[2]!.payload.message.text).toContain('COMEBACK10')

    // Nothing more, ever: the run ended not recovered after its last wait.
    await advance(owner, 100 * HOUR)
    expect(webchat.sends.filter((s) => s.payload.to === visitor)).toHaveLength(3)
    const run = await t.deps.db
      .selectFrom('runs')
      .selectAll()
      .where('correlation_key', '=', token)
      .executeTakeFirstOrThrow()
    expect(run).toMatchObject({ status: 'done', outcome: 'not_recovered' })
  })

  it('stops when the order comes in at +30 h: outcome recovered, no more messages, revenue in analytics', async () => {
    const { owner, channel, key } = await setUp()
    const visitor = `visitor-${kind}-2`
    const token = `cart-${kind}-2`
    await postEvent(
      key,
      cartUpdated({ id: `evt-${kind}-2`, channelId: channel.id, visitorId: visitor, token }),
    )
    await advance(owner, 30 * MINUTE)
    await advance(owner, 30 * HOUR)
    expect(await transcript(channel.id, visitor)).toHaveLength(2)

    const order = await postEvent(key, {
      id: `evt-${kind}-order-2`,
      type: 'order.created',
      order: {
        id: 'shop-order-2',
        number: `10${kind.length}2`,
        cartToken: token,
        total: '89.00',
        currency: 'EUR',
      },
    })
    expect(order.status).toBe(202)
    expect(await order.json()).toMatchObject({ duplicate: false, runsStepped: 1 })
    const run = await t.deps.db
      .selectFrom('runs')
      .selectAll()
      .where('correlation_key', '=', token)
      .executeTakeFirstOrThrow()
    expect(run).toMatchObject({ status: 'done', outcome: 'recovered' })
    expect(await t.deps.db.selectFrom('timers').selectAll().where('run_id', '=', run.id).execute()).toEqual(
      [],
    )

    await advance(owner, 100 * HOUR)
    expect(await transcript(channel.id, visitor)).toHaveLength(2)

    const report = await app.request('/api/analytics/recovery', { headers: owner.read })
    expect(report.status).toBe(200)
    expect(((await report.json()) as RecoveryReport).totals).toMatchObject({
      abandoned: 1,
      recoveredByParley: 1,
      recoveryRate: 1,
      sent: 2,
      revenue: [{ currency: 'EUR', amount: 89 }],
    })
  })

  it('processes a repeated store event once', async () => {
    const { key, channel } = await setUp()
    const event = cartUpdated({
      id: `evt-${kind}-dup`,
      channelId: channel.id,
      visitorId: `v-${kind}-dup`,
      token: `c-${kind}-dup`,
    })
    expect(await (await postEvent(key, event)).json()).toMatchObject({ duplicate: false })
    expect(await (await postEvent(key, event)).json()).toMatchObject({ duplicate: true })
  })
})
