// Retrieval for product questions: the products a question names (typos too), with variants, stock and price,
// the context's products, never another merchant's or a draft, and nothing for a question that names nothing.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { productDraft } from '../testing/catalogue-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { writeProducts } from './catalogue-writer.ts'
import { atLeastQuery, retrieveProducts } from './product-retrieval.ts'

describe.each(testDatabases())('retrieveProducts on %s', (kind) => {
  let t: TestDeps
  let merchantId: string
  let otherMerchantId: string

  beforeAll(async () => {
    t = await createTestDeps(kind)
    merchantId = (await seedMerchant(t.deps.db)).merchantId
    otherMerchantId = (await seedMerchant(t.deps.db, { name: 'Other' })).merchantId
    const now = new Date(t.clock.now())
    await writeProducts(
      t.deps.db,
      merchantId,
      [
        productDraft({
          title: 'Classic Hoodie',
          options: { Colour: ['Navy', 'Sand'], Size: ['S', 'M', 'L'] },
          stock: ([colour, size]) => (colour === 'Sand' && size === 'M' ? 0 : 4),
          price: ([, size]) => (size === 'L' ? '64.00' : '59.00'),
          description: `Heavyweight cotton fleece. ${'Brushed inside. '.repeat(80)}`,
        }),
        productDraft({ title: 'Canvas Tote', description: 'Fits a laptop.' }),
        productDraft({ title: 'Linen Shirt', options: { Size: ['M', 'L'] } }),
        productDraft({ title: 'Secret Hoodie', status: 'draft' }),
      ],
      now,
    )
    await writeProducts(t.deps.db, otherMerchantId, [productDraft({ title: 'Classic Hoodie' })], now)
  }, 120_000)

  afterAll(() => t?.close())

  it('finds the named product first, with its variants, stock, prices and options', async () => {
    const [first] = await retrieveProducts(t.deps.db, merchantId, 'Is the Classic Hoodie available in M?')
    expect(first?.title).toBe('Classic Hoodie')
    expect(first?.optionNames).toEqual(['Colour', 'Size'])
    expect(first?.variants).toHaveLength(6)
    const sandM = first?.variants.find((v) => v.title === 'Sand / M')
    expect(sandM).toMatchObject({ options: ['Sand', 'M'], inventory: 0, price: '59.00' })
    expect(first?.variants.find((v) => v.title === 'Navy / L')?.price).toBe('64.00')
    expect(first).toMatchObject({
      currency: 'USD',
      inStock: true,
      imageUrl: 'https://cdn.example/classic-hoodie.jpg',
      url: 'https://shop.example/products/classic-hoodie',
    })
    expect(first?.description.length).toBeLessThanOrEqual(600)
  })

  it('finds a product named with typos', async () => {
    const found = await retrieveProducts(t.deps.db, merchantId, 'do you have the clasic hodie in navvy?')
    expect(found[0]?.title).toBe('Classic Hoodie')
  })

  it("includes the context's products by their store id and ours", async () => {
    const tote = await retrieveProducts(t.deps.db, merchantId, 'is it waterproof?', {
      context: ['ext-canvas-tote'],
    })
    expect(tote.map((p) => p.title)).toEqual(['Canvas Tote'])
    const byId = await retrieveProducts(t.deps.db, merchantId, 'is it waterproof?', {
      context: [tote[0]?.id ?? ''],
    })
    expect(byId.map((p) => p.title)).toEqual(['Canvas Tote'])
  })

  it('never returns drafts, other merchants’ products, or anything for a question naming nothing', async () => {
    const hoodies = await retrieveProducts(t.deps.db, merchantId, 'hoodie')
    expect(hoodies.map((p) => p.title)).toEqual(['Classic Hoodie'])
    const other = await retrieveProducts(t.deps.db, otherMerchantId, 'Classic Hoodie')
    expect(other).toHaveLength(1)
    expect(other[0]?.id).not.toBe(hoodies[0]?.id)
    expect(await retrieveProducts(t.deps.db, merchantId, 'hi')).toEqual([])
    expect(await retrieveProducts(t.deps.db, merchantId, 'Do you ship to Iceland?')).toEqual([])
  })

  it('caps the candidates', async () => {
    const found = await retrieveProducts(t.deps.db, merchantId, 'hoodie tote shirt', { limit: 2 })
    expect(found).toHaveLength(2)
  })
})

describe('atLeastQuery', () => {
  it('asks for at least k of the words', () => {
    expect(atLeastQuery(['a', 'b', 'c'], 3)).toBe('(a & b & c)')
    expect(atLeastQuery(['a', 'b', 'c'], 2)).toBe('(a & b) | (a & c) | (b & c)')
    expect(atLeastQuery(['a', 'b'], 1)).toBe('a | b')
  })
})
