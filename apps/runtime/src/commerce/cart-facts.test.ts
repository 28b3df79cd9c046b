// What a cart message may say beyond the cart event: the catalogue's picture for an item sent without one, and
// social proof only from the store's own sales and stock — or nothing. On PGlite and real Postgres.
import type { Cart } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeProducts } from '../catalogue/catalogue-writer.ts'
import { singleVariantDraft } from '../catalogue/testing/product-drafts.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { cartVarsWithFacts, socialProof } from './cart-facts.ts'
import { countOrderSales } from './product-sales.ts'

const now = new Date('2026-11-30T12:00:00Z')
const DAY = 86_400_000

describe('socialProof', () => {
  it.each([
    [
      { unitsLastWeek: 12, stockLeft: 3 },
      'Jeans is popular: 12 sold in the last 7 days. Only 3 left in stock.',
    ],
    [{ unitsLastWeek: 12, stockLeft: null }, 'Jeans is popular: 12 sold in the last 7 days.'],
    [{ unitsLastWeek: 2, stockLeft: 40 }, ''],
    [{ unitsLastWeek: 0, stockLeft: 2 }, 'Jeans is selling out: only 2 left.'],
    // Sold out is not a reason to come back; untracked stock says nothing.
    [{ unitsLastWeek: 0, stockLeft: 0 }, ''],
    [{ unitsLastWeek: 0, stockLeft: null }, ''],
  ])('%j → %j', (facts, expected) => {
    expect(socialProof('Jeans', facts)).toBe(expected)
  })
})

const draft = (n: number, title: string, inventory: number | null, image: string) =>
  singleVariantDraft(n, title, { inventory, image })

describe.each(testDatabases())('cart facts on %s', (kind) => {
  let t: TestDeps
  beforeAll(async () => {
    t = await createTestDeps(kind)
  })
  afterAll(() => t?.close())

  function cart(merchantId: string, items: Cart['items']): Cart {
    return {
      merchant_id: merchantId,
      id: '00000000-0000-4000-8000-000000000001',
      token: 'tok',
      contact_id: null,
      items,
      value: '100',
      currency: 'USD',
      checkout_url: 'https://shop.example/checkouts/tok/recover',
      status: 'abandoned',
    } as unknown as Cart
  }

  it('fills a missing picture from the catalogue and backs the proof with last week’s sales and stock', async () => {
    const { merchantId } = await seedMerchant(t.deps.db)
    await writeProducts(
      t.deps.db,
      merchantId,
      [
        draft(11, 'Slim Jeans', 3, 'https://cdn.example/jeans.jpg'),
        draft(12, 'Canvas Cap', null, 'https://cdn.example/cap.jpg'),
      ],
      now,
    )
    for (let i = 0; i < 4; i++) {
      await countOrderSales(
        t.deps.db,
        merchantId,
        [{ title: 'Slim Jeans', productId: '11', quantity: 2 }],
        now,
      )
    }
    // Eight days ago: outside the week, not counted.
    await countOrderSales(
      t.deps.db,
      merchantId,
      [{ productId: '11', quantity: 50 }],
      new Date(now.getTime() - 8 * DAY),
    )
    const vars = await cartVarsWithFacts(
      t.deps.db,
      cart(merchantId, [
        { title: 'Slim Jeans', quantity: 1, price: 80, image: null, product_id: '11', url: null },
        {
          title: 'Canvas Cap',
          quantity: 1,
          price: 20,
          image: 'https://cdn.example/own-cap.jpg',
          product_id: null,
          url: null,
        },
      ]),
      now,
    )
    expect(vars.summary).toBe('Slim Jeans and Canvas Cap')
    expect(vars.proof).toBe('Slim Jeans is popular: 8 sold in the last 7 days. Only 3 left in stock.')
    const items = vars.items as { imageUrl: string | null }[]
    // The catalogue's picture where the cart had none; the cart's own picture is kept.
    expect(items.map((i) => i.imageUrl)).toEqual([
      'https://cdn.example/jeans.jpg',
      'https://cdn.example/own-cap.jpg',
    ])
  })

  it('says nothing without sales or stock facts, and never reads another store’s', async () => {
    const other = (await seedMerchant(t.deps.db)).merchantId
    await countOrderSales(t.deps.db, other, [{ title: 'Slim Jeans', quantity: 40 }], now)
    const { merchantId } = await seedMerchant(t.deps.db)
    const vars = await cartVarsWithFacts(
      t.deps.db,
      cart(merchantId, [
        { title: 'Slim Jeans', quantity: 1, price: 80, image: null, product_id: null, url: null },
      ]),
      now,
    )
    expect(vars.proof).toBe('')
    expect((vars.items as { imageUrl: string | null }[])[0]!.imageUrl).toBeNull()
  })
})
