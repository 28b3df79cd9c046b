// Shipping updates through the HTTP API (issue 14): the store reports shipped / delivered / a delivery problem
// over /api/events and the shopper hears about it without asking — with the tracking link, a person offered
// when delivery fails, and on WhatsApp outside the 24-hour window as a utility template whose cost is recorded.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenarioWorld, type ScenarioStore, type ScenarioWorld } from '../testing/shopper-scenario.ts'

let events = 0
const nextId = (what: string) => `${what}-${++events}`

async function accepted(store: ScenarioStore, body: unknown) {
  const res = await store.event(body)
  expect(res.status, JSON.stringify(res.body)).toBe(202)
}

/** The store places an order for this shopper and later reports on its parcel. */
async function placeOrder(store: ScenarioStore, contact: Record<string, unknown>, number: string) {
  await accepted(store, {
    id: nextId('created'),
    type: 'order.created',
    contact,
    order: { id: nextId('order'), number, total: '42.00', currency: 'EUR', items: [] },
  })
}

const tracking = { trackingNumber: 'JJD0001', carrier: 'DHL', trackingUrl: 'https://track.example/JJD0001' }

describe.each(testDatabases())('shipping updates, told to the shopper unasked, on %s', (kind) => {
  let world: ScenarioWorld
  beforeAll(async () => {
    world = await createScenarioWorld(kind)
  })
  afterAll(() => world?.close())

  it('order.shipped starts the flow with the tracking link; delivered is told too', async () => {
    const store = await world.store({ starterFlows: ['shipping-updates'] })
    const shopper = await store.visitor()
    const me = { channelId: store.channels.webchat.id, externalId: shopper.visitorId, name: 'Maya Lind' }
    await placeOrder(store, me, '#2001')
    expect(shopper.texts()).toEqual([])

    await accepted(store, {
      id: nextId('shipped'),
      type: 'order.shipped',
      order: { number: '#2001', ...tracking },
    })
    const shipped = shopper.texts()
    expect(shipped).toHaveLength(1)
    expect(shipped[0]).toBe(
      'Good news, Maya! Your order #2001 is on its way with DHL. Follow it here: https://track.example/JJD0001',
    )

    await accepted(store, { id: nextId('delivered'), type: 'order.delivered', order: { number: '#2001' } })
    expect(shopper.texts()[1]).toBe(
      "Your order #2001 has been delivered, Maya. Enjoy! If anything isn't right, just reply here.",
    )
  })

  it('a delivery exception offers a person, and "Yes, please" puts the chat in the support queue', async () => {
    const store = await world.store({ starterFlows: ['shipping-updates'] })
    const shopper = await store.visitor()
    const me = { channelId: store.channels.webchat.id, externalId: shopper.visitorId, name: 'Ana' }
    await placeOrder(store, me, '#2002')
    await accepted(store, {
      id: nextId('shipped'),
      type: 'order.shipped',
      order: { number: '#2002', ...tracking },
    })
    await accepted(store, {
      id: nextId('problem'),
      type: 'order.delivery_problem',
      order: { number: '#2002' },
    })
    const offer = shopper.received().at(-1)
    expect(offer?.text).toBe(
      'Sorry, Ana: DHL could not deliver order #2002. Would you like someone from our team to sort it out?',
    )
    expect(offer?.buttons?.map((b) => b.title)).toEqual(["No, I'll check", 'Yes, please'])

    await shopper.tap({ id: 'help', title: 'Yes, please' })
    // The flow's note, then the queue's word of when a person will reply.
    expect(shopper.texts().slice(-2)).toEqual([
      'Sorry about that! Our team will see your order and its tracking.',
      expect.stringMatching(/^I've asked the team — a person will reply here/),
    ])
    const conversation = await world.t.deps.db
      .selectFrom('conversations')
      .select(['status', 'queue'])
      .where('merchant_id', '=', store.merchantId)
      .where('channel_id', '=', store.channels.webchat.id)
      .executeTakeFirstOrThrow()
    expect(conversation).toMatchObject({ status: 'waiting', queue: 'support' })
  })

  it('on WhatsApp outside the 24-hour window the update goes as a utility template, its cost recorded', async () => {
    const store = await world.store({ starterFlows: ['shipping-updates'] })
    // The shopper never wrote on WhatsApp: the window is closed, only an approved template may go.
    const waId = '4915100000042'
    await placeOrder(
      store,
      { channelId: store.channels.whatsapp.id, externalId: waId, phone: `+${waId}`, name: 'Lena Berg' },
      '#2003',
    )
    await accepted(store, {
      id: nextId('shipped'),
      type: 'order.shipped',
      order: { number: '#2003', ...tracking },
    })

    const sends = world.adapters.whatsapp.sends.filter((s) => s.payload.to === waId)
    expect(sends).toHaveLength(1)
    expect(sends[0]?.payload.template).toMatchObject({
      name: 'order_shipped',
      category: 'utility',
      params: ['Lena', '#2003', 'DHL', 'https://track.example/JJD0001'],
    })
    const message = await world.t.deps.db
      .selectFrom('messages')
      .select(['cost', 'cost_currency', 'status'])
      .where('merchant_id', '=', store.merchantId)
      .where('direction', '=', 'out')
      .executeTakeFirstOrThrow()
    expect(message.status).toBe('sent')
    expect(Number(message.cost)).toBeGreaterThan(0)
    expect(message.cost_currency).toMatch(/^[A-Z]{3}$/)
  })
})
