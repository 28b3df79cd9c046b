// Issue 14, cart recovery, through the HTTP API: the store posts its orders and a two-item checkout (jeans and a
// cap, as in the issue) to /api/events, time moves on the dev clock, and the web-chat shopper receives the
// sequence. Every item is named, each is a card (the cap's picture from the catalogue, the event had none), the
// cart opens from a button rather than a raw link, and the social proof is the store's own week of sales, or
// nothing at all.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeProducts } from '../catalogue/catalogue-writer.ts'
import { singleVariantDraft } from '../catalogue/testing/product-drafts.ts'
import { createScenarioWorld, type ScenarioStore, type ScenarioWorld } from '../testing/shopper-scenario.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

const product = (n: number, title: string, image: string) =>
  singleVariantDraft(n, title, { vendor: 'North Thread', price: n === 1 ? '80.00' : '20.00', image })

describe.each(testDatabases())('cart recovery through the HTTP API on %s', (kind) => {
  let world: ScenarioWorld
  beforeAll(async () => {
    world = await createScenarioWorld(kind)
  }, 120_000)
  afterAll(() => world?.close())

  async function openStore(): Promise<ScenarioStore> {
    const store = await world.store({ starterFlows: ['cart-recovery'], name: 'North Thread' })
    await writeProducts(
      world.t.deps.db,
      store.merchantId,
      [
        product(1, 'Slim Jeans', 'https://cdn.example/jeans.jpg'),
        product(2, 'Canvas Cap', 'https://cdn.example/cap.jpg'),
      ],
      new Date(world.t.clock.now()),
    )
    return store
  }

  const checkout = (store: ScenarioStore, visitor: string, token: string) => ({
    id: `checkout-${token}`,
    type: 'cart.updated',
    contact: { channelId: store.channels.webchat.id, externalId: visitor, name: 'Maya Lind', consent: true },
    cart: {
      token,
      items: [
        {
          title: 'Slim Jeans',
          price: '80.00',
          quantity: 1,
          productId: '1',
          image: 'https://cdn.example/jeans.jpg',
        },
        // Sent without a picture: the catalogue has one.
        { title: 'Canvas Cap', price: '20.00', quantity: 1, productId: '2' },
      ],
      value: '100.00',
      currency: 'USD',
      checkoutUrl: `https://shop.example/checkouts/${token}/recover`,
    },
  })
  const received = (visitor: string) =>
    world.adapters.webchat.sends.filter((s) => s.payload.to === visitor).map((s) => s.payload.message)

  it('names the jeans and the cap, shows both as cards with a Return-to-cart button, and backs its proof with sales', async () => {
    const store = await openStore()
    // Three earlier orders with two pairs of jeans each: 6 sold this week.
    for (const n of [1, 2, 3]) {
      const order = await store.event({
        id: `order-${n}`,
        type: 'order.created',
        order: {
          id: `o-${n}`,
          number: `#10${n}`,
          total: '160.00',
          currency: 'USD',
          items: [{ title: 'Slim Jeans', quantity: 2, price: '80.00', productId: '1' }],
        },
      })
      expect(order.status).toBe(202)
    }
    // The same order sent again is not counted twice.
    await store.event({
      id: 'order-1-again',
      type: 'order.created',
      order: {
        id: 'o-1',
        number: '#101',
        total: '160.00',
        currency: 'USD',
        items: [{ title: 'Slim Jeans', quantity: 2, price: '80.00', productId: '1' }],
      },
    })
    const visitor = `v-cart-${kind}`
    expect((await store.event(checkout(store, visitor, `tok-${kind}`))).status).toBe(202)
    await store.advance(30 * MINUTE)
    await store.advance(HOUR)

    const [reminder] = received(visitor)
    expect(reminder!.text).toBe(
      "Hi Maya, you left Slim Jeans and Canvas Cap in your cart. Pick up where you left off whenever you're ready.",
    )
    expect(reminder!.text).not.toMatch(/https?:|available|out of 5/)
    expect(reminder!.products).toEqual([
      expect.objectContaining({
        title: 'Slim Jeans',
        price: 80,
        currency: 'USD',
        imageUrl: 'https://cdn.example/jeans.jpg',
      }),
      expect.objectContaining({
        title: 'Canvas Cap',
        price: 20,
        currency: 'USD',
        imageUrl: 'https://cdn.example/cap.jpg',
      }),
    ])
    expect(reminder!.link).toEqual({
      title: 'Return to cart',
      url: `https://shop.example/checkouts/tok-${kind}/recover`,
    })

    await store.advance(23 * HOUR)
    const second = received(visitor)[1]!
    expect(second.text).toBe(
      'Your cart with Slim Jeans and Canvas Cap is still waiting. Slim Jeans is popular: 6 sold in the last 7 days.',
    )
    expect(second.link?.title).toBe('Return to cart')
  })

  it('makes no claim at all when the store has no sales or stock to back one', async () => {
    const store = await openStore()
    const visitor = `v-cart-quiet-${kind}`
    await store.event(checkout(store, visitor, `tok-quiet-${kind}`))
    await store.advance(30 * MINUTE)
    await store.advance(24 * HOUR)
    const texts = received(visitor).map((m) => m.text)
    expect(texts).toHaveLength(2)
    expect(texts[1]).toBe('Your cart with Slim Jeans and Canvas Cap is still waiting.')
  })
})
