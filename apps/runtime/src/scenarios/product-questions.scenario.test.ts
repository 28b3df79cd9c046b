// Issue 14, product questions, through the HTTP API as a store and a shopper use it: the owner imports the
// catalogue (a Shopify CSV with variants) and publishes the starter flows, shoppers ask over web chat. The exact
// case from the issue ("Is the Classic Hoodie available in M?" with M in stock in Navy and sold out in Sand) is
// answered variant by variant with the product's card; typos still find it; an unknown product goes to a person
// with a clear message; a plain "hi" gets the welcome flow, not the staff queue.
import type { CatalogueImportDetail } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenarioWorld, type ScenarioStore, type ScenarioWorld } from '../testing/shopper-scenario.ts'

const HEADER =
  'Handle,Title,Body (HTML),Vendor,Type,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,Variant Inventory Qty,Variant Price,Image Src,Status'

/** The hoodie in Navy and Sand, S to L; Sand in M sold out; L costs more. And a tote. */
function catalogueCsv(): string {
  const rows = [HEADER]
  let first = true
  for (const colour of ['Navy', 'Sand']) {
    for (const size of ['S', 'M', 'L']) {
      const stock = colour === 'Sand' && size === 'M' ? 0 : 7
      const price = size === 'L' ? '64.00' : '59.00'
      const sku = `HOOD-${colour[0]}-${size}`
      rows.push(
        first
          ? `classic-hoodie,Classic Hoodie,<p>Heavyweight cotton fleece.</p>,Parley Threads,Hoodies,Colour,${colour},Size,${size},${sku},${stock},${price},https://cdn.example/hoodie.jpg,active`
          : `classic-hoodie,,,,,,${colour},,${size},${sku},${stock},${price},,`,
      )
      first = false
    }
  }
  rows.push(
    'canvas-tote,Canvas Tote,<p>Fits a laptop.</p>,Parley Threads,Bags,Title,Default Title,,,TOTE-1,3,25.00,https://cdn.example/tote.jpg,active',
  )
  return `${rows.join('\n')}\n`
}

describe.each(testDatabases())('product questions through the HTTP API on %s', (kind) => {
  let world: ScenarioWorld
  let store: ScenarioStore

  beforeAll(async () => {
    world = await createScenarioWorld(kind)
    store = await world.store({ starterFlows: ['welcome', 'product-questions'], name: 'Hoodie Hut' })
    const res = await world.app.request(
      '/api/catalogue/imports?fileName=catalogue.csv&storeUrl=https://hoodie-hut.example',
      {
        method: 'POST',
        headers: { ...store.owner.write, 'content-type': 'text/csv' },
        body: catalogueCsv(),
      },
    )
    expect(res.status, await res.clone().text()).toBe(202)
    const queued = (await res.json()) as CatalogueImportDetail
    await world.t.deps.catalogueImports?.idle()
    const done = await world.app.request(`/api/catalogue/imports/${queued.import.id}`, {
      headers: store.owner.read,
    })
    expect(((await done.json()) as CatalogueImportDetail).import).toMatchObject({
      status: 'done',
      created: 2,
      errorCount: 0,
    })
  }, 180_000)
  afterAll(() => world?.close())

  it('answers "Is the Classic Hoodie available in M?" per variant, with the product card', async () => {
    const shopper = await store.visitor()
    expect((await shopper.say('Is the Classic Hoodie available in M?')).status).toBe(202)
    const [reply, ...more] = shopper.received()
    expect(more).toEqual([])
    expect(reply?.text).toBe('Classic Hoodie: M is in stock in Navy, sold out in Sand (59.00 USD).')
    expect(reply?.product).toMatchObject({
      title: 'Classic Hoodie',
      imageUrl: 'https://cdn.example/hoodie.jpg',
      price: 59,
      currency: 'USD',
    })
    expect(reply?.product?.url).toMatch(/^https?:\/\//)
  })

  it('finds the product and the colour through typos, with prices per size', async () => {
    const shopper = await store.visitor()
    await shopper.say('do you have the clasic hodie in navvy?')
    expect(shopper.texts()).toEqual([
      'Classic Hoodie: Navy is in stock in S (59.00 USD), M (59.00 USD) and L (64.00 USD).',
    ])
  })

  it('hands a question about a product the store does not sell to a person, saying so', async () => {
    const shopper = await store.visitor()
    await shopper.say('Do you have the Alpine Parka in XL?')
    const texts = shopper.texts()
    // The flow's note, then the queue's acknowledgement (handoff/): who answers and when.
    expect(texts.slice(0, 2)).toEqual([
      'Good question! That one is for our team.',
      expect.stringMatching(/^I've asked the team — a person will reply here/),
    ])
    expect(texts.join(' ')).not.toMatch(/in stock/)
    const conversation = await world.t.deps.db
      .selectFrom('conversations')
      .select('status')
      .where('merchant_id', '=', store.merchantId)
      .where('status', '=', 'waiting')
      .execute()
    expect(conversation).toHaveLength(1)
  })

  it('greets a plain "hi" with the welcome flow instead of escalating', async () => {
    const shopper = await store.visitor()
    await shopper.say('hi')
    expect(shopper.texts()[0]).toContain('welcome to Hoodie Hut')
    expect(shopper.texts().join(' ')).not.toMatch(/asked the team/)
  })
})
