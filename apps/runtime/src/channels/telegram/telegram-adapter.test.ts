// The Telegram adapter against a fake Bot API on loopback over real HTTP.
import type { Channel } from '@parley/db'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../config.ts'
import { ManualClock } from '../../time/clock.ts'
import { closedPortUrl, type FakeProvider, startFakeProvider } from '../testing/fake-provider.ts'
import type { OutboundPayload } from '../types.ts'
import { createTelegramAdapter } from './telegram-adapter.ts'

const deps = { config: loadConfig({ NODE_ENV: 'test' }), clock: new ManualClock() }
const config = { botToken: '123456:ABC-DEF', webhookSecret: 'hook-secret' }

function channel(baseUrl: string): Channel {
  const now = new Date()
  return {
    merchant_id: 'm',
    id: 'c',
    kind: 'telegram',
    name: 'TG',
    config,
    base_url: baseUrl,
    enabled: true,
    provider_error: null,
    checked_at: null,
    disconnected_at: null,
    disconnected_reason: null,
    created_at: now,
    updated_at: now,
  }
}

const sentAnswer = (messageId: number) => ({
  status: 200,
  body: {
    ok: true,
    result: { message_id: messageId, chat: { id: 987654321, type: 'private' }, date: 1767600000, text: 'x' },
  },
})

describe('Telegram adapter over HTTP', () => {
  let provider: FakeProvider
  const adapter = createTelegramAdapter(deps, { timeoutMs: 300 })
  const payload: OutboundPayload = {
    to: '987654321',
    message: {
      text: 'Still thinking about it?',
      buttons: [
        { id: 'yes', title: 'Yes' },
        { id: 'no', title: 'No thanks' },
      ],
    },
    messageId: 'msg-1',
  }

  beforeAll(async () => {
    provider = await startFakeProvider(() => sentAnswer(42))
  })
  afterAll(() => provider.close())
  beforeEach(() => {
    provider.requests.length = 0
  })

  it('sends text with an inline keyboard to sendMessage and returns chat:message id', async () => {
    expect(await adapter.send(channel(provider.url), payload)).toEqual({
      status: 'sent',
      providerMessageId: '987654321:42',
    })
    expect(provider.requests[0]?.path).toBe('/bot123456:ABC-DEF/sendMessage')
    expect(provider.requests[0]?.body).toEqual({
      chat_id: '987654321',
      text: 'Still thinking about it?',
      reply_markup: {
        inline_keyboard: [
          [{ text: 'Yes', callback_data: 'yes' }],
          [{ text: 'No thanks', callback_data: 'no' }],
        ],
      },
    })
  })

  it('sends a product card as sendPhoto with a caption and a link button', async () => {
    await adapter.send(channel(provider.url), {
      ...payload,
      message: {
        text: 'Your cart is waiting',
        product: {
          title: 'Blue mug',
          price: 12,
          currency: 'USD',
          imageUrl: 'https://cdn/mug.jpg',
          url: 'https://shop/mug',
        },
      },
    })
    expect(provider.requests[0]?.path).toBe('/bot123456:ABC-DEF/sendPhoto')
    expect(provider.requests[0]?.body).toEqual({
      chat_id: '987654321',
      photo: 'https://cdn/mug.jpg',
      caption: 'Your cart is waiting\n\nBlue mug — $12.00\nhttps://shop/mug',
      reply_markup: { inline_keyboard: [[{ text: 'View product', url: 'https://shop/mug' }]] },
    })
  })

  it('maps 429 (retry_after in the body) to retry, 5xx with an error body to retry, 400 to failed', async () => {
    provider.script({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 5',
        parameters: { retry_after: 5 },
      },
    })
    expect(await adapter.send(channel(provider.url), payload)).toMatchObject({
      status: 'retry',
      retryAfterMs: 5000,
    })
    provider.script({
      status: 500,
      body: { ok: false, error_code: 500, description: 'Internal Server Error' },
    })
    expect(await adapter.send(channel(provider.url), payload)).toMatchObject({ status: 'retry' })
    provider.script({
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' },
    })
    const failed = await adapter.send(channel(provider.url), payload)
    expect(failed).toMatchObject({ status: 'failed' })
    expect(failed.status === 'failed' && failed.error).toContain('chat not found')
    provider.script({
      status: 403,
      body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
    })
    expect(await adapter.send(channel(provider.url), payload)).toMatchObject({ status: 'failed' })
  })

  it('maps a hang after writing to unknown, and connection refused to retry', async () => {
    provider.script('hang')
    expect(await adapter.send(channel(provider.url), payload)).toMatchObject({ status: 'unknown' })
    expect(await adapter.send(channel(await closedPortUrl()), payload)).toMatchObject({ status: 'retry' })
  })

  it('answers a callback query', async () => {
    provider.script({ status: 200, body: { ok: true, result: true } })
    expect(await adapter.answerCallbackQuery(channel(provider.url), '4382bfdwdsb323b2d9')).toBe(true)
    expect(provider.requests[0]).toMatchObject({
      path: '/bot123456:ABC-DEF/answerCallbackQuery',
      body: { callback_query_id: '4382bfdwdsb323b2d9' },
    })
  })
})
