// Verified provider webhooks carrying text the database cannot hold (NUL, unpaired surrogates), through the
// real app and engine: accepted with 200 and stored sanitized, never a 500 the provider would redeliver forever.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { signShopifyBody, signWhatsAppBody } from '../security/signatures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { checkoutPayload } from './shopify/shopify-fixtures.ts'
import { createChannel } from './testing/channel-fixtures.ts'

const WHATSAPP = { phoneNumberId: '1098765', accessToken: 'EAAG', appSecret: 'wa-secret', verifyToken: 'v' }
const TELEGRAM = { botToken: '1:abc', webhookSecret: 'tg-secret' }
const SHOPIFY = { webhookSecret: 'shop-secret' }
/** NUL, a lone high surrogate, a lone low surrogate, and a real pair (kept). */
const DIRTY = 'Is \u0000it in blue\uD83D? \uDE00 😀'
const CLEAN = 'Is it in blue\uFFFD? \uFFFD 😀'

describe.each(testDatabases())('webhook text hygiene on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  let merchantId: string
  let channels: { whatsapp: string; telegram: string; shopify: string }

  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
    merchantId = (await seedMerchant(t.deps.db)).merchantId
    channels = {
      whatsapp: (await createChannel(t.deps.db, merchantId, 'whatsapp', WHATSAPP)).id,
      telegram: (await createChannel(t.deps.db, merchantId, 'telegram', TELEGRAM)).id,
      shopify: (await createChannel(t.deps.db, merchantId, 'shopify', SHOPIFY)).id,
    }
  })
  afterAll(() => t?.close())

  const inboundText = async (channelId: string) => {
    const rows = await t.deps.db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', (j) =>
        j.onRef('c.merchant_id', '=', 'm.merchant_id').onRef('c.id', '=', 'm.conversation_id'),
      )
      .select('m.body')
      .where('m.merchant_id', '=', merchantId)
      .where('c.channel_id', '=', channelId)
      .where('m.direction', '=', 'in')
      .execute()
    return rows.map((row) => (row.body as { text?: string }).text)
  }

  it('WhatsApp: a signed message with NUL and lone surrogates is stored sanitized, once', async () => {
    // JSON.stringify writes the NUL and the lone surrogates as \u escapes, as Meta's JSON would.
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'waba',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { phone_number_id: WHATSAPP.phoneNumberId },
                contacts: [{ wa_id: '5511999998888', profile: { name: 'Ana\u0000' } }],
                messages: [
                  {
                    from: '5511999998888',
                    id: 'wamid.X1',
                    timestamp: '1',
                    type: 'text',
                    text: { body: DIRTY },
                  },
                ],
              },
            },
          ],
        },
      ],
    })
    const send = () =>
      app.request(`/webhooks/whatsapp/${channels.whatsapp}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signWhatsAppBody(body, WHATSAPP.appSecret),
        },
        body,
      })
    const res = await send()
    expect(res.status, await res.text()).toBe(200)
    expect(await inboundText(channels.whatsapp)).toEqual([CLEAN])
    // A redelivery of the same bytes sanitizes the same way and is deduplicated.
    expect((await send()).status).toBe(200)
    expect(await inboundText(channels.whatsapp)).toEqual([CLEAN])
  })

  it('Telegram: a verified update with NUL and lone surrogates is stored sanitized', async () => {
    const res = await app.request(`/webhooks/telegram/${channels.telegram}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': TELEGRAM.webhookSecret,
      },
      body: JSON.stringify({
        update_id: 91,
        message: {
          message_id: 1,
          date: 1,
          chat: { id: 42, type: 'private' },
          from: { id: 42, first_name: 'A\uD800' },
          text: DIRTY,
        },
      }),
    })
    expect(res.status, await res.text()).toBe(200)
    expect(await inboundText(channels.telegram)).toEqual([CLEAN])
  })

  it('Shopify: a signed checkout with NUL and lone surrogates records the cart, sanitized', async () => {
    const payload = {
      ...checkoutPayload,
      token: 'hygiene-cart',
      customer: { ...checkoutPayload.customer, first_name: 'A\u0000na', last_name: 'Lima\uDE00' },
      line_items: [{ ...checkoutPayload.line_items[0], title: DIRTY }],
    }
    const body = JSON.stringify(payload)
    const res = await app.request(`/webhooks/shopify/${channels.shopify}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'checkouts/update',
        'x-shopify-webhook-id': 'wh-hygiene-1',
        'x-shopify-triggered-at': new Date(t.deps.clock.now()).toISOString(),
        'x-shopify-hmac-sha256': signShopifyBody(body, SHOPIFY.webhookSecret),
      },
      body,
    })
    expect(res.status, await res.text()).toBe(200)
    const cart = await t.deps.db
      .selectFrom('carts')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .where('token', '=', 'hygiene-cart')
      .executeTakeFirstOrThrow()
    expect(cart.items[0]?.title).toBe(`${CLEAN} — green`)
    const contact = await t.deps.db
      .selectFrom('contacts')
      .select('name')
      .where('merchant_id', '=', merchantId)
      .where('id', '=', cart.contact_id as string)
      .executeTakeFirstOrThrow()
    expect(contact.name).toBe('Ana Lima\uFFFD')
  })
})
