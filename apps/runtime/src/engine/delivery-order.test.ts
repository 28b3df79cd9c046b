// Issue 9, in-order delivery: a flow that sends three messages in a row over Telegram reaches each of 100
// shoppers in order. The fake Bot API answers each request after a random delay and delivers it when it
// answers, so two of a chat's messages in flight at once would often arrive swapped: the relay must keep one
// send per conversation in flight, in queue order.
import { testDatabases } from '@parley/db/testing'
import { node } from '@parley/flow/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { createTelegramAdapter } from '../channels/telegram/telegram-adapter.ts'
import { createChannel } from '../channels/testing/channel-fixtures.ts'
import { type FakeProvider, startFakeProvider } from '../channels/testing/fake-provider.ts'
import { publishFlowDocument } from '../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { relayOutbox } from './outbox-relay.ts'

const SHOPPERS = 100
const TEXTS = ['one', 'two', 'three']
const threeInARow = {
  version: 1,
  name: 'Three in a row',
  nodes: [
    node('start', 'trigger-message', { match: 'any', keywords: [] }),
    ...TEXTS.map((text) => node(text, 'send-message', { text })),
    node('done', 'end', { outcome: 'answered' }),
  ],
  edges: [
    { id: 'a', source: 'start', sourceHandle: 'next', target: 'one' },
    { id: 'b', source: 'one', sourceHandle: 'next', target: 'two' },
    { id: 'c', source: 'two', sourceHandle: 'next', target: 'three' },
    { id: 'd', source: 'three', sourceHandle: 'next', target: 'done' },
  ],
}
const config = { botToken: '123456:ORDER', webhookSecret: 'order-secret' }

describe.each(testDatabases())('in-order delivery over Telegram on %s', (kind) => {
  let t: TestDeps
  let provider: FakeProvider

  beforeAll(async () => {
    t = await createTestDeps(kind)
    t.deps.channels.telegram = createTelegramAdapter(t.deps)
    let n = 0
    provider = await startFakeProvider((request) => {
      const chatId = (request.body as { chat_id: string }).chat_id
      n += 1
      return {
        status: 200,
        body: { ok: true, result: { message_id: n, chat: { id: Number(chatId) } } },
        delayMs: Math.floor(Math.random() * 25),
      }
    })
  })
  afterAll(async () => {
    await provider?.close()
    await t?.close()
  })

  it('delivers each shopper the three messages in order, 100 times out of 100', async () => {
    const { merchantId } = await seedMerchant(t.deps.db)
    const channel = await createChannel(t.deps.db, merchantId, 'telegram', config, provider.url)
    await publishFlowDocument(t.deps.db, merchantId, threeInARow)
    const app = createApp(t.deps)
    for (let i = 0; i < SHOPPERS; i++) {
      const chatId = 5_000_000 + i
      const from = { id: chatId, is_bot: false, first_name: `Shopper ${i}` }
      const res = await app.request(`/webhooks/telegram/${channel.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-telegram-bot-api-secret-token': config.webhookSecret,
        },
        body: JSON.stringify({
          update_id: 900_000 + i,
          message: {
            message_id: 1,
            from,
            chat: { id: chatId, type: 'private' },
            date: 1767600000,
            text: 'hi',
          },
        }),
      })
      expect(res.status).toBe(200)
    }

    // The relay as its loop runs it, with the clock moving on between batches (Telegram is paced).
    for (let round = 0; provider.delivered.length < SHOPPERS * TEXTS.length && round < 2_000; round++) {
      await relayOutbox(t.deps)
      t.clock.advance(100)
    }

    const received = new Map<string, string[]>()
    for (const request of provider.delivered) {
      const body = request.body as { chat_id: string; text: string }
      const texts = received.get(String(body.chat_id)) ?? []
      texts.push(body.text)
      received.set(String(body.chat_id), texts)
    }
    expect(received.size).toBe(SHOPPERS)
    const inOrder = [...received.values()].filter((texts) => texts.join() === TEXTS.join()).length
    expect(inOrder).toBe(SHOPPERS)
  }, 600_000)
})
