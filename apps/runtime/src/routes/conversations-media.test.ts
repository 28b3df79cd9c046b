// A photo a WhatsApp shopper sent, shown to staff: the webhook stores a reference, the inbox route fetches
// the bytes from (a fake) Graph API with the channel's token. Another merchant gets 404.

import type { InboxConversation, InboxMessage } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { createChannel } from '../channels/testing/channel-fixtures.ts'
import { type FakeProvider, startFakeProvider } from '../channels/testing/fake-provider.ts'
import { loadConfig } from '../config.ts'
import { fetchInboundMedia, MAX_MEDIA_BYTES } from '../inbox/inbox-media.ts'
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
    // The fake Graph API listens on loopback, which the egress policy refuses unless allowed.
    t = await createTestDeps(kind, {
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', EGRESS_ALLOW_LIST: '127.0.0.1:*' }),
    })
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
      // A file over the cap, and a "media URL" pointing at the cloud metadata address.
      if (request.path === '/big') return { status: 200, body: { url: `${provider.url}/lookaside/big` } }
      if (request.path === '/lookaside/big') return { status: 200, body: 'x'.repeat(MAX_MEDIA_BYTES + 10) }
      if (request.path === '/metadata')
        return { status: 200, body: { url: 'http://169.254.169.254/latest/meta-data/' } }
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

  it('drops a file over the size cap while it streams, and refuses a media URL at a private address', async () => {
    const merchant = await seedMerchant(t.deps.db)
    const { id } = await createChannel(t.deps, merchant.merchantId, 'whatsapp', config, provider.url)
    const channel = await t.deps.db
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(await fetchInboundMedia(t.deps, channel, 'whatsapp-media:1479537139650973')).not.toBeNull()
    expect(await fetchInboundMedia(t.deps, channel, 'whatsapp-media:big')).toBeNull()
    expect(await fetchInboundMedia(t.deps, channel, 'whatsapp-media:metadata')).toBeNull()
    // Nothing was ever asked of the metadata address (refused before connecting).
    expect(provider.requests.some((r) => r.path.includes('latest'))).toBe(false)
  })
})
