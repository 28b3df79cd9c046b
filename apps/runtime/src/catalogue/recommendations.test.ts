// Post-purchase suggestions from the catalogue: not what was bought, active and in stock, the bought types first;
// shaped like cart items so the card finds the product again.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countOrderSales } from '../commerce/product-sales.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { writeProducts } from './catalogue-writer.ts'
import type { ProductDraft } from './product-draft.ts'
import { recommendProducts } from './recommendations.ts'
import { singleVariantDraft } from './testing/product-drafts.ts'

/** A product of the test catalogue: 30 EUR, `stock` in stock. */
const draft = (n: number, title: string, type: string, more: Partial<ProductDraft> = {}, stock = 4) =>
  singleVariantDraft(
    n,
    title,
    { type, vendor: 'Linen & Co', currency: 'EUR', price: '30.00', inventory: stock },
    more,
  )

const now = new Date('2026-11-30T12:00:00Z')
const DAY = 86_400_000

describe.each(testDatabases())('recommendProducts on %s', (kind) => {
  let t: TestDeps
  let merchantId: string

  beforeAll(async () => {
    t = await createTestDeps(kind)
    merchantId = (await seedMerchant(t.deps.db)).merchantId
    await writeProducts(
      t.deps.db,
      merchantId,
      [
        draft(101, 'Waxed Coat', 'Outerwear'),
        draft(102, 'Wool Scarf', 'Accessories'),
        draft(103, 'Quilted Liner', 'Outerwear'),
        draft(104, 'Rain Boots', 'Outerwear', {}, 0),
        draft(105, 'Archived Parka', 'Outerwear', { status: 'archived' }),
        draft(106, 'Canvas Tote', 'Bags'),
      ],
      new Date(),
    )
  })
  afterAll(() => t?.close())

  it('suggests in-stock active products not bought, the bought types first', async () => {
    const picks = await recommendProducts(
      t.deps.db,
      merchantId,
      [{ title: 'Waxed Coat', productId: '101' }],
      { now },
    )
    expect(picks.map((p) => p.title)).toEqual(['Quilted Liner', 'Canvas Tote', 'Wool Scarf'])
    expect(picks[0]).toEqual({
      title: 'Quilted Liner',
      quantity: 1,
      price: 30,
      currency: 'EUR',
      imageUrl: 'https://cdn.example/103.jpg',
      image: 'https://cdn.example/103.jpg',
      url: 'https://shop.example/products/103',
      productId: 'gid://shopify/Product/103',
    })
  })

  it('knows the bought product by title when the order carries no id, and suggests nothing from an empty catalogue', async () => {
    const picks = await recommendProducts(t.deps.db, merchantId, [{ title: 'Canvas Tote' }], {
      now,
      limit: 5,
    })
    expect(picks.map((p) => p.title)).toEqual(['Quilted Liner', 'Waxed Coat', 'Wool Scarf'])
    const other = (await seedMerchant(t.deps.db)).merchantId
    expect(await recommendProducts(t.deps.db, other, [{ title: 'Canvas Tote' }], { now })).toEqual([])
  })

  it('puts what was most often bought together first, then best-sellers of the same type, from orders counted once', async () => {
    const shop = (await seedMerchant(t.deps.db)).merchantId
    await writeProducts(
      t.deps.db,
      shop,
      [
        draft(201, 'Waxed Coat', 'Outerwear'),
        draft(202, 'Wool Scarf', 'Accessories'),
        draft(203, 'Quilted Liner', 'Outerwear'),
        draft(204, 'Field Jacket', 'Outerwear'),
        draft(205, 'Canvas Tote', 'Bags'),
        draft(206, 'Leather Gloves', 'Accessories', {}, 0),
      ],
      now,
    )
    const coat = { title: 'Waxed Coat', productId: '201', quantity: 1 }
    // The scarf was bought with the coat twice, the tote once; the gloves (out of stock) three times.
    await countOrderSales(t.deps.db, shop, [coat, { title: 'Wool Scarf', productId: '202' }], now)
    await countOrderSales(t.deps.db, shop, [coat, { title: 'Wool Scarf', productId: '202' }], now)
    await countOrderSales(t.deps.db, shop, [coat, { title: 'Canvas Tote', productId: '205' }], now)
    for (let i = 0; i < 3; i++) {
      await countOrderSales(t.deps.db, shop, [coat, { title: 'Leather Gloves', productId: '206' }], now)
    }
    // Alone, the field jacket sold 7 in the last 90 days (the coat 6); the liner 9, but 100 days ago.
    await countOrderSales(t.deps.db, shop, [{ title: 'Field Jacket', productId: '204', quantity: 7 }], now)
    await countOrderSales(
      t.deps.db,
      shop,
      [{ title: 'Quilted Liner', productId: '203', quantity: 9 }],
      new Date(now.getTime() - 100 * DAY),
    )
    const picks = await recommendProducts(t.deps.db, shop, [coat], { now })
    expect(picks.map((p) => p.title)).toEqual(['Wool Scarf', 'Canvas Tote', 'Field Jacket'])
    // Without pair counts for what was bought: the same type, best-seller first.
    const forLiner = await recommendProducts(
      t.deps.db,
      shop,
      [{ title: 'Quilted Liner', productId: '203' }],
      {
        now,
        limit: 2,
      },
    )
    expect(forLiner.map((p) => p.title)).toEqual(['Field Jacket', 'Waxed Coat'])
  })

  it('suggests products a CSV import wrote without an external id (found by handle, productId the row id)', async () => {
    const csvMerchant = (await seedMerchant(t.deps.db)).merchantId
    await writeProducts(
      t.deps.db,
      csvMerchant,
      [
        draft(201, 'Linen Shirt', 'Tops', { externalId: null }),
        draft(202, 'Cotton Tee', 'Tops', { externalId: null }),
      ],
      new Date(),
    )
    const picks = await recommendProducts(
      t.deps.db,
      csvMerchant,
      [{ title: 'Linen shirt (M)', productId: 'linen-shirt' }],
      { now },
    )
    expect(picks.map((p) => p.title)).toEqual(['Cotton Tee'])
    expect(picks[0]?.productId).toMatch(/^[0-9a-f-]{36}$/)
  })
})
