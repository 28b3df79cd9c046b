// Shopify webhooks through app.request: HMAC before parsing, dedupe on the webhook id and on the signed body,
// stale deliveries skipped, and the engine's store-event processing behind it (cart → order recovers it).
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { processStoreEvent } from '../../engine/store-events.ts'
import { signShopifyBody } from '../../security/signatures.ts'
import { snapshotDatabase } from '../../testing/db-snapshot.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../../testing/test-deps.ts'
import { createChannel, harnessApp } from '../testing/channel-fixtures.ts'
import { shopifyRoutes } from './routes.ts'
import { SHOPIFY_MAX_DELIVERY_AGE_MS } from './shopify-delivery.ts'
import { checkoutPayload, fulfillmentPayload, orderPayload } from './shopify-fixtures.ts'

const config = { webhookSecret: 'shpss_test_secret' }

describe.each(testDatabases())('Shopify webhooks on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof harnessApp>
  let merchantId: string
  let channelId: string

  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = harnessApp(t.deps, shopifyRoutes({ handleStoreEvent: processStoreEvent }))
    merchantId = (await seedMerchant(t.deps.db)).merchantId
    channelId = (await createChannel(t.deps, merchantId, 'shopify', config)).id
  })
  afterAll(() => t?.close())

  const post = (
    topic: string,
    webhookId: string,
    payload: unknown,
    signature?: string | null,
    headers: Record<string, string> = {},
  ) => {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload)
    const hmac = signature === undefined ? signShopifyBody(body, config.webhookSecret) : signature
    return app.request(`/webhooks/shopify/${channelId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-webhook-id': webhookId,
        'x-shopify-shop-domain': 'demo.myshopify.com',
        ...(hmac ? { 'x-shopify-hmac-sha256': hmac } : {}),
        ...headers,
      },
      body,
    })
  }
  const triggered = (agoMs: number) => ({
    'x-shopify-triggered-at': new Date(t.deps.clock.now() - agoMs).toISOString(),
  })
  const cart = () =>
    t.deps.db
      .selectFrom('carts')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .where('token', '=', checkoutPayload.token)
      .executeTakeFirst()

  it('refuses a bad or missing HMAC with 401 before parsing, writing nothing', async () => {
    for (const signature of [
      null,
      'AAAA',
      signShopifyBody(JSON.stringify(checkoutPayload), 'other-secret'),
    ]) {
      const res = await post('checkouts/create', 'wh-bad', checkoutPayload, signature)
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } })
    }
    expect((await post('checkouts/create', 'wh-bad', '{not json', 'AAAA')).status).toBe(401)
    expect(await cart()).toBeUndefined()
    const receipts = await t.deps.db
      .selectFrom('receipts')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .execute()
    expect(receipts).toEqual([])
  })

  it('records the cart from a checkout, once per webhook id', async () => {
    const first = await post('checkouts/create', 'wh-c1', checkoutPayload)
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ ok: true, type: 'cart.updated', duplicate: false })
    const again = await post('checkouts/create', 'wh-c1', checkoutPayload)
    expect(await again.json()).toEqual({ ok: true, type: 'cart.updated', duplicate: true })
    const row = await cart()
    expect(row).toMatchObject({ token: '123123123', currency: 'USD', status: 'active' })
    expect(Number(row?.value)).toBe(398)
  })

  it('links the order to the cart by checkout token', async () => {
    const res = await post('orders/create', 'wh-o1', orderPayload)
    expect(await res.json()).toEqual({ ok: true, type: 'order.created', duplicate: false })
    const order = await t.deps.db
      .selectFrom('orders')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .where('number', '=', '#9999')
      .executeTakeFirstOrThrow()
    expect(order.cart_token).toBe('123123123')
  })

  it('records tracking from a fulfillment', async () => {
    const res = await post('fulfillments/create', 'wh-f1', fulfillmentPayload)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, type: 'order.shipped' })
    const order = await t.deps.db
      .selectFrom('orders')
      .select(['tracking_number', 'tracking_carrier'])
      .where('merchant_id', '=', merchantId)
      .where('number', '=', '#9999')
      .executeTakeFirstOrThrow()
    expect(order).toEqual({ tracking_number: '1Z2345', tracking_carrier: 'UPS' })
  })

  it('answers 200 ignored for unhandled topics, 400 without the webhook id', async () => {
    const res = await post('products/update', 'wh-p1', { id: 1 })
    expect(await res.json()).toMatchObject({ ok: true, ignored: expect.any(String) })
    const body = JSON.stringify(checkoutPayload)
    const missing = await app.request(`/webhooks/shopify/${channelId}`, {
      method: 'POST',
      headers: {
        'x-shopify-topic': 'checkouts/create',
        'x-shopify-hmac-sha256': signShopifyBody(body, config.webhookSecret),
      },
      body,
    })
    expect(missing.status).toBe(400)
  })

  it('processes the same signed body once, even under a new webhook id', async () => {
    const payload = {
      ...checkoutPayload,
      token: 'replayed-cart',
      admin_graphql_api_id: 'gid://shopify/AbandonedCheckout/777',
    }
    const first = await post('checkouts/update', 'wh-r1', payload, undefined, triggered(0))
    expect(await first.json()).toEqual({ ok: true, type: 'cart.updated', duplicate: false })
    const before = await snapshotDatabase(t.deps.db)
    // The same bytes and signature, a webhook id and time the sender made up.
    const replay = await post('checkouts/update', 'wh-r1-replayed', payload, undefined, triggered(0))
    expect(await replay.json()).toEqual({ ok: true, type: 'cart.updated', duplicate: true })
    // Recorded under its webhook id too; nothing else changed.
    const receipts = await t.deps.db
      .selectFrom('receipts')
      .select('external_id')
      .where('merchant_id', '=', merchantId)
      .where('external_id', 'in', ['wh-r1', 'wh-r1-replayed'])
      .execute()
    expect(receipts.map((r) => r.external_id).sort()).toEqual(['wh-r1', 'wh-r1-replayed'])
    const after = await snapshotDatabase(t.deps.db)
    expect({ ...after, receipts: undefined }).toEqual({ ...before, receipts: undefined })

    // A new state of the same checkout (a later updated_at) is a new event.
    const updated = { ...payload, updated_at: '2026-01-05T10:09:00-05:00', total_price: '199.00' }
    const next = await post('checkouts/update', 'wh-r2', updated, undefined, triggered(0))
    expect(await next.json()).toEqual({ ok: true, type: 'cart.updated', duplicate: false })
  })

  it('skips a delivery triggered longer ago than Shopify retries (200, so it stops), writing nothing', async () => {
    const payload = { ...checkoutPayload, token: 'stale-cart', updated_at: '2026-01-04T08:00:00Z' }
    const before = await snapshotDatabase(t.deps.db)
    const stale = await post(
      'checkouts/update',
      'wh-stale',
      payload,
      undefined,
      triggered(SHOPIFY_MAX_DELIVERY_AGE_MS + 60_000),
    )
    expect(stale.status).toBe(200)
    expect(await stale.json()).toEqual({ ok: true, ignored: 'stale delivery' })
    expect(await snapshotDatabase(t.deps.db)).toEqual(before)

    // Shopify's own last retry, 4 hours after the event, still counts; Shopify's timestamp has nanoseconds.
    const fourHoursAgo = new Date(t.deps.clock.now() - 4 * 60 * 60 * 1000).toISOString()
    const retry = await post('checkouts/update', 'wh-stale', payload, undefined, {
      'x-shopify-triggered-at': fourHoursAgo.replace(/\.(\d{3})Z$/, '.$1041743Z'),
    })
    expect(await retry.json()).toEqual({ ok: true, type: 'cart.updated', duplicate: false })
  })

  it('without an updated_at in the body, dedupes on the webhook id alone', async () => {
    const payload = { ...checkoutPayload, token: 'no-updated-at', updated_at: undefined }
    expect(await (await post('checkouts/update', 'wh-n1', payload)).json()).toMatchObject({
      duplicate: false,
    })
    expect(await (await post('checkouts/update', 'wh-n1', payload)).json()).toMatchObject({ duplicate: true })
    expect(await (await post('checkouts/update', 'wh-n2', payload)).json()).toMatchObject({
      duplicate: false,
    })
  })
})
