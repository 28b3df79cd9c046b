// WhatsApp webhooks through app.request: handshake, signature before parsing, real-shaped payloads.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signWhatsAppBody } from '../../security/signatures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../../testing/test-deps.ts'
import {
  createChannel,
  ensureConversation,
  fakeInbound,
  harnessApp,
  queueOutboundMessage,
} from '../testing/channel-fixtures.ts'
import { whatsappRoutes } from './routes.ts'

const config = {
  phoneNumberId: '1098765',
  accessToken: 'EAAG',
  appSecret: 'app-secret-123',
  verifyToken: 'verify-me',
}

/** A message webhook as Meta sends it (trimmed to the fields we read, plus some we do not). */
function messagesWebhook(messages: unknown[], statuses: unknown[] = []) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: '1098765' },
              contacts: [{ profile: { name: 'Ana Lima' }, wa_id: '5511999998888' }],
              ...(messages.length ? { messages } : {}),
              ...(statuses.length ? { statuses } : {}),
            },
          },
        ],
      },
    ],
  }
}

describe.each(testDatabases())('WhatsApp webhooks on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof harnessApp>
  let inbound: ReturnType<typeof fakeInbound>
  let merchantId: string
  let channelId: string

  beforeAll(async () => {
    t = await createTestDeps(kind)
    inbound = fakeInbound()
    app = harnessApp(t.deps, whatsappRoutes({ handleInbound: inbound.handle }))
    merchantId = (await seedMerchant(t.deps.db)).merchantId
    channelId = (await createChannel(t.deps, merchantId, 'whatsapp', config)).id
  })
  afterAll(() => t?.close())

  const post = (body: string, signature: string | undefined) =>
    app.request(`/webhooks/whatsapp/${channelId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'x-hub-signature-256': signature } : {}),
      },
      body,
    })

  it('answers the verify-token handshake', async () => {
    const ok = await app.request(
      `/webhooks/whatsapp/${channelId}?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444`,
    )
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe('1158201444')
    const wrong = await app.request(
      `/webhooks/whatsapp/${channelId}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    )
    expect(wrong.status).toBe(403)
    expect(await wrong.json()).toMatchObject({ error: { code: 'forbidden' } })
  })

  it('turns text, button replies and images into inbound messages keyed by wamid', async () => {
    const body = JSON.stringify(
      messagesWebhook([
        {
          from: '5511999998888',
          id: 'wamid.A1',
          timestamp: '1767600000',
          type: 'text',
          text: { body: 'Where is my order?' },
        },
        {
          from: '5511999998888',
          id: 'wamid.A2',
          timestamp: '1767600001',
          type: 'interactive',
          context: { from: '15550783881', id: 'wamid.OUT1' },
          interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes please' } },
        },
        {
          from: '5511999998888',
          id: 'wamid.A3',
          timestamp: '1767600002',
          type: 'image',
          image: {
            caption: 'It arrived broken',
            mime_type: 'image/jpeg',
            sha256: 'abc=',
            id: '1479537139650973',
          },
        },
        {
          from: '5511999998888',
          id: 'wamid.A4',
          timestamp: '1767600003',
          type: 'sticker',
          sticker: { id: 's1' },
        },
      ]),
    )
    const before = inbound.received.length
    const res = await post(body, signWhatsAppBody(body, config.appSecret))
    expect(res.status).toBe(200)
    const sender = { externalId: '5511999998888', phone: '+5511999998888', name: 'Ana Lima' }
    expect(inbound.received.slice(before)).toEqual([
      { merchantId, channelId, externalId: 'wamid.A1', sender, text: 'Where is my order?' },
      { merchantId, channelId, externalId: 'wamid.A2', sender, text: 'Yes please', buttonId: 'yes' },
      {
        merchantId,
        channelId,
        externalId: 'wamid.A3',
        sender,
        text: 'It arrived broken',
        media: [{ url: 'whatsapp-media:1479537139650973', mimeType: 'image/jpeg' }],
      },
    ])
  })

  it('skips changes addressed to another phone number of the account', async () => {
    const webhook = messagesWebhook([{ from: '1', id: 'wamid.OTHER', type: 'text', text: { body: 'hi' } }])
    webhook.entry[0]!.changes[0]!.value.metadata.phone_number_id = '5550000'
    const body = JSON.stringify(webhook)
    const before = inbound.received.length
    expect((await post(body, signWhatsAppBody(body, config.appSecret))).status).toBe(200)
    expect(inbound.received.length).toBe(before)
  })

  it('refuses a bad or missing signature with 401 before parsing, writing nothing', async () => {
    const body = JSON.stringify(
      messagesWebhook([{ from: '1', id: 'wamid.BAD', type: 'text', text: { body: 'hi' } }]),
    )
    const count = async () =>
      Number(
        (
          await t.deps.db
            .selectFrom('messages')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = { inbound: inbound.received.length, messages: await count() }
    for (const signature of [
      undefined,
      'sha256=deadbeef',
      signWhatsAppBody(body, 'another-secret'),
      signWhatsAppBody(`${body} `, config.appSecret),
    ]) {
      const res = await post(body, signature)
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } })
    }
    // Not even JSON: still 401 (the signature is checked before the body is parsed).
    expect((await post('{not json', 'sha256=00')).status).toBe(401)
    expect({ inbound: inbound.received.length, messages: await count() }).toEqual(before)
  })

  it('answers 400 for a signed body that is not JSON, and 404 for an unknown channel', async () => {
    expect((await post('{nope', signWhatsAppBody('{nope', config.appSecret))).status).toBe(400)
    const res = await app.request('/webhooks/whatsapp/00000000-0000-4000-8000-000000000000', {
      method: 'POST',
      body: '{}',
    })
    expect(res.status).toBe(404)
  })

  it('moves message status forward from status webhooks, never backwards', async () => {
    const ids = await ensureConversation(t.deps.db, merchantId, channelId, '5511999998888')
    const sent = await queueOutboundMessage(t.deps.db, { merchantId, ...ids }, { text: 'Your order shipped' })
    await t.deps.db
      .updateTable('messages')
      .set({ status: 'sent', provider_message_id: 'wamid.OUT9' })
      .where('merchant_id', '=', merchantId)
      .where('id', '=', sent.id)
      .execute()
    const status = (value: string) => ({
      id: 'wamid.OUT9',
      status: value,
      timestamp: '1767600100',
      recipient_id: '5511999998888',
      conversation: { id: 'c1', origin: { type: 'utility' } },
      pricing: { billable: true, pricing_model: 'CBP', category: 'utility' },
    })
    const deliver = async (...values: string[]) => {
      const body = JSON.stringify(messagesWebhook([], values.map(status)))
      expect((await post(body, signWhatsAppBody(body, config.appSecret))).status).toBe(200)
      return t.deps.db
        .selectFrom('messages')
        .select(['status', 'delivered_at', 'read_at'])
        .where('merchant_id', '=', merchantId)
        .where('id', '=', sent.id)
        .executeTakeFirstOrThrow()
    }
    expect((await deliver('delivered')).status).toBe('delivered')
    const read = await deliver('read', 'delivered')
    expect(read.status).toBe('read')
    expect(read.read_at).not.toBeNull()
    expect((await deliver('failed')).status).toBe('read')
  })
})
