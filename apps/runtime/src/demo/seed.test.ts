import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { snapshotDatabase } from '../testing/db-snapshot.ts'
import { signIn } from '../testing/sign-in.ts'
import { createTestDeps, type TestDeps } from '../testing/test-deps.ts'
import { DEMO_OWNER_EMAIL, loadDemoCatalogue, seedDemo } from './seed.ts'

describe.each(testDatabases())('seedDemo on %s', (kind) => {
  let t: TestDeps
  beforeAll(async () => {
    t = await createTestDeps(kind)
  })
  afterAll(() => t.close())

  it('creates the demo merchant once; the owner signs in and sees the seven starter flows published', async () => {
    const first = await seedDemo(t.deps.db, { password: 'demo-password-123' })
    expect(first).toMatchObject({
      created: true,
      password: 'demo-password-123',
      productCount: loadDemoCatalogue().length,
    })
    expect(first.apiKey).toMatch(/^pk_live_/)
    expect(first.flowIds).toHaveLength(7)

    const before = await snapshotDatabase(t.deps.db)
    const second = await seedDemo(t.deps.db)
    expect(second.created).toBe(false)
    expect(second.password).toBeUndefined()
    expect(second.apiKey).toBeUndefined()
    expect(second.flowIds).toEqual(first.flowIds)
    expect(await snapshotDatabase(t.deps.db)).toEqual(before)

    const app = createApp(t.deps)
    const owner = await signIn(app, { email: DEMO_OWNER_EMAIL, password: 'demo-password-123' })
    const { flows } = (await (await app.request('/api/flows', { headers: owner.read })).json()) as {
      flows: { status: string; publishedVersion: number }[]
    }
    expect(flows).toHaveLength(7)
    expect(flows.every((f) => f.status === 'published' && f.publishedVersion === 1)).toBe(true)
    const products = await t.deps.db
      .selectFrom('products')
      .selectAll()
      .where('merchant_id', '=', first.merchantId)
      .execute()
    expect(products[0]?.image_url).toMatch(/^data:image\/svg\+xml/)
    expect(products.every((p) => Array.isArray(p.attributes.colors))).toBe(true)
    // The catalogue is the data file's, product for product.
    const catalogue = loadDemoCatalogue()
    expect(products.map((p) => [p.external_id, p.title, String(p.price)]).sort()).toEqual(
      catalogue.map((p) => [p.sku, p.title, p.price]).sort(),
    )
  })
})
