// Post-purchase recommendations through the HTTP API (issue 14): the owner uploads the catalogue, the store
// reports an order over /api/events, three days pass on the dev clock, and the shopper gets a product card of
// something that exists, is in stock and was not just bought. The bug the issue found — "Shoppers who bought it
// also love ." with an empty card — must not come back, not even when there is nothing to recommend.
import type { ProductSearchResult } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenarioWorld, type ScenarioStore, type ScenarioWorld } from '../testing/shopper-scenario.ts'

const DAY = 24 * 60 * 60 * 1000

const catalogue = [
  'handle,title,type,price,currency,stock,image,url',
  'linen-shirt,Linen Shirt,Tops,59.00,EUR,12,https://cdn.example/linen-shirt.jpg,https://shop.example/p/linen-shirt',
  'cotton-tee,Cotton Tee,Tops,25.00,EUR,30,https://cdn.example/cotton-tee.jpg,https://shop.example/p/cotton-tee',
  'straw-hat,Straw Hat,Tops,35.00,EUR,0,https://cdn.example/straw-hat.jpg,https://shop.example/p/straw-hat',
  'linen-trousers,Linen Trousers,Bottoms,79.00,EUR,5,https://cdn.example/linen-trousers.jpg,https://shop.example/p/linen-trousers',
].join('\n')

async function uploadCatalogue(world: ScenarioWorld, store: ScenarioStore, csv: string) {
  const res = await world.app.request('/api/catalogue/imports?fileName=products.csv', {
    method: 'POST',
    headers: { ...store.owner.write, 'content-type': 'text/csv' },
    body: csv,
  })
  expect(res.status, await res.clone().text()).toBe(202)
  await world.t.deps.catalogueImports?.idle()
}

async function products(world: ScenarioWorld, store: ScenarioStore) {
  const res = await world.app.request('/api/catalogue/products?limit=50', { headers: store.owner.read })
  expect(res.status).toBe(200)
  return ((await res.json()) as ProductSearchResult).products
}

describe.each(testDatabases())(
  'post-purchase recommendations, as the shopper receives them, on %s',
  (kind) => {
    let world: ScenarioWorld
    beforeAll(async () => {
      world = await createScenarioWorld(kind)
    })
    afterAll(() => world?.close())

    async function orderAndWait(store: ScenarioStore, items: { title: string; productId: string }[]) {
      const shopper = await store.visitor()
      const placed = await store.event({
        id: `order-${shopper.visitorId}`,
        type: 'order.created',
        contact: {
          channelId: store.channels.webchat.id,
          externalId: shopper.visitorId,
          name: 'Maya Lind',
          timezone: 'Europe/Berlin',
          consent: true,
        },
        order: {
          id: `o-${shopper.visitorId}`,
          number: '#3001',
          total: '59.00',
          currency: 'EUR',
          items: items.map((item) => ({ ...item, quantity: 1, price: '59.00' })),
        },
      })
      expect(placed.status, JSON.stringify(placed.body)).toBe(202)
      expect(shopper.received()).toEqual([])
      // Three days, then a day more so a send deferred by the shopper's quiet hours has gone too.
      await store.advance(3 * DAY)
      await store.advance(DAY)
      return shopper
    }

    it('recommends a product that exists, is in stock and was not bought, as a product card', async () => {
      const store = await world.store({ starterFlows: ['post-purchase-cross-sell'] })
      await uploadCatalogue(world, store, catalogue)
      const shopper = await orderAndWait(store, [{ title: 'Linen Shirt', productId: 'linen-shirt' }])

      const received = shopper.received()
      // One message, with one to three cards.
      expect(received).toHaveLength(1)
      const [message] = received
      const cards = [...(message!.product ? [message!.product] : []), ...(message!.products ?? [])]
      expect(cards.length, JSON.stringify(message)).toBeGreaterThanOrEqual(1)
      expect(cards.length).toBeLessThanOrEqual(3)
      expect(message!.text).not.toMatch(/also love \./)
      const known = await products(world, store)
      for (const card of cards) {
        const product = known.find((p) => p.title === card.title)
        expect(product, `${card.title} is in the catalogue`).toBeDefined()
        expect(product?.inStock).toBe(true)
        expect(card.title).not.toBe('Linen Shirt')
        expect(card.imageUrl).toMatch(/^https:\/\/cdn\.example\//)
      }
      // The bought type first: another top that is in stock (the hat is sold out).
      expect(cards[0]?.title).toBe('Cotton Tee')
    })

    it('sends nothing rather than an empty card when nothing can be recommended', async () => {
      const store = await world.store({ starterFlows: ['post-purchase-cross-sell'] })
      await uploadCatalogue(
        world,
        store,
        [
          'handle,title,type,price,currency,stock',
          'linen-shirt,Linen Shirt,Tops,59.00,EUR,12',
          'straw-hat,Straw Hat,Tops,35.00,EUR,0',
        ].join('\n'),
      )
      const shopper = await orderAndWait(store, [{ title: 'Linen Shirt', productId: 'linen-shirt' }])
      expect(shopper.texts()).toEqual([])
      const run = await world.t.deps.db
        .selectFrom('runs')
        .select(['status', 'outcome'])
        .where('merchant_id', '=', store.merchantId)
        .executeTakeFirstOrThrow()
      expect(run.status).toBe('done')
    })
  },
)
