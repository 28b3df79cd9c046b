// A photo a WhatsApp shopper sent, shown to staff: the webhook stores a reference, the inbox route fetches
// the bytes from (a fake) Graph API with the channel's token. Another merchant gets 404.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { createChannel } from '../channels/testing/channel-fixtures.ts'
import { type FakeProvider, startFakeProvider } from '../channels/testing/fake-provider.ts'
import type { InboxConversation, InboxMessage } from '../inbox/inbox-schemas.ts'
import { signWhatsAppBody } from '../security/signatures.ts'
import { signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

const config = {
  phoneNumberId: '1098765',
  accessToken: 'EAAG-token',
  appSecret: 'app-secret',
  verifyToken: 'v',
}

describe.each(testDatabases())('inbox media on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  let provider: FakeProvider

  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
    provider = await startFakeProvider((request) => {
      if (request.headers.authorization !== 'Bearer EAAG-token')
        return { status: 401, body: { error: { message: 'no' } } }
      if (request.path === '/1479537139650973') {
        return {
          status: 200,
          body: { url: `${provider.url}/lookaside/abc`, mime_type: 'image/jpeg', id: '1479537139650973' },
        }
      }
      if (request.path === '/lookaside/abc')
        return { status: 200, body: 'JPEG-BYTES', headers: { 'content-type': 'image/jpeg' } }
      return { status: 404, body: { error: { message: 'unknown' } } }
    })
  })
  afterAll(async () => {
    await provider?.close()
    await t?.close()
  })

  it('serves the photo to the merchant’s staff and to nobody else', async () => {
    const merchant = await seedMerchant(t.deps.db)
    const staff = await signIn(app, merchant)
    const channel = await createChannel(t.deps, merchant.merchantId, 'whatsapp', config, provider.url)
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: '1098765' },
                contacts: [{ profile: { name: 'Ana' }, wa_id: '5511999998888' }],
                messages: [
                  {
                    from: '5511999998888',
                    id: 'wamid.IMG1',
                    timestamp: '1767600000',
                    type: 'image',
                    image: {
                      caption: 'Broken handle',
                      mime_type: 'image/jpeg',
                      sha256: 'x',
                      id: '1479537139650973',
                    },
                  },
                ],
              },
            },
          ],
        },
      ],
    })
    const hook = await app.request(`/webhooks/whatsapp/${channel.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signWhatsAppBody(body, config.appSecret),
      },
      body,
    })
    expect(hook.status).toBe(200)

    const list = await app.request('/api/conversations?status=all', { headers: staff.read })
    const [conversation] = ((await list.json()) as { conversations: InboxConversation[] }).conversations
    const detail = await app.request(`/api/conversations/${conversation!.id}`, { headers: staff.read })
    const { messages } = (await detail.json()) as { messages: InboxMessage[] }
    const photo = messages.find((m) => m.author === 'shopper')!
    expect(photo.body).toMatchObject({
      text: 'Broken handle',
      media: [{ url: 'whatsapp-media:1479537139650973' }],
    })

    const path = `/api/conversations/${conversation!.id}/messages/${photo.id}/media/0`
    const res = await app.request(path, { headers: staff.read })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/jpeg')
    expect(await res.text()).toBe('JPEG-BYTES')

    expect((await app.request(path.replace(/0$/, '1'), { headers: staff.read })).status).toBe(404)
    const other = await signIn(app, await seedMerchant(t.deps.db))
    expect((await app.request(path, { headers: other.read })).status).toBe(404)
    expect((await app.request(path)).status).toBe(401)
  })
})
