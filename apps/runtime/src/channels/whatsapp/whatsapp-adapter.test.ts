// The WhatsApp adapter against a fake Graph API on loopback over real HTTP.
import type { Channel } from '@parley/db'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../config.ts'
import { ManualClock } from '../../time/clock.ts'
import { sealChannelConfig } from '../channel-secrets.ts'
import { closedPortUrl, type FakeProvider, startFakeProvider } from '../testing/fake-provider.ts'
import type { OutboundPayload } from '../types.ts'
import { createWhatsAppAdapter } from './whatsapp-adapter.ts'

const deps = { config: loadConfig({ NODE_ENV: 'test' }), clock: new ManualClock() }
const plainConfig = { phoneNumberId: '1098765', accessToken: 'EAAG-token', appSecret: 's', verifyToken: 'v' }
// Stored as the product stores it: the token sealed; the adapter opens it for the call.
const config = sealChannelConfig(deps.config.keyring, { id: 'c', kind: 'whatsapp' }, plainConfig)

function channel(baseUrl: string, overrides: Partial<Channel> = {}): Channel {
  const now = new Date()
  return {
    merchant_id: 'm',
    id: 'c',
    kind: 'whatsapp',
    name: 'WA',
    config,
    base_url: baseUrl,
    enabled: true,
    provider_error: null,
    checked_at: null,
    disconnected_at: null,
    disconnected_reason: null,
    created_at: now,
    updated_at: now,
    ...overrides,
  }
}

const payload: OutboundPayload = {
  to: '4915112345678',
  message: { text: 'Your cart is waiting' },
  messageId: 'msg-1',
}
const ok = {
  status: 200,
  body: {
    messaging_product: 'whatsapp',
    contacts: [{ input: '4915112345678', wa_id: '4915112345678' }],
    messages: [{ id: 'wamid.HBgLNDkxNTExMjM0NTY3OBUCABEYEjA=' }],
  },
}

describe('WhatsApp adapter over HTTP', () => {
  let provider: FakeProvider
  const adapter = createWhatsAppAdapter(deps, { timeoutMs: 300 })

  beforeAll(async () => {
    provider = await startFakeProvider(() => ok)
  })
  afterAll(() => provider.close())
  beforeEach(() => {
    provider.requests.length = 0
  })

  it('posts to /{phone-number-id}/messages with the bearer token and returns the wamid', async () => {
    const result = await adapter.send(channel(provider.url), payload)
    expect(result).toEqual({ status: 'sent', providerMessageId: 'wamid.HBgLNDkxNTExMjM0NTY3OBUCABEYEjA=' })
    expect(provider.requests).toHaveLength(1)
    const [request] = provider.requests
    expect(request?.method).toBe('POST')
    expect(request?.path).toBe('/1098765/messages')
    expect(request?.headers.authorization).toBe('Bearer EAAG-token')
    expect(request?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '4915112345678',
      type: 'text',
      text: { body: 'Your cart is waiting', preview_url: false },
    })
  })

  it('sends templates with language and body parameters', async () => {
    await adapter.send(channel(provider.url), {
      ...payload,
      template: { name: 'cart_reminder', language: 'en_US', category: 'marketing', params: ['Ana', 'Mug'] },
    })
    expect(provider.requests[0]?.body).toMatchObject({
      type: 'template',
      template: {
        name: 'cart_reminder',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'text', text: 'Mug' },
            ],
          },
        ],
      },
    })
  })

  it('maps 429 with retry-after to retry, with the delay', async () => {
    provider.script({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { message: 'Too many', code: 130429 } },
    })
    const result = await adapter.send(channel(provider.url), payload)
    expect(result).toMatchObject({ status: 'retry', retryAfterMs: 7000 })
  })

  it('maps 5xx with an error body to retry, and 5xx without one to unknown', async () => {
    provider.script({
      status: 500,
      body: { error: { message: 'An unknown error occurred', code: 1, type: 'OAuthException' } },
    })
    expect(await adapter.send(channel(provider.url), payload)).toMatchObject({ status: 'retry' })
    provider.script({ status: 502, body: '<html>Bad gateway</html>' })
    expect(await adapter.send(channel(provider.url), payload)).toMatchObject({ status: 'unknown' })
  })

  it('maps 4xx to failed with the provider message', async () => {
    provider.script({
      status: 400,
      body: { error: { message: '(#131030) Recipient phone number not in allowed list', code: 131030 } },
    })
    const result = await adapter.send(channel(provider.url), payload)
    expect(result.status).toBe('failed')
    expect(result.status === 'failed' && result.error).toContain('131030')
  })

  it('maps a timeout after the request was written to unknown (never a blind resend)', async () => {
    provider.script('hang')
    const result = await adapter.send(channel(provider.url), payload)
    expect(result).toMatchObject({ status: 'unknown' })
    expect(provider.requests).toHaveLength(1)
  })

  it('maps connection refused to retry', async () => {
    const result = await adapter.send(channel(await closedPortUrl()), payload)
    expect(result).toMatchObject({ status: 'retry' })
    expect(result.status === 'retry' && result.error).toContain('ECONNREFUSED')
  })

  it('maps a 2xx without a message id to unknown, and a misconfigured channel to failed', async () => {
    provider.script({ status: 200, body: {} })
    expect(await adapter.send(channel(provider.url), payload)).toMatchObject({ status: 'unknown' })
    expect(await adapter.send(channel(provider.url, { config: {} }), payload)).toMatchObject({
      status: 'failed',
    })
  })

  it('fails a send, without calling the provider, when the token was sealed under a key it does not have', async () => {
    const otherKeys = createWhatsAppAdapter({ config: loadConfig({ NODE_ENV: 'test' }), clock: deps.clock })
    const result = await otherKeys.send(channel(provider.url), payload)
    expect(result).toMatchObject({ status: 'failed' })
    expect((result as { error: string }).error).toMatch(/cannot be decrypted/)
    expect(provider.requests).toHaveLength(0)
  })

  it('uses the configured Graph URL when the channel has no base_url', async () => {
    const viaConfig = createWhatsAppAdapter(
      {
        config: {
          ...loadConfig({ NODE_ENV: 'test', WHATSAPP_GRAPH_URL: `${provider.url}/v21.0` }),
          keyring: deps.config.keyring,
        },
        clock: deps.clock,
      },
      { timeoutMs: 300 },
    )
    await viaConfig.send(channel(provider.url, { base_url: null }), payload)
    expect(provider.requests[0]?.path).toBe('/v21.0/1098765/messages')
  })
})
