// "Where is my order?" as a shopper and a store live it, through the HTTP API (issue 14): the store reports
// orders over /api/events, the shopper asks over web chat. The cases the issue found broken: a number in the
// first message asked for again, Shopify's "#1004" printed "##1004", and lookups not limited to the shopper's
// own orders.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenarioWorld, type ScenarioStore, type ScenarioWorld } from '../testing/shopper-scenario.ts'

let events = 0

/** order.created for a shopper identified as the store knows them. */
function orderPlaced(contact: Record<string, unknown>, number: string) {
  events += 1
  return {
    id: `order-created-${events}`,
    type: 'order.created',
    contact,
    order: {
      id: `order-${events}`,
      number,
      total: '59.00',
      currency: 'EUR',
      items: [{ title: 'Linen Overshirt', quantity: 1, price: '59.00' }],
    },
  }
}

function orderShipped(number: string) {
  events += 1
  return {
    id: `order-shipped-${events}`,
    type: 'order.shipped',
    order: {
      number,
      trackingNumber: `TRK${events}`,
      carrier: 'DHL',
      trackingUrl: `https://track.example/TRK${events}`,
    },
  }
}

async function accepted(store: ScenarioStore, body: unknown) {
  const res = await store.event(body)
  expect(res.status, JSON.stringify(res.body)).toBe(202)
}

describe.each(testDatabases())('orders, as a shopper asks over web chat, on %s', (kind) => {
  let world: ScenarioWorld
  beforeAll(async () => {
    world = await createScenarioWorld(kind)
  })
  afterAll(() => world?.close())

  const newStore = () => world.store({ starterFlows: ['where-is-my-order'] })

  it('answers "where is my order 1234?" in the first message without asking for the number again', async () => {
    const store = await newStore()
    const shopper = await store.visitor()
    const me = { channelId: store.channels.webchat.id, externalId: shopper.visitorId, name: 'Maya Lind' }
    await accepted(store, orderPlaced(me, '1234'))
    const shipped = orderShipped('1234')
    await accepted(store, shipped)

    expect((await shopper.say('where is my order 1234?')).status).toBe(202)
    const texts = shopper.texts()
    expect(texts.some((t) => /order number\?/i.test(t))).toBe(false)
    const answer = texts.find((t) => t.startsWith('Order #1234 is on its way.'))
    expect(answer, texts.join('\n')).toBeDefined()
    expect(answer).toContain(shipped.order.trackingUrl)
    expect(answer).toContain('DHL')
  })

  it('prints Shopify\'s "#1004" as "Order #1004", never "##1004"', async () => {
    const store = await newStore()
    const shopper = await store.visitor()
    const me = { channelId: store.channels.webchat.id, externalId: shopper.visitorId }
    await accepted(store, orderPlaced(me, '#1004'))

    await shopper.say('where is my order #1004')
    const all = shopper.texts().join('\n')
    expect(all).toContain('Order #1004 is')
    expect(all).not.toContain('##')

    // The shopper may write it without the hash, or as "order 1004"; the store's own name is kept.
    const again = await store.visitor()
    await accepted(
      store,
      orderPlaced({ channelId: store.channels.webchat.id, externalId: again.visitorId }, '#1005'),
    )
    await again.say('order status for order 1005 please')
    expect(again.texts().join('\n')).toContain('Order #1005 is')
  })

  it("does not reveal someone else's order, even with its exact number", async () => {
    const store = await newStore()
    const owner = await store.visitor()
    const stranger = await store.visitor()
    await accepted(
      store,
      orderPlaced({ channelId: store.channels.webchat.id, externalId: owner.visitorId }, '5550'),
    )
    await accepted(store, orderShipped('5550'))

    await stranger.say('where is my order 5550?')
    const all = stranger.texts().join('\n')
    expect(all).not.toMatch(/Order #?5550 is/)
    expect(all).not.toContain('track.example')
    expect(all).not.toContain('DHL')
    expect(all).toContain("I couldn't find that order")
    // ...and the owner still gets it.
    await owner.say('where is my order 5550?')
    expect(owner.texts().join('\n')).toContain('Order #5550 is')
  })

  it('finds the order the shopper placed with the same email, or the same phone, on another contact', async () => {
    const store = await newStore()
    // A guest checkout by email; later the shopper chats and the store tells us who they are.
    await accepted(store, orderPlaced({ email: 'ana@example.com', name: 'Ana' }, '7001'))
    const byEmail = await store.visitor()
    await accepted(store, {
      id: `identify-${byEmail.visitorId}`,
      type: 'cart.updated',
      contact: {
        channelId: store.channels.webchat.id,
        externalId: byEmail.visitorId,
        email: 'ANA@example.com',
      },
      cart: { token: `cart-${byEmail.visitorId}`, items: [], value: 0, currency: 'EUR' },
    })
    await byEmail.say('where is my order 7001')
    expect(byEmail.texts().join('\n')).toContain('Order #7001 is confirmed and being prepared.')

    await accepted(store, orderPlaced({ phone: '+4915112345678' }, '7002'))
    const byPhone = await store.visitor()
    await accepted(store, {
      id: `identify-${byPhone.visitorId}`,
      type: 'cart.updated',
      contact: {
        channelId: store.channels.webchat.id,
        externalId: byPhone.visitorId,
        phone: '+4915112345678',
      },
      cart: { token: `cart-${byPhone.visitorId}`, items: [], value: 0, currency: 'EUR' },
    })
    await byPhone.say('where is my order 7002')
    expect(byPhone.texts().join('\n')).toContain('Order #7002 is')
    // The email shopper's order is still not the phone shopper's.
    await byPhone.say('where is my order 7001')
    expect(byPhone.texts().join('\n')).not.toContain('Order #7001 is')
  })

  it('asks for the number when the first message has none, then answers from it', async () => {
    const store = await newStore()
    const shopper = await store.visitor()
    await accepted(
      store,
      orderPlaced({ channelId: store.channels.webchat.id, externalId: shopper.visitorId }, '8100'),
    )
    await shopper.say('where is my order')
    expect(shopper.texts().at(-1)).toMatch(/What's your order number\?/)
    await shopper.say('#8100')
    expect(shopper.texts().join('\n')).toContain('Order #8100 is')
  })
})
