// GET /api/simulation-world: the store's own catalogue, carts and orders and the merchant's policy settings,
// anonymised unless a contact is chosen, and only ever the caller's merchant's.
import { type SimulationWorldResponse, simulationWorldSchema } from '@parley/api'
import { jsonb } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { seedChannel } from '../testing/engine-fixtures.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

const HOUR = 60 * 60 * 1000

describe.each(testDatabases())('simulation world on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>

  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
  }, 60_000)
  afterAll(() => t?.close())

  async function seedStore() {
    const merchant = await seedMerchant(t.deps.db, { name: 'Hoodie Hut' })
    const id = merchant.merchantId
    const db = t.deps.db
    await db
      .updateTable('merchants')
      .set({
        timezone: 'America/New_York',
        quiet_hours_start_minute: 21 * 60,
        quiet_hours_end_minute: 8 * 60,
        frequency_cap_count: 3,
        frequency_cap_window_minutes: 72 * 60,
      })
      .where('id', '=', id)
      .execute()
    const channel = await seedChannel(db, id, 'whatsapp')
    await db
      .insertInto('products')
      .values({
        merchant_id: id,
        external_id: 'shop-hoodie',
        title: 'Classic Hoodie',
        price: '59.00',
        currency: 'USD',
        image_url: 'https://cdn.example/hoodie.jpg',
        attributes: jsonb({ colors: ['black', 'navy'] }),
      })
      .execute()
    const maya = await db
      .insertInto('contacts')
      .values({
        merchant_id: id,
        name: 'Maya Lind',
        email: 'maya@example.com',
        phone: '+4917000001',
        timezone: 'Europe/Berlin',
        attributes: jsonb({ vip: true }),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const other = await db
      .insertInto('contacts')
      .values({ merchant_id: id, name: 'Someone Else' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const now = t.clock.now()
    await db
      .insertInto('carts')
      .values({
        merchant_id: id,
        token: 'tok-secret-123',
        contact_id: maya.id,
        items: jsonb([
          {
            title: 'Classic Hoodie',
            quantity: 1,
            price: 59,
            image: 'https://cdn.example/hoodie.jpg',
            product_id: 'shop-hoodie',
            url: null,
          },
        ]),
        value: '59.00',
        currency: 'USD',
        checkout_url: 'https://hoodie-hut.example/checkouts/tok-secret-123',
        last_activity_at: new Date(now - HOUR),
      })
      .execute()
    await db
      .insertInto('orders')
      .values([
        {
          merchant_id: id,
          number: '1001',
          contact_id: maya.id,
          total: '59.00',
          currency: 'USD',
          status: 'shipped',
          tracking_url: 'https://track.example/1',
          created_at: new Date(now - 2 * HOUR),
        },
        {
          merchant_id: id,
          number: '1003',
          contact_id: other.id,
          total: '25.00',
          currency: 'USD',
          status: 'paid',
          created_at: new Date(now - 3 * HOUR),
        },
      ])
      .execute()
    const conversation = await db
      .insertInto('conversations')
      .values({
        merchant_id: id,
        contact_id: maya.id,
        channel_id: channel.id,
        last_inbound_at: new Date(now - 5 * HOUR),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('messages')
      .values({
        merchant_id: id,
        conversation_id: conversation.id,
        contact_id: maya.id,
        direction: 'out',
        author: 'bot',
        body: jsonb({ text: 'Still thinking about it?' }),
        status: 'sent',
        is_marketing: true,
        created_at: new Date(now - 4 * HOUR),
      })
      .execute()
    return { merchant, owner: await signIn(app, merchant), mayaId: maya.id }
  }

  async function world(owner: SignedIn, query = ''): Promise<SimulationWorldResponse> {
    const res = await app.request(`/api/simulation-world${query}`, { headers: owner.read })
    expect(res.status).toBe(200)
    return simulationWorldSchema.parse(await res.json())
  }

  it("gives the store's catalogue, carts, orders and policy with an anonymised shopper", async () => {
    const { owner } = await seedStore()
    const body = await world(owner)
    expect(body.store).toEqual({
      name: 'Hoodie Hut',
      timeZone: 'America/New_York',
      returnWindowDays: 30,
      aiAnswers: false,
    })
    expect(body.policy).toEqual({
      quietHours: { startMinute: 21 * 60, endMinute: 8 * 60 },
      frequencyCap: { limit: 3, windowMinutes: 72 * 60 },
    })
    expect(body.channels).toEqual(['whatsapp'])
    expect(body.products).toMatchObject([{ title: 'Classic Hoodie', price: '59.00', currency: 'USD' }])
    // Modelled on the latest shopper who ordered (their zone, window and cap), without who they are.
    expect(body.contact).toMatchObject({
      label: 'Sample shopper',
      anonymised: true,
      timeZone: 'Europe/Berlin',
      vars: { first_name: 'Sam', email: null, phone: null },
      lastInboundAt: new Date(t.clock.now() - 5 * HOUR).toISOString(),
    })
    expect(body.contact.marketingSentAt).toHaveLength(1)
    const text = JSON.stringify(body)
    for (const secret of ['Maya', 'maya@example.com', '+4917000001', 'tok-secret-123', 'vip']) {
      expect(text).not.toContain(secret)
    }
    expect(body.carts).toHaveLength(1)
    expect(body.carts[0]).toMatchObject({
      label: 'Classic Hoodie · 59.00 USD',
      vars: {
        token: 'sample-cart-1',
        url: 'https://hoodie-hut.example/checkouts/sample-cart-1',
        items: [{ title: 'Classic Hoodie', productId: 'shop-hoodie' }],
      },
    })
    expect(body.orders.map((o) => [o.number, o.owner])).toEqual([
      ['1001', 'contact'],
      ['1003', 'other'],
    ])
    expect(body.orders[0]?.view).toMatchObject({ number: '1001', status: 'on its way' })
  })

  it("plays a chosen contact with their own name and cart; another merchant's contact is not found", async () => {
    const { owner, mayaId } = await seedStore()
    const body = await world(owner, `?contactId=${mayaId}`)
    expect(body.contact).toMatchObject({
      label: 'Maya Lind',
      anonymised: false,
      vars: { first_name: 'Maya', email: 'maya@example.com', vip: true },
    })
    expect(body.carts[0]?.vars).toMatchObject({ token: 'tok-secret-123' })

    const stranger = await seedStore()
    const res = await app.request(`/api/simulation-world?contactId=${mayaId}`, {
      headers: stranger.owner.read,
    })
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } })
  })

  it('has a sample shopper in the store’s time zone when the store has no data yet', async () => {
    const merchant = await seedMerchant(t.deps.db)
    const owner = await signIn(app, merchant)
    const body = await world(owner)
    expect(body).toMatchObject({ products: [], carts: [], orders: [], channels: [] })
    expect(body.contact).toMatchObject({ anonymised: true, lastInboundAt: null, marketingSentAt: [] })
    expect(body.contact.timeZone).toBe(body.store.timeZone)

    // With a catalogue but no carts yet, the sample cart holds the store's own product.
    await t.deps.db
      .insertInto('products')
      .values([
        {
          merchant_id: merchant.merchantId,
          title: 'Beanie',
          price: '19.00',
          currency: 'USD',
          in_stock: false,
        },
        { merchant_id: merchant.merchantId, title: 'Classic Hoodie', price: '59.00', currency: 'USD' },
      ])
      .execute()
    const stocked = await world(owner)
    expect(stocked.carts).toHaveLength(1)
    expect(stocked.carts[0]?.vars).toMatchObject({
      total: 59,
      items: [{ title: 'Classic Hoodie', price: 59, quantity: 1 }],
    })
  })
})
