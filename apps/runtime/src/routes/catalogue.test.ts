import { readFileSync } from 'node:fs'
import type {
  CatalogueImportDetail,
  CatalogueImportList,
  ProductDetail,
  ProductSearchResult,
} from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import {
  createTestDeps,
  type SeededMerchant,
  seedMerchant,
  seedUser,
  type TestDeps,
} from '../testing/test-deps.ts'

const fixture = readFileSync(new URL('../catalogue/fixtures/shopify-products.csv', import.meta.url))

describe.each(testDatabases())('catalogue API on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  let merchant: SeededMerchant
  let owner: SignedIn
  let editor: SignedIn
  let importId: string
  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
    merchant = await seedMerchant(t.deps.db)
    owner = await signIn(app, merchant)
    editor = await signIn(app, await seedUser(t.deps.db, merchant.merchantId, { role: 'editor' }))
    const res = await app.request(
      '/api/catalogue/imports?fileName=products_export.csv&storeUrl=https://shop.example',
      {
        method: 'POST',
        headers: { ...owner.write, 'content-type': 'text/csv' },
        body: fixture,
      },
    )
    expect(res.status, await res.clone().text()).toBe(202)
    const queued = (await res.json()) as CatalogueImportDetail
    importId = queued.import.id
    expect(queued.import).toMatchObject({ fileName: 'products_export.csv', source: 'csv', errorCount: 0 })
    expect(['queued', 'running', 'done']).toContain(queued.import.status)
    await t.deps.catalogueImports?.idle()
  })
  afterAll(() => t.close())

  const get = async <T>(path: string, who: SignedIn = owner) => {
    const res = await app.request(path, { headers: who.read })
    expect(res.status, await res.clone().text()).toBe(200)
    return (await res.json()) as T
  }

  it('reports the finished import with its row error, in the history too', async () => {
    const detail = await get<CatalogueImportDetail>(`/api/catalogue/imports/${importId}`, editor)
    expect(detail.import).toMatchObject({ status: 'done', progress: 1, rows: 12, created: 4, errorCount: 1 })
    expect(detail.errors).toEqual([
      {
        line: 15,
        handle: 'trail-runner',
        message: 'Variant Price "12,9O" is not a price (write it like 19.90)',
      },
    ])
    const history = await get<CatalogueImportList>('/api/catalogue/imports')
    expect(history.imports.map((i) => i.id)).toEqual([importId])
  })

  it('searches by words and prefixes, filters by stock and type, pages', async () => {
    const all = await get<ProductSearchResult>('/api/catalogue/products')
    expect(all.total).toBe(4)
    expect(all.products.map((p) => p.title)).toEqual([
      'Canvas Tote',
      'Linen Shirt',
      'Trail Runner',
      'Wool Beanie',
    ])
    expect(all.types).toEqual(['Bags', 'Hats', 'Shirts', 'Shoes'])

    const words = async (q: string) =>
      (await get<ProductSearchResult>(`/api/catalogue/products?q=${encodeURIComponent(q)}`)).products.map(
        (p) => p.handle,
      )
    expect(await words('linen')).toEqual(['linen-shirt'])
    expect(await words('Lin')).toEqual(['linen-shirt'])
    expect(await words('northfield')).toEqual(['trail-runner', 'wool-beanie'])
    expect(await words('white shirt')).toEqual(['linen-shirt'])
    expect(await words('TR-43')).toEqual(['trail-runner'])
    expect(await words('navy')).toEqual(['wool-beanie'])
    expect(await words('velvet')).toEqual([])
    // Query syntax is just text: no error, no surprise.
    expect(await words("shirt & ! | ( ' :*")).toEqual(['linen-shirt'])

    const outOfStock = await get<ProductSearchResult>('/api/catalogue/products?inStock=false')
    expect(outOfStock.products.map((p) => p.handle)).toEqual(['wool-beanie'])
    const shoes = await get<ProductSearchResult>('/api/catalogue/products?type=Shoes&inStock=true')
    expect(shoes.products.map((p) => p.handle)).toEqual(['trail-runner'])

    const page = await get<ProductSearchResult>('/api/catalogue/products?limit=3&offset=3')
    expect(page).toMatchObject({ total: 4, products: [expect.objectContaining({ handle: 'wool-beanie' })] })
    const past = await get<ProductSearchResult>('/api/catalogue/products?limit=3&offset=9')
    expect(past).toMatchObject({ total: 4, products: [] })
  })

  it('shows a product with its variants; another merchant gets 404', async () => {
    const [shirt] = (await get<ProductSearchResult>('/api/catalogue/products?q=linen')).products
    expect(shirt).toMatchObject({
      price: '55.00',
      currency: 'USD',
      inStock: true,
      variantCount: 4,
      url: 'https://shop.example/products/linen-shirt',
    })
    const { product } = await get<ProductDetail>(`/api/catalogue/products/${shirt?.id}`, editor)
    expect(product.optionNames).toEqual(['Size', 'Color'])
    expect(product.images).toHaveLength(3)
    expect(product.description).toContain('<li>100% European flax, stone-washed</li>')
    expect(product.variants.map((v) => [v.title, v.sku, v.price, v.compareAtPrice, v.inventory])).toEqual([
      ['S / Blue', 'LS-S-BLU', '59.00', '79.00', 12],
      ['M / Blue', 'LS-M-BLU', '59.00', '79.00', 8],
      ['L / Blue', 'LS-L-BLU', '59.00', '79.00', 0],
      ['S / White', 'LS-S-WHT', '55.00', null, 5],
    ])
    expect(product.variants[3]?.options).toEqual([
      { name: 'Size', value: 'S' },
      { name: 'Color', value: 'White' },
    ])

    const other = await seedMerchant(t.deps.db)
    const otherOwner = await signIn(app, other)
    const res = await app.request(`/api/catalogue/products/${shirt?.id}`, { headers: otherOwner.read })
    expect(res.status).toBe(404)
    const foreignImport = await app.request(`/api/catalogue/imports/${importId}`, {
      headers: otherOwner.read,
    })
    expect(foreignImport.status).toBe(404)
    expect((await get<ProductSearchResult>('/api/catalogue/products', otherOwner)).total).toBe(0)
  })

  it('takes files above the JSON body limit (the upload has its own)', async () => {
    // One product whose description alone is over the app-wide 1 MB JSON limit.
    const description = `"<p>${'Soft, warm, and made to last. '.repeat(40_000)}</p>"`
    const body = `handle,title,price,description\nbig,Big product,10.00,${description}\n`
    expect(body.length).toBeGreaterThan(1024 * 1024)
    const other = await seedMerchant(t.deps.db)
    const res = await app.request('/api/catalogue/imports?fileName=big.csv', {
      method: 'POST',
      headers: { ...(await signIn(app, other)).write, 'content-type': 'text/csv' },
      body,
    })
    expect(res.status, await res.clone().text()).toBe(202)
    const { import: job } = (await res.json()) as CatalogueImportDetail
    expect(job.fileName).toBe('big.csv')
    await t.deps.catalogueImports?.idle()
    const done = await t.deps.db
      .selectFrom('catalogue_imports')
      .selectAll()
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow()
    expect(done).toMatchObject({ status: 'done', products_created: 1, error_count: 0 })
  })

  it('answers product questions from the imported catalogue', async () => {
    const { answerProductQuestion } = await import('../effects/product-answer.ts')
    const answer = await answerProductQuestion(
      t.deps.db,
      merchant.merchantId,
      'Does the linen shirt come in white?',
      [],
    )
    // The imported variants answer: white only in S.
    expect(answer?.text).toBe('Linen Shirt: White is in stock in S (55.00 USD).')
  })
})
