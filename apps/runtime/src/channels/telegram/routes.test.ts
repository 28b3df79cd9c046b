// The Telegram webhook through app.request: secret token before parsing, real-shaped updates.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDeps, seedMerchant, type TestDeps } from '../../testing/test-deps.ts'
import { createChannel, fakeInbound, harnessApp } from '../testing/channel-fixtures.ts'
import { type FakeProvider, startFakeProvider } from '../testing/fake-provider.ts'
import { telegramRoutes } from './routes.ts'

const config = { botToken: '123456:ABC-DEF', webhookSecret: 'hook-secret' }
const from = {
  id: 987654321,
  is_bot: false,
  first_name: 'Ana',
  last_name: 'Lima',
  username: 'ana',
  language_code: 'pt-BR',
}
const chat = { id: 987654321, first_name: 'Ana', last_name: 'Lima', username: 'ana', type: 'private' }

describe.each(testDatabases())('Telegram webhook on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof harnessApp>
  let inbound: ReturnType<typeof fakeInbound>
  let provider: FakeProvider
  let merchantId: string
  let channelId: string

  beforeAll(async () => {
    t = await createTestDeps(kind)
    provider = await startFakeProvider(() => ({ status: 200, body: { ok: true, result: true } }))
    inbound = fakeInbound()
    app = harnessApp(t.deps, telegramRoutes({ handleInbound: inbound.handle }))
    merchantId = (await seedMerchant(t.deps.db)).merchantId
    channelId = (await createChannel(t.deps, merchantId, 'telegram', config, provider.url)).id
  })
  afterAll(async () => {
    await provider?.close()
    await t?.close()
  })

  const post = (update: unknown, secret: string | null = config.webhookSecret) =>
    app.request(`/webhooks/telegram/${channelId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}),
      },
      body: typeof update === 'string' ? update : JSON.stringify(update),
    })

  it('turns a text message into an inbound message keyed by update_id', async () => {
    const res = await post({
      update_id: 733104101,
      message: { message_id: 17, from, chat, date: 1767600000, text: 'Where is my order?' },
    })
    expect(res.status).toBe(200)
    expect(inbound.received.at(-1)).toEqual({
      merchantId,
      channelId,
      externalId: '733104101',
      sender: { externalId: '987654321', name: 'Ana Lima', locale: 'pt-BR' },
      text: 'Where is my order?',
    })
  })

  it('turns a photo with a caption into media', async () => {
    await post({
      update_id: 733104102,
      message: {
        message_id: 18,
        from,
        chat,
        date: 1767600001,
        caption: 'It arrived broken',
        photo: [
          { file_id: 'AgACAgQ-small', file_unique_id: 'a', file_size: 1200, width: 90, height: 67 },
          { file_id: 'AgACAgQ-large', file_unique_id: 'b', file_size: 52000, width: 1280, height: 960 },
        ],
      },
    })
    expect(inbound.received.at(-1)).toMatchObject({
      text: 'It arrived broken',
      media: [{ url: 'telegram-file:AgACAgQ-large', mimeType: 'image/jpeg' }],
    })
  })

  it('turns a button tap into buttonId with the button title as text, and answers the callback query', async () => {
    provider.requests.length = 0
    const res = await post({
      update_id: 733104103,
      callback_query: {
        id: '4382bfdwdsb323b2d9',
        from,
        chat_instance: '-1234',
        data: 'yes',
        message: {
          message_id: 19,
          from: { id: 123456, is_bot: true, first_name: 'Shop bot' },
          chat,
          date: 1767600002,
          text: 'Complete your order?',
          reply_markup: {
            inline_keyboard: [
              [{ text: 'Yes please', callback_data: 'yes' }],
              [{ text: 'No', callback_data: 'no' }],
            ],
          },
        },
      },
    })
    expect(res.status).toBe(200)
    expect(inbound.received.at(-1)).toEqual({
      merchantId,
      channelId,
      externalId: '733104103',
      sender: { externalId: '987654321', name: 'Ana Lima', locale: 'pt-BR' },
      text: 'Yes please',
      buttonId: 'yes',
    })
    const start = Date.now()
    while (provider.requests.length === 0 && Date.now() - start < 3000)
      await new Promise((r) => setTimeout(r, 20))
    expect(provider.requests[0]).toMatchObject({
      path: '/bot123456:ABC-DEF/answerCallbackQuery',
      body: { callback_query_id: '4382bfdwdsb323b2d9' },
    })
  })

  it('ignores updates it does not handle (edited messages, stickers) with 200', async () => {
    const before = inbound.received.length
    expect(
      (await post({ update_id: 733104104, edited_message: { message_id: 1, chat, date: 1, text: 'x' } }))
        .status,
    ).toBe(200)
    expect(
      (
        await post({
          update_id: 733104105,
          message: { message_id: 2, from, chat, date: 1, sticker: { file_id: 's' } },
        })
      ).status,
    ).toBe(200)
    expect(inbound.received.length).toBe(before)
  })

  it('refuses a wrong or missing secret token with 401 before parsing, writing nothing', async () => {
    const before = inbound.received.length
    const update = { update_id: 733104199, message: { message_id: 3, from, chat, date: 1, text: 'hi' } }
    for (const secret of [null, 'wrong', `${config.webhookSecret}x`]) {
      const res = await post(update, secret)
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } })
    }
    expect((await post('{not json', 'wrong')).status).toBe(401)
    expect((await post('{not json')).status).toBe(400)
    expect(inbound.received.length).toBe(before)
  })
})
