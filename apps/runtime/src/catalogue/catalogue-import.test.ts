// Acceptance 1: a real-shaped Shopify export imports exactly the expected products and variants with one error
// naming the bad row, and importing it again changes nothing; on both backends.
import { readFileSync } from 'node:fs'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { snapshotDatabase } from '../testing/db-snapshot.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { createCsvImport, findImport } from './import-jobs.ts'
import { CatalogueImportWorker } from './import-worker.ts'

const fixture = readFileSync(new URL('./fixtures/shopify-products.csv', import.meta.url))

/** The upload as the route sees it: a stream of small parts (a chunk boundary falls inside quoted fields). */
async function* parts(bytes: Buffer, size = 97) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

describe.each(testDatabases())('catalogue CSV import on %s', (kind) => {
  let t: TestDeps
  let worker: CatalogueImportWorker
  beforeAll(async () => {
    t = await createTestDeps(kind)
    worker = new CatalogueImportWorker(t.deps)
  })
  afterAll(() => t.close())

  async function importFile(merchantId: string, bytes: Buffer, storeUrl: string | null = null) {
    const job = await createCsvImport(t.deps.db, {
      merchantId,
      createdBy: null,
      fileName: 'products_export.csv',
      options: { currency: null, storeUrl, channelId: null },
      body: parts(bytes),
      maxBytes: 1024 * 1024,
      now: new Date(t.clock.now()),
    })
    worker.kick()
    await worker.idle()
    return (await findImport(t.deps.db, merchantId, job.id)) ?? expect.unreachable()
  }

  async function catalogue(merchantId: string) {
    const db = t.deps.db
    const products = await db
      .selectFrom('products')
      .select([
        'id',
        'handle',
        'title',
        'price',
        'compare_at_price',
        'currency',
        'in_stock',
        'status',
        'image_url',
        'url',
        'attributes',
      ])
      .where('merchant_id', '=', merchantId)
      .orderBy('handle')
      .execute()
    const variants = await db
      .selectFrom('product_variants')
      .innerJoin('products', (j) =>
        j
          .onRef('products.merchant_id', '=', 'product_variants.merchant_id')
          .onRef('products.id', '=', 'product_variants.product_id'),
      )
      .select([
        'products.handle',
        'product_variants.title',
        'product_variants.sku',
        'product_variants.price',
        'product_variants.inventory_quantity',
      ])
      .where('product_variants.merchant_id', '=', merchantId)
      .orderBy('products.handle')
      .orderBy('product_variants.position')
      .execute()
    return { products, variants }
  }

  it('imports the expected products and variants, names the bad row, and a re-import changes nothing', async () => {
    const m = await seedMerchant(t.deps.db)
    await t.deps.db
      .updateTable('merchants')
      .set({ budget_currency: 'EUR' })
      .where('id', '=', m.merchantId)
      .execute()
    const job = await importFile(m.merchantId, fixture, 'https://shop.example')
    expect(job).toMatchObject({
      status: 'done',
      failure: null,
      rows_done: 12,
      products_created: 4,
      products_updated: 0,
      products_unchanged: 0,
      error_count: 1,
      errors: [
        {
          line: 15,
          handle: 'trail-runner',
          message: 'Variant Price "12,9O" is not a price (write it like 19.90)',
        },
      ],
    })
    expect(Number(job.bytes_done)).toBe(fixture.byteLength)
    expect(Number(job.bytes_total)).toBe(fixture.byteLength)

    const { products, variants } = await catalogue(m.merchantId)
    expect(products.map((p) => [p.handle, p.price, p.compare_at_price, p.in_stock, p.status])).toEqual([
      ['canvas-tote', '24.50', null, true, 'active'],
      ['linen-shirt', '55.00', null, true, 'active'],
      ['trail-runner', '129.00', null, true, 'active'],
      ['wool-beanie', '19.00', null, false, 'draft'],
    ])
    const shirt = products.find((p) => p.handle === 'linen-shirt')
    expect(shirt).toMatchObject({
      currency: 'EUR',
      url: 'https://shop.example/products/linen-shirt',
      image_url: 'https://cdn.shopify.com/s/files/1/0001/products/linen-shirt-blue.jpg',
      // What product answers read ("is this in white?", "do you have M?").
      attributes: { sizes: ['S', 'M', 'L'], colors: ['Blue', 'White'] },
    })
    expect(variants.map((v) => [v.handle, v.title, v.sku, v.price, v.inventory_quantity])).toEqual([
      ['canvas-tote', 'Default', 'TOTE-NAT', '24.50', 40],
      ['linen-shirt', 'S / Blue', 'LS-S-BLU', '59.00', 12],
      ['linen-shirt', 'M / Blue', 'LS-M-BLU', '59.00', 8],
      ['linen-shirt', 'L / Blue', 'LS-L-BLU', '59.00', 0],
      ['linen-shirt', 'S / White', 'LS-S-WHT', '55.00', 5],
      ['trail-runner', '40', 'TR-40', '129.00', 3],
      ['trail-runner', '41', 'TR-41', '129.00', 0],
      ['trail-runner', '43', 'TR-43', '129.00', 2],
      ['wool-beanie', 'Grey', null, '19.00', 0],
      ['wool-beanie', 'Navy', null, '19.00', 0],
    ])

    const before = await snapshotDatabase(t.deps.db)
    t.clock.advance(60_000)
    const again = await importFile(m.merchantId, fixture, 'https://shop.example')
    expect(again).toMatchObject({
      status: 'done',
      products_created: 0,
      products_updated: 0,
      products_unchanged: 4,
      error_count: 1,
    })
    const after = await snapshotDatabase(t.deps.db)
    expect(after.products).toEqual(before.products)
    expect(after.product_variants).toEqual(before.product_variants)
    // The uploaded files are gone; the history keeps both runs.
    expect(after.catalogue_import_chunks?.rows).toBe(0)
  })

  it('updates what changed: a new price, a variant dropped from a complete product, a fixed row', async () => {
    const m = await seedMerchant(t.deps.db)
    await importFile(m.merchantId, fixture)
    const text = fixture.toString('utf8')
    const edited = text
      .replace('12,9O', '139.00')
      .replace(/\r\nlinen-shirt,,,,,,,,,L,[^\r]*/, '')
      .replace('TOTE-NAT,200,shopify,40,deny,manual,24.5', 'TOTE-NAT,200,shopify,40,deny,manual,26.00')
    expect(edited).not.toBe(text)
    const job = await importFile(m.merchantId, Buffer.from(edited))
    expect(job).toMatchObject({
      products_created: 0,
      products_updated: 3,
      products_unchanged: 1,
      error_count: 0,
    })
    const { variants, products } = await catalogue(m.merchantId)
    expect(variants.map((v) => v.sku)).toEqual([
      'TOTE-NAT',
      'LS-S-BLU',
      'LS-M-BLU',
      'LS-S-WHT',
      'TR-40',
      'TR-41',
      'TR-42',
      'TR-43',
      null,
      null,
    ])
    expect(products.find((p) => p.handle === 'canvas-tote')?.price).toBe('26.00')
  })

  it('fails a file that is not a product CSV with the reason, keeping nothing of it', async () => {
    const m = await seedMerchant(t.deps.db)
    const job = await importFile(m.merchantId, Buffer.from('name,colour\nmug,blue\n'))
    expect(job.status).toBe('failed')
    expect(job.failure).toMatch(/not a product CSV/)
    expect((await catalogue(m.merchantId)).products).toEqual([])
  })
})
