// Shopify's contracts through the real app with signed webhooks: dedupe on X-Shopify-Event-Id as well as the
// webhook id; the privacy webhooks (customers/data_request → an export the owner downloads, customers/redact →
// no row anywhere still holds the shopper's name, phone, email or words, shop/redact → the store's data gone);
// app/uninstalled → the connection disabled and marked disconnected, privacy webhooks still received.
import { testDatabases } from '@parley/db/testing'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../app.ts'
import { processInboundMessage } from '../../engine/inbound.ts'
import { signShopifyBody } from '../../security/signatures.ts'
import { seedChannel } from '../../testing/engine-fixtures.ts'
import { signIn } from '../../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../../testing/test-deps.ts'
import { createChannel } from '../testing/channel-fixtures.ts'
import { checkoutPayload } from './shopify-fixtures.ts'

const config = { webhookSecret: 'shpss_test_secret' }
let counter = 0

/** A shopper with a checkout at the store and a WhatsApp conversation. */
function shopper(tag: string) {
  counter += 1
  const digits = `1555${String(1_000_000 + counter * 7919).slice(-6)}${tag === 'zoe' ? '1' : '2'}`
  return {
    customerId: 7_000_000 + counter,
    first: tag === 'zoe' ? 'Zoë' : 'Bram',
    last: tag === 'zoe' ? `Quintana${counter}` : `Visser${counter}`,
    email: `${tag}.${counter}@example.com`,
    phone: `+${digits}`,
    digits,
    words: `${tag}-secret-${counter}: is the blue one in stock?`,
    token: `checkout-${tag}-${counter}`,
  }
}
type Shopper = ReturnType<typeof shopper>

describe.each(testDatabases())('Shopify contracts on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>

  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
  }, 120_000)
  afterAll(() => t?.close())

  async function store() {
    const merchant = await seedMerchant(t.deps.db)
    const owner = await signIn(app, merchant)
    const shopify = await createChannel(t.deps, merchant.merchantId, 'shopify', config)
    const whatsapp = await seedChannel(t.deps.db, merchant.merchantId, 'whatsapp')
    const post = (
      topic: string,
      payload: unknown,
      ids: { webhookId?: string; eventId?: string } = {},
      secret = config.webhookSecret,
    ) => {
      const body = JSON.stringify(payload)
      return app.request(`/webhooks/shopify/${shopify.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': topic,
          'x-shopify-webhook-id': ids.webhookId ?? `wh-${++counter}`,
          ...(ids.eventId ? { 'x-shopify-event-id': ids.eventId } : {}),
          'x-shopify-shop-domain': 'aster-oak.myshopify.com',
          'x-shopify-hmac-sha256': signShopifyBody(body, secret),
        },
        body,
      })
    }
    /** The shopper's checkout through the webhook, and a message from them on WhatsApp. */
    const arrive = async (s: Shopper) => {
      const res = await post('checkouts/create', {
        ...checkoutPayload,
        id: s.customerId * 10,
        token: s.token,
        email: s.email,
        phone: s.phone,
        customer: {
          id: s.customerId,
          email: s.email,
          phone: s.phone,
          first_name: s.first,
          last_name: s.last,
        },
      })
      expect(res.status).toBe(200)
      await processInboundMessage(t.deps, {
        merchantId: merchant.merchantId,
        channelId: whatsapp.id,
        externalId: `wamid.${s.customerId}`,
        sender: { externalId: s.digits, phone: s.phone, name: `${s.first} ${s.last}` },
        text: s.words,
      })
    }
    const customer = (s: Shopper) => ({ id: s.customerId, email: s.email, phone: s.phone })
    return { merchant, owner, shopify, post, arrive, customer }
  }

  /** Every row of every table, as text (the redaction check reads the whole database, not a list of tables). */
  async function wholeDatabase(): Promise<string> {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(t.deps.db)
    expect(tables.rows.length).toBeGreaterThan(15)
    const dumps: string[] = []
    for (const { table_name } of tables.rows) {
      const rows = await sql`select * from ${sql.table(table_name)}`.execute(t.deps.db)
      dumps.push(`${table_name}: ${JSON.stringify(rows.rows)}`)
    }
    return dumps.join('\n')
  }

  describe('dedupe', () => {
    it.each([
      ['the same webhook id again', { sameWebhook: true, sameEvent: false }, true],
      ['the same event id under a new webhook id', { sameWebhook: false, sameEvent: true }, true],
      ['a new event', { sameWebhook: false, sameEvent: false }, false],
    ])('%s → duplicate: %s', async (_name, redelivery, duplicate) => {
      const s = await store()
      const zoe = shopper('zoe')
      const checkout = {
        ...checkoutPayload,
        token: zoe.token,
        email: zoe.email,
        updated_at: '2026-01-05T10:05:00-05:00',
      }
      const first = await s.post('checkouts/update', checkout, { webhookId: 'wh-first', eventId: 'ev-first' })
      expect(first.status).toBe(200)
      // A redelivery of an event can carry a new body timestamp, so only the ids can tell it apart.
      const again = await s.post(
        'checkouts/update',
        { ...checkout, updated_at: '2026-01-05T10:09:00-05:00', total_price: '999.00' },
        {
          webhookId: redelivery.sameWebhook ? 'wh-first' : 'wh-second',
          eventId: redelivery.sameEvent ? 'ev-first' : 'ev-second',
        },
      )
      expect(again.status).toBe(200)
      expect(await again.json()).toMatchObject({ duplicate })
      const cart = await t.deps.db
        .selectFrom('carts')
        .select('value')
        .where('merchant_id', '=', s.merchant.merchantId)
        .where('token', '=', zoe.token)
        .executeTakeFirstOrThrow()
      expect(Number(cart.value)).toBe(duplicate ? 398 : 999)
    })
  })

  describe('privacy webhooks', () => {
    it('customers/data_request: the owner downloads an export with exactly that shopper’s data', async () => {
      const s = await store()
      const zoe = shopper('zoe')
      const bram = shopper('bram')
      await s.arrive(zoe)
      await s.arrive(bram)
      const res = await s.post('customers/data_request', {
        shop_id: 954889,
        shop_domain: 'aster-oak.myshopify.com',
        orders_requested: [],
        customer: s.customer(zoe),
        data_request: { id: 9999 },
      })
      expect(res.status).toBe(200)
      const list = await app.request('/api/privacy/requests', { headers: s.owner.read })
      expect(list.status).toBe(200)
      const { requests } = (await list.json()) as {
        requests: { id: string; topic: string; hasExport: boolean }[]
      }
      expect(requests).toEqual([
        expect.objectContaining({
          topic: 'customers/data_request',
          shopifyCustomerId: String(zoe.customerId),
          hasExport: true,
        }),
      ])
      const download = await app.request(`/api/privacy/exports/${requests[0]!.id}`, { headers: s.owner.read })
      expect(download.status).toBe(200)
      expect(download.headers.get('content-disposition')).toContain('attachment')
      const exported = (await download.json()) as {
        contacts: { name: string | null; email: string | null; phone: string | null }[]
        conversations: { channel: string; messages: { content: { text: string } }[] }[]
        carts: { token: string }[]
      }
      expect(exported.contacts.map((c) => c.email ?? c.phone).sort()).toEqual([zoe.email, zoe.phone].sort())
      expect(exported.conversations.flatMap((c) => c.messages.map((m) => m.content.text))).toEqual([
        zoe.words,
      ])
      expect(exported.carts.map((c) => c.token)).toEqual([zoe.token])
      const text = JSON.stringify(exported)
      for (const other of [bram.email, bram.digits, bram.words, bram.last]) expect(text).not.toContain(other)

      // Owner only: an editor cannot read it, and another merchant's owner gets 404.
      const editor = await seedUser(t.deps.db, s.merchant.merchantId, { role: 'editor' })
      const editorSession = await signIn(app, editor)
      expect(
        (await app.request(`/api/privacy/exports/${requests[0]!.id}`, { headers: editorSession.read }))
          .status,
      ).toBe(403)
      const stranger = await signIn(app, await seedMerchant(t.deps.db))
      expect(
        (await app.request(`/api/privacy/exports/${requests[0]!.id}`, { headers: stranger.read })).status,
      ).toBe(404)
    })

    it('customers/redact: afterwards no row of any table holds the shopper’s name, phone, email or words', async () => {
      const s = await store()
      const zoe = shopper('zoe')
      const bram = shopper('bram')
      await s.arrive(zoe)
      await s.arrive(bram)
      await s.post('customers/data_request', {
        shop_domain: 'aster-oak.myshopify.com',
        customer: s.customer(zoe),
      })
      const needles = [zoe.email, zoe.digits, zoe.words, zoe.last]
      const before = await wholeDatabase()
      for (const needle of needles) expect(before).toContain(needle)

      const res = await s.post('customers/redact', {
        shop_id: 954889,
        shop_domain: 'aster-oak.myshopify.com',
        customer: s.customer(zoe),
        orders_to_redact: [],
      })
      expect(res.status).toBe(200)
      const after = await wholeDatabase()
      for (const needle of needles) expect(after).not.toContain(needle)
      // The other shopper is untouched, and the cart stays (anonymous) for the merchant's figures.
      for (const kept of [bram.email, bram.digits, bram.words, zoe.token]) expect(after).toContain(kept)
      const { requests } = (await (
        await app.request('/api/privacy/requests', { headers: s.owner.read })
      ).json()) as {
        requests: { topic: string; hasExport: boolean }[]
      }
      expect(requests).toEqual([expect.objectContaining({ topic: 'customers/redact', hasExport: false })])
    })

    it('shop/redact deletes the store’s data; the account, staff and flows stay', async () => {
      const s = await store()
      await s.arrive(shopper('zoe'))
      const res = await s.post('shop/redact', { shop_id: 954889, shop_domain: 'aster-oak.myshopify.com' })
      expect(res.status).toBe(200)
      const m = s.merchant.merchantId
      for (const table of ['contacts', 'conversations', 'messages', 'carts', 'orders', 'receipts'] as const) {
        const rows = await t.deps.db
          .selectFrom(table)
          .select('merchant_id')
          .where('merchant_id', '=', m)
          .execute()
        expect(rows, table).toEqual([])
      }
      const channel = await t.deps.db
        .selectFrom('channels')
        .select('id')
        .where('id', '=', s.shopify.id)
        .execute()
      expect(channel).toEqual([])
      expect((await app.request('/api/auth/session', { headers: s.owner.read })).status).toBe(200)
    })

    it('app/uninstalled disconnects the store; store events stop, privacy webhooks still arrive', async () => {
      const s = await store()
      const zoe = shopper('zoe')
      await s.arrive(zoe)
      const res = await s.post('app/uninstalled', {
        id: 548380009,
        name: 'Aster & Oak',
        domain: 'aster-oak.com',
      })
      expect(res.status).toBe(200)
      const channel = await t.deps.db
        .selectFrom('channels')
        .select(['enabled', 'disconnected_at', 'disconnected_reason'])
        .where('id', '=', s.shopify.id)
        .executeTakeFirstOrThrow()
      expect(channel.enabled).toBe(false)
      expect(channel.disconnected_at).not.toBeNull()
      expect(channel.disconnected_reason).toMatch(/uninstalled/)
      expect((await s.post('checkouts/update', { ...checkoutPayload, token: 'after' })).status).toBe(404)
      const redact = await s.post('customers/redact', { customer: s.customer(zoe), orders_to_redact: [] })
      expect(redact.status).toBe(200)
    })

    it.each(['customers/data_request', 'customers/redact', 'shop/redact', 'app/uninstalled'])(
      '%s with a bad signature: 401 and nothing changes',
      async (topic) => {
        const s = await store()
        await s.arrive(shopper('zoe'))
        const before = await wholeDatabase()
        const res = await s.post(topic, { customer: { id: 1 } }, {}, 'wrong-secret')
        expect(res.status).toBe(401)
        expect(await wholeDatabase()).toBe(before)
      },
    )
  })
})
