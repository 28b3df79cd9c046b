// Shopify product sync through the HTTP API against the fake Admin GraphQL API on loopback: the owner connects
// the store, presses "Sync from Shopify", and the job imports every page; products/* webhooks (signed, deduped)
// then keep the catalogue current. The sync and the webhooks write through the CSV import's writer.
import type { CatalogueImportDetail, ChannelSummary } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { SHOPIFY_API_VERSION } from '../channels/setup/shopify-setup.ts'
import { type FakeShopify, fakeProductNode, startFakeShopify } from '../channels/testing/fake-shopify.ts'
import { loadConfig } from '../config.ts'
import { createLogger } from '../observability/logger.ts'
import { signShopifyBody } from '../security/signatures.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { CatalogueImportWorker } from './import-worker.ts'

const SHOP = {
  shopDomain: 'linen-co.myshopify.com',
  accessToken: 'shpat_catalogue_sync_token_01',
  clientSecret: 'shpss_catalogue_sync_secret_02',
}

/** The REST body of products/create|update for fakeProductNode(n), as Shopify sends it. */
function productWebhook(n: number, change: { price?: string; stock?: number; title?: string } = {}) {
  const base = fakeProductNode(n) as { variants: { nodes: Record<string, unknown>[] } }
  return {
    id: n,
    admin_graphql_api_id: `gid://shopify/Product/${n}`,
    handle: `linen-shirt-${n}`,
    title: change.title ?? `Linen Shirt ${n}`,
    body_html: '<p>Breathable, <strong>washed</strong> linen.</p>',
    vendor: 'Linen & Co',
    product_type: 'Shirts',
    tags: 'linen, summer',
    status: 'active',
    updated_at: `2026-11-30T06:0${Object.keys(change).length}:00-05:00`,
    options: [
      { name: 'Size', position: 1, values: ['S', 'M'] },
      { name: 'Color', position: 2, values: ['Blue', 'Sand'] },
    ],
    images: [
      { id: 11, position: 1, src: `https://cdn.shopify.com/s/files/p${n}.jpg`, alt: `Linen Shirt ${n}` },
      { id: 12, position: 2, src: `https://cdn.shopify.com/s/files/p${n}-sand.jpg`, alt: null },
    ],
    variants: base.variants.nodes.map((v, i) => {
      const options = v.selectedOptions as { value: string }[]
      return {
        id: n * 100 + i,
        admin_graphql_api_id: v.id,
        sku: v.sku,
        price: i === 0 && change.price ? change.price : v.price,
        compare_at_price: v.compareAtPrice,
        inventory_quantity: i === 0 && change.stock !== undefined ? change.stock : v.inventoryQuantity,
        inventory_management: 'shopify',
        position: v.position,
        option1: options[0]?.value,
        option2: options[1]?.value,
        option3: null,
        image_id: v.image ? 12 : null,
      }
    }),
  }
}

describe.each(testDatabases())('Shopify product sync on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  let shopify: FakeShopify
  let owner: SignedIn
  let merchantId: string
  let channel: ChannelSummary

  beforeAll(async () => {
    shopify = await startFakeShopify({
      accessToken: SHOP.accessToken,
      shopName: 'Linen & Co',
      apiVersion: SHOPIFY_API_VERSION,
    })
    // Five products, two a page: three pages.
    shopify.products = [1, 2, 3, 4, 5].map((n) => fakeProductNode(n))
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      EGRESS_ALLOW_LIST: '127.0.0.1:*',
      SHOPIFY_ADMIN_URL: shopify.url,
    })
    t = await createTestDeps(kind, { config })
    t.deps.catalogueImports = new CatalogueImportWorker({
      ...t.deps,
      logger: createLogger('silent'),
      shopifyPageSize: 2,
    })
    app = createApp(t.deps)
    const seeded = await seedMerchant(t.deps.db)
    merchantId = seeded.merchantId
    owner = await signIn(app, seeded)
  }, 60_000)
  afterAll(async () => {
    await t?.close()
    await shopify?.close()
  })

  const sync = async () => {
    const res = await app.request('/api/catalogue/shopify-sync', { method: 'POST', headers: owner.write })
    expect(res.status, await res.clone().text()).toBe(202)
    const queued = (await res.json()) as CatalogueImportDetail
    await t.deps.catalogueImports?.idle()
    const done = await app.request(`/api/catalogue/imports/${queued.import.id}`, { headers: owner.read })
    return (await done.json()) as CatalogueImportDetail
  }
  const products = () =>
    t.deps.db
      .selectFrom('products')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .orderBy('handle')
      .execute()
  const variantsOf = (handle: string) =>
    t.deps.db
      .selectFrom('product_variants as v')
      .innerJoin('products as p', (j) =>
        j.onRef('p.merchant_id', '=', 'v.merchant_id').onRef('p.id', '=', 'v.product_id'),
      )
      .select([
        'v.sku',
        'v.price',
        'v.compare_at_price',
        'v.inventory_quantity',
        'v.image_url',
        'v.option1',
        'v.option2',
      ])
      .where('v.merchant_id', '=', merchantId)
      .where('p.handle', '=', handle)
      .orderBy('v.position')
      .execute()
  const webhook = (
    topic: string,
    payload: unknown,
    headers: Record<string, string> = {},
    secret = SHOP.clientSecret,
  ) => {
    const body = JSON.stringify(payload)
    return app.request(`/webhooks/shopify/${channel.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-webhook-id': `wh-${Math.random()}`,
        'x-shopify-hmac-sha256': signShopifyBody(body, secret),
        ...headers,
      },
      body,
    })
  }

  it('answers 409 in words while no store is connected', async () => {
    const res = await app.request('/api/catalogue/shopify-sync', { method: 'POST', headers: owner.write })
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({
      error: { code: 'conflict', message: expect.stringMatching(/Shopify/) },
    })
  })

  it('connecting registers the products topics with the others', async () => {
    const res = await app.request('/api/channels', {
      method: 'POST',
      headers: owner.write,
      body: JSON.stringify({ kind: 'shopify', ...SHOP }),
    })
    expect(res.status, await res.clone().text()).toBe(201)
    channel = (await res.json()) as ChannelSummary
    for (const topic of ['PRODUCTS_CREATE', 'PRODUCTS_UPDATE', 'PRODUCTS_DELETE', 'ORDERS_CREATE']) {
      expect(shopify.subscriptions.get(topic)).toContain(`/webhooks/shopify/${channel.id}`)
    }
  })

  it('imports every page of products with variants, options, images, compare-at prices and stock', async () => {
    const before = shopify.requests.length
    const result = await sync()
    expect(result.import).toMatchObject({
      source: 'shopify',
      status: 'done',
      progress: 1,
      created: 5,
      errorCount: 0,
    })
    const pages = shopify.requests
      .slice(before)
      .map((r) => (r.body as { variables: Record<string, unknown> }).variables)
    expect(pages).toHaveLength(3)
    expect(pages.map((v) => v.first)).toEqual([2, 2, 2])
    expect(pages[0]?.after).toBeNull()
    expect(pages[1]?.after).toEqual(expect.any(String))
    expect(
      shopify.requests.slice(before).every((r) => r.headers['x-shopify-access-token'] === SHOP.accessToken),
    ).toBe(true)

    const rows = await products()
    expect(rows.map((p) => p.handle)).toEqual([
      'linen-shirt-1',
      'linen-shirt-2',
      'linen-shirt-3',
      'linen-shirt-4',
      'linen-shirt-5',
    ])
    expect(rows[1]).toMatchObject({
      external_id: 'gid://shopify/Product/2',
      title: 'Linen Shirt 2',
      vendor: 'Linen & Co',
      product_type: 'Shirts',
      tags: ['linen', 'summer'],
      status: 'active',
      currency: 'EUR',
      url: 'https://linen.example/products/linen-shirt-2',
      image_url: 'https://cdn.shopify.com/s/files/p2.jpg',
      option_names: ['Size', 'Color'],
      in_stock: true,
    })
    expect(Number(rows[1]?.price)).toBe(49)
    expect(Number(rows[1]?.compare_at_price)).toBe(59)
    const variants = await variantsOf('linen-shirt-2')
    expect(variants).toHaveLength(4)
    expect(variants[1]).toMatchObject({
      sku: 'LIN-2-S-SAND',
      option1: 'S',
      option2: 'Sand',
      inventory_quantity: 3,
      compare_at_price: null,
      image_url: 'https://cdn.shopify.com/s/files/p2-sand.jpg',
    })
  }, 60_000)

  it('a second sync changes nothing', async () => {
    const before = await products()
    const result = await sync()
    expect(result.import).toMatchObject({ status: 'done', created: 0, updated: 0, unchanged: 5 })
    const after = await products()
    expect(after.map((p) => p.updated_at.getTime())).toEqual(before.map((p) => p.updated_at.getTime()))
  }, 60_000)

  it('products/update with the same product changes nothing; a price and stock change lands', async () => {
    const same = await webhook('products/update', productWebhook(2))
    expect(await same.json()).toMatchObject({ ok: true, written: 'unchanged' })

    const res = await webhook('products/update', productWebhook(2, { price: '39.50', stock: 0 }), {
      'x-shopify-event-id': 'ev-price-2',
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, written: 'updated' })
    const variants = await variantsOf('linen-shirt-2')
    expect(variants[0]).toMatchObject({ sku: 'LIN-2-S-BLUE', inventory_quantity: 0 })
    expect(Number(variants[0]?.price)).toBe(39.5)
    const product = (await products()).find((p) => p.handle === 'linen-shirt-2')
    // The summary follows: the lowest price is now the changed variant's.
    expect(Number(product?.price)).toBe(39.5)
    // The URL came from the sync (webhooks do not carry it) and stays.
    expect(product?.url).toBe('https://linen.example/products/linen-shirt-2')

    // The same event redelivered under a new webhook id is a duplicate.
    const again = await webhook('products/update', productWebhook(2, { price: '39.50', stock: 0 }), {
      'x-shopify-event-id': 'ev-price-2',
    })
    expect(await again.json()).toMatchObject({ ok: true, duplicate: true })
  })

  it('refuses a bad signature with 401 and writes nothing', async () => {
    const before = await products()
    const receipts = await t.deps.db
      .selectFrom('receipts')
      .select('external_id')
      .where('merchant_id', '=', merchantId)
      .execute()
    const res = await webhook('products/update', productWebhook(4, { price: '1.00' }), {}, 'not-the-secret')
    expect(res.status).toBe(401)
    const gone = await webhook('products/delete', { id: 4 }, {}, 'not-the-secret')
    expect(gone.status).toBe(401)
    expect(await products()).toEqual(before)
    expect(
      await t.deps.db
        .selectFrom('receipts')
        .select('external_id')
        .where('merchant_id', '=', merchantId)
        .execute(),
    ).toHaveLength(receipts.length)
  })

  it('products/create adds a product and products/delete removes one with its variants', async () => {
    const created = await webhook('products/create', productWebhook(6, { title: 'Linen Trousers' }))
    expect(await created.json()).toMatchObject({ written: 'created' })
    const trousers = (await products()).find((p) => p.handle === 'linen-shirt-6')
    // No sync-time URL for a product first seen by webhook; the store's currency is the one the sync read.
    expect(trousers).toMatchObject({ title: 'Linen Trousers', currency: 'EUR', url: null })

    const deleted = await webhook('products/delete', { id: 3 })
    expect(await deleted.json()).toMatchObject({ written: 'deleted' })
    expect((await products()).map((p) => p.handle)).not.toContain('linen-shirt-3')
    expect(await variantsOf('linen-shirt-3')).toEqual([])
    const absent = await webhook('products/delete', { id: 999 })
    expect(await absent.json()).toMatchObject({ written: 'absent' })
  })

  it('a renamed handle keeps the product row', async () => {
    const before = (await products()).find((p) => p.handle === 'linen-shirt-5')
    const renamed = { ...productWebhook(5, { title: 'Linen Shirt Five' }), handle: 'linen-shirt-five' }
    expect(await (await webhook('products/update', renamed)).json()).toMatchObject({ written: 'updated' })
    const after = (await products()).find((p) => p.external_id === 'gid://shopify/Product/5')
    expect(after).toMatchObject({ id: before?.id, handle: 'linen-shirt-five', title: 'Linen Shirt Five' })
  })

  it('webhooks arriving out of order: a late older update is left out, and a deleted product stays deleted', async () => {
    const at = (time: string) => ({ updated_at: `2026-11-30T${time}:00Z` })
    const update = (price: string, time: string) =>
      webhook('products/update', { ...productWebhook(4, { price }), ...at(time) })
    const priceOf4 = async () =>
      Number((await products()).find((p) => p.external_id === 'gid://shopify/Product/4')?.price)
    const newer = await update('45.00', '12:00')
    expect(await newer.json()).toMatchObject({ written: 'updated' })
    expect(await priceOf4()).toBe(45)

    // Sent at 11:00, delivered after the 12:00 one: the catalogue keeps the 12:00 prices.
    const older = await update('1.00', '11:00')
    expect(await older.json()).toMatchObject({
      ok: true,
      ignored: 'a newer version of this product is already in the catalogue',
    })
    expect(await priceOf4()).toBe(45)
    expect(Number((await variantsOf('linen-shirt-4'))[0]?.price)).toBe(45)

    // A later one is applied.
    const later = await update('44.00', '12:05')
    expect(await later.json()).toMatchObject({ written: 'updated' })
    expect(await priceOf4()).toBe(44)

    expect(await (await webhook('products/delete', { id: 4 })).json()).toMatchObject({ written: 'deleted' })
    // An update the store sent before the deletion, delivered after it, and a create replayed: both left out.
    const late = await update('45.00', '12:30')
    expect(await late.json()).toMatchObject({ ignored: expect.stringMatching(/deleted this product/) })
    const replayed = await webhook('products/create', { ...productWebhook(4), ...at('09:00') })
    expect(await replayed.json()).toMatchObject({ ignored: expect.stringMatching(/deleted this product/) })
    expect((await products()).map((p) => p.external_id)).not.toContain('gid://shopify/Product/4')
    expect(await variantsOf('linen-shirt-4')).toEqual([])
  })

  it('a token Shopify refuses fails the sync in its words', async () => {
    shopify.script({ status: 401, body: { errors: '[API] Invalid API key or access token' } })
    const result = await sync()
    expect(result.import).toMatchObject({
      status: 'failed',
      failure: expect.stringMatching(/Shopify said: \[API\] Invalid/),
    })
  }, 60_000)
})
