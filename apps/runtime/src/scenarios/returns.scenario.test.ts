// Returns through the HTTP API (issue 14): the store reports the order and its delivery over /api/events, the
// shopper asks for a return over web chat, taps a reason, sends a photo, and the returns team finds the case
// (order, items, return window, days since delivery, the photo) in the inbox. The cases the issue found
// broken: an order number not checked against the shopper's own orders or the return window, and no photos.
import type { InboxContext, SettingsResponse } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createScenarioWorld,
  type ScenarioStore,
  type ScenarioWorld,
  type WebchatVisitor,
} from '../testing/shopper-scenario.ts'

const DAY = 24 * 60 * 60 * 1000
// A 1×1 PNG: the upload route checks a photo's real type from its bytes.
const PHOTO = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  ),
)

let events = 0

async function accepted(store: ScenarioStore, body: unknown) {
  const res = await store.event(body)
  expect(res.status, JSON.stringify(res.body)).toBe(202)
}

/** The store places an order for this shopper and the carrier delivers it. */
async function deliveredOrder(store: ScenarioStore, shopper: WebchatVisitor, number: string) {
  events += 1
  await accepted(store, {
    id: `created-${events}`,
    type: 'order.created',
    contact: { channelId: store.channels.webchat.id, externalId: shopper.visitorId, name: 'Maya Lind' },
    order: {
      id: `order-${events}`,
      number,
      total: '89.00',
      currency: 'EUR',
      items: [{ title: 'Waxed Jacket', quantity: 1, price: '89.00' }],
    },
  })
  await accepted(store, { id: `delivered-${events}`, type: 'order.delivered', order: { number } })
}

describe.each(testDatabases())('returns, as a shopper starts one over web chat, on %s', (kind) => {
  let world: ScenarioWorld
  beforeAll(async () => {
    world = await createScenarioWorld(kind)
  })
  afterAll(() => world?.close())

  const newStore = () => world.store({ starterFlows: ['returns-triage'] })

  async function conversationOf(store: ScenarioStore) {
    return world.t.deps.db
      .selectFrom('conversations')
      .select(['id', 'status', 'queue'])
      .where('merchant_id', '=', store.merchantId)
      .where('channel_id', '=', store.channels.webchat.id)
      .executeTakeFirstOrThrow()
  }

  it('own order inside the window: reasons as buttons, a photo, then a case in the returns queue', async () => {
    const store = await newStore()
    const shopper = await store.visitor()
    await deliveredOrder(store, shopper, '#4001')
    await store.advance(5 * DAY)

    await shopper.say('I want to return order #4001')
    const reasons = shopper.received().at(-1)
    expect(reasons?.text).toBe('What is the reason for the return?')
    expect(reasons?.buttons?.map((b) => b.title)).toEqual([
      'Arrived damaged',
      'Wrong size',
      'Changed my mind',
    ])

    await shopper.tap({ id: 'wrong-size', title: 'Wrong size' })
    const ask = shopper.received().at(-1)
    expect(ask?.text).toBe('Send a photo of the item (or tap Skip).')
    expect(ask?.buttons).toEqual([{ id: 'skip', title: 'Skip' }])

    expect((await shopper.sendPhoto(PHOTO, 'image/png')).status).toBe(202)
    expect(shopper.texts().at(-2)).toBe('Thank you! Our returns team has everything they need.')
    // One promise of when a person replies (the queue's), never two that disagree.
    expect(shopper.texts().filter((t) => /reply here|business day/.test(t))).toEqual([
      "I've asked the team — a person will reply here, usually within 1 hour.",
    ])
    const conversation = await conversationOf(store)
    expect(conversation).toMatchObject({ status: 'waiting', queue: 'returns' })

    // The returns team opens the conversation: the case, in plain terms, with the photo.
    const res = await world.app.request(`/api/conversations/${conversation.id}/context`, {
      headers: store.owner.read,
    })
    expect(res.status).toBe(200)
    const { escalation } = (await res.json()) as InboxContext
    expect(escalation).toMatchObject({
      queue: 'returns',
      fields: { 'Order number': '#4001', Reason: 'Wrong size', Photos: '1 photo' },
      order: {
        name: '#4001',
        items: [{ title: 'Waxed Jacket', quantity: 1 }],
        returnable: true,
        daysSinceDelivery: 5,
      },
    })
    expect(escalation?.photos).toHaveLength(1)
    const photo = escalation?.photos[0]
    const media = await world.app.request(
      `/api/conversations/${conversation.id}/messages/${photo?.messageId}/media/${photo?.index}`,
      { headers: store.owner.read },
    )
    expect(media.status).toBe(200)
    expect(media.headers.get('content-type')).toBe('image/png')
    expect(new Uint8Array(await media.arrayBuffer())).toEqual(PHOTO)
  })

  it('a shopper may skip the photo; the case says there is none', async () => {
    const store = await newStore()
    const shopper = await store.visitor()
    await deliveredOrder(store, shopper, '#4002')
    await shopper.say('return please, order 4002')
    await shopper.tap({ id: 'damaged', title: 'Arrived damaged' })
    await shopper.tap({ id: 'skip', title: 'Skip' })
    const conversation = await conversationOf(store)
    expect(conversation).toMatchObject({ status: 'waiting', queue: 'returns' })
    const res = await world.app.request(`/api/conversations/${conversation.id}/context`, {
      headers: store.owner.read,
    })
    const { escalation } = (await res.json()) as InboxContext
    expect(escalation).toMatchObject({ fields: { Reason: 'Arrived damaged', Photos: '' }, photos: [] })
  })

  it("outside the window (the store's setting): told plainly, no reason or photo asked, handed to the team", async () => {
    const store = await newStore()
    // The owner shortens the return window to 14 days in Settings.
    const current = await world.app.request('/api/settings', { headers: store.owner.read })
    const { settings } = (await current.json()) as SettingsResponse
    const saved = await world.app.request('/api/settings', {
      method: 'PUT',
      headers: store.owner.write,
      body: JSON.stringify({ ...settings, returnWindowDays: 14 }),
    })
    expect(saved.status, await saved.clone().text()).toBe(200)
    const shopper = await store.visitor()
    await deliveredOrder(store, shopper, '#4003')
    await store.advance(20 * DAY)

    expect((await shopper.say('I want to return order #4003')).body).toMatchObject({ accepted: true })
    const texts = shopper.texts()
    expect(texts.slice(-2)).toEqual([
      'Order #4003 is past our 14-day return window, so the returns team will look at it.',
      "I've asked the team — a person will reply here, usually within 1 hour.",
    ])
    // The policy said in the same step as the hand-over reaches the shopper (it was dropped as "staff took over").
    expect(texts[0]).toContain('within 14 days of delivery')
    expect(texts.join('\n')).not.toContain('What is the reason')
    expect(await conversationOf(store)).toMatchObject({ status: 'waiting', queue: 'returns' })
  })

  it("someone else's order: refused without revealing it", async () => {
    const store = await newStore()
    const owner = await store.visitor()
    const stranger = await store.visitor()
    await deliveredOrder(store, owner, '#4004')

    await stranger.say('I want to return order #4004')
    const all = stranger.texts().join('\n')
    expect(all).toContain("I couldn't find that order among yours")
    expect(all).not.toContain('Waxed Jacket')
    expect(all).not.toContain('What is the reason')
    expect(all).not.toMatch(/return window, so/)
  })
})
