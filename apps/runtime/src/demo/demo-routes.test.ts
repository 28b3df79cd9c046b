import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { createWebchatAdapter } from '../channels/webchat/webchat-adapter.ts'
import { loadConfig } from '../config.ts'
import { createTestDeps, type TestDeps } from '../testing/test-deps.ts'
import { seedDemo } from './seed.ts'

const json = (body: unknown, token?: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify(body),
})

describe.each(testDatabases())('demo store (dev only) on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  let channelId: string

  beforeAll(async () => {
    t = await createTestDeps(kind)
    t.deps.channels.webchat = createWebchatAdapter(t.deps)
    channelId = (await seedDemo(t.deps.db, { password: 'demo-password-123' })).webchatChannelId
    app = createApp(t.deps)
  })
  afterAll(() => t?.close())

  async function visitor(): Promise<{ token: string; visitorId: string }> {
    const res = await app.request(`/api/webchat/${channelId}/session`, { method: 'POST' })
    return (await res.json()) as { token: string; visitorId: string }
  }
  async function transcript(token: string) {
    const res = await app.request(`/api/webchat/${channelId}/messages`, {
      headers: { authorization: `Bearer ${token}` },
    })
    return ((await res.json()) as { messages: { body: { text?: string } }[] }).messages
  }

  it('serves the store page with the widget for the demo channel and catalogue products', async () => {
    const res = await app.request('/demo')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('NORTH THREAD')
    expect(html).toContain(`<script src="/widget.js" data-channel="${channelId}"`)
    expect(html).toContain('Organic Cotton Tee')
    expect(html).not.toMatch(/pk_live_/)
  })

  it("offers only products it can sell: none without the store's id (a CSV import has only handles)", async () => {
    const store = await t.deps.db
      .selectFrom('products')
      .select(['merchant_id', 'currency'])
      .where('external_id', '=', 'tee-organic')
      .executeTakeFirstOrThrow()
    // Sorted by title before every seeded product, so it would be the first one shown.
    await t.deps.db
      .insertInto('products')
      .values({
        merchant_id: store.merchant_id,
        handle: 'aaa-imported',
        title: 'AAA Imported Scarf',
        price: '10.00',
        currency: store.currency,
      })
      .execute()
    const html = await (await app.request('/demo')).text()
    expect(html).not.toContain('AAA Imported Scarf')
    expect(html).not.toContain('data-sku=""')
    expect(html).toContain('Organic Cotton Tee')
    await t.deps.db.deleteFrom('products').where('handle', '=', 'aaa-imported').execute()
  })

  it('refuses cart actions without a visitor token, and bad carts', async () => {
    const cart = { cartToken: 'cart_abcdefgh', items: [{ sku: 'tee-organic', quantity: 1 }] }
    expect((await app.request('/demo/api/abandon', json(cart))).status).toBe(401)
    const { token } = await visitor()
    const unknown = { cartToken: 'cart_abcdefgh', items: [{ sku: 'nope', quantity: 1 }] }
    expect((await app.request('/demo/api/abandon', json(unknown, token))).status).toBe(400)
    expect((await app.request('/demo/api/abandon', json({ cartToken: 'x', items: [] }, token))).status).toBe(
      400,
    )
  })

  it('abandons the cart, sends the 1 h reminder after +1 h, and a placed order stops the sequence', async () => {
    const { token } = await visitor()
    const cart = { cartToken: 'cart_recovery1', items: [{ sku: 'tee-organic', quantity: 2 }] }
    const abandoned = await app.request('/demo/api/abandon', json(cart, token))
    expect(abandoned.status).toBe(200)
    const state = (await abandoned.json()) as { due: { cartsAbandoned: number }; nextDueAt: string | null }
    expect(state.due.cartsAbandoned).toBe(1)
    expect(state.nextDueAt).not.toBeNull()

    const advanced = await app.request('/demo/api/advance', json({ next: true }))
    expect(advanced.status).toBe(200)
    const messages = await transcript(token)
    expect(messages.length).toBeGreaterThan(0)
    expect(JSON.stringify(messages)).toContain('Organic Cotton Tee')

    const order = await app.request('/demo/api/order', json(cart, token))
    expect(order.status).toBe(200)
    const run = await t.deps.db
      .selectFrom('runs')
      .select(['status', 'outcome'])
      .where('correlation_key', '=', 'cart_recovery1')
      .executeTakeFirstOrThrow()
    expect(run.outcome).toBe('recovered')
  })

  it("reports and skips to the visitor's own next message, not another visitor's", async () => {
    const a = await visitor()
    const b = await visitor()
    const cart = { cartToken: 'cart_visitor_a', items: [{ sku: 'hoodie-classic', quantity: 1 }] }
    expect((await app.request('/demo/api/abandon', json(cart, a.token))).status).toBe(200)
    const clockFor = async (token?: string) =>
      (await (
        await app.request('/demo/api/clock', token ? { headers: { authorization: `Bearer ${token}` } } : {})
      ).json()) as { nextDueAt: string | null }
    expect((await clockFor(a.token)).nextDueAt).not.toBeNull()
    expect((await clockFor()).nextDueAt).not.toBeNull()
    expect((await clockFor(b.token)).nextDueAt).toBeNull()
    const before = t.deps.clock.now()
    const skipped = await app.request('/demo/api/advance', json({ next: true }, b.token))
    expect(((await skipped.json()) as { due: unknown }).due).toBeNull()
    expect(t.deps.clock.now()).toBe(before)
  })

  it('skips to a reminder that quiet hours put off until the morning', async () => {
    // 19:45 in London (UTC in winter) on a later day: abandoned at 20:16, the 1 h reminder falls at 21:16, inside
    // the demo shop's quiet hours (21:00–08:00), and waits in the outbox for 08:00.
    const day = 86_400_000
    t.clock.set((Math.floor(t.clock.now() / day) + 1) * day + (19 * 60 + 45) * 60_000)
    const { token } = await visitor()
    const cart = { cartToken: 'cart_evening1', items: [{ sku: 'tee-organic', quantity: 1 }] }
    expect((await app.request('/demo/api/abandon', json(cart, token))).status).toBe(200)
    const first = await app.request('/demo/api/advance', json({ next: true }, token))
    const morning = (await first.json()) as { now: string; nextDueAt: string | null }
    expect(await transcript(token)).toHaveLength(0)
    expect(morning.nextDueAt?.slice(11, 16)).toBe('08:00')

    const second = await app.request('/demo/api/advance', json({ next: true }, token))
    expect(((await second.json()) as { now: string }).now.slice(11, 13)).toBe('08')
    expect(JSON.stringify(await transcript(token))).toContain('Organic Cotton Tee')
  })

  it('advances the clock by hours and reports the virtual time', async () => {
    const before = t.deps.clock.now()
    const res = await app.request('/demo/api/advance', json({ hours: 24 }))
    expect(res.status).toBe(200)
    const body = (await res.json()) as { now: string }
    expect(Date.parse(body.now) - before).toBe(24 * 3_600_000)
    expect((await app.request('/demo/api/advance', json({ hours: -1 }))).status).toBe(400)
  })

  it('is not there when the dev clock is off', async () => {
    const off = createApp({ ...t.deps, config: loadConfig({ NODE_ENV: 'test', DEV_CLOCK: 'false' }) })
    const before = t.clock.now()
    for (const [path, init] of [
      ['/demo', {}],
      ['/demo/products/tee-organic', {}],
      ['/demo/api/clock', {}],
      ['/demo/api/advance', json({ hours: 1 })],
    ] as const) {
      const res = await off.request(path, init)
      expect(res.status, path).toBe(404)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found')
    }
    expect(t.clock.now()).toBe(before)
  })
})
