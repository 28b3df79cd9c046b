// Telegram's contracts through the real app (app.request with the webhook's secret token, the real inbound step,
// the relay against a fake Bot API on loopback): /start opens the merchant's welcome flow and never the staff
// queue; a shopper who blocks the bot (my_chat_member `kicked`, or a 403 "bot was blocked by the user") is not
// sent to again — sends are skipped with reason `unreachable`, no provider call — until they write or unblock.

import { testDatabases } from '@parley/db/testing'
import type { TemplateRef } from '@parley/flow'
import { productQuestionsFlow, welcomeFlow } from '@parley/flow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../app.ts'
import { relayOutbox } from '../../delivery/outbox-relay.ts'
import { queueSend } from '../../effects/send.ts'
import { inStepTransaction } from '../../engine/step-transaction.ts'
import { publishFlowDocument } from '../../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../../testing/test-deps.ts'
import { createChannel } from '../testing/channel-fixtures.ts'
import { type FakeProvider, type RecordedRequest, startFakeProvider } from '../testing/fake-provider.ts'
import { createTelegramAdapter } from './telegram-adapter.ts'

const config = { botToken: '123456:ABC-DEF', webhookSecret: 'hook-secret' }
const bot = { id: 123456, is_bot: true, first_name: 'Aster & Oak', username: 'AsterOakBot' }
let nextUpdate = 900_000_000
let nextChat = 5_000_000_000

const sentAnswer = (request: RecordedRequest) => {
  const body = request.body as { chat_id: number | string; text?: string }
  return {
    status: 200,
    body: {
      ok: true,
      result: {
        message_id: ++nextUpdate,
        date: 1767600000,
        chat: { id: Number(body.chat_id) },
        text: body.text,
      },
    },
  }
}

describe.each(testDatabases())('Telegram contracts on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  let telegram: FakeProvider
  let merchantId: string
  let channelId: string

  beforeAll(async () => {
    t = await createTestDeps(kind)
    t.deps.channels.telegram = createTelegramAdapter(t.deps, { timeoutMs: 10_000 })
    telegram = await startFakeProvider(sentAnswer)
    app = createApp(t.deps)
    merchantId = (await seedMerchant(t.deps.db, { name: 'Aster & Oak' })).merchantId
    channelId = (await createChannel(t.deps, merchantId, 'telegram', config, telegram.url)).id
    await publishFlowDocument(t.deps.db, merchantId, welcomeFlow)
    // The "any message" flow that used to take /start for a question and hand it to staff.
    await publishFlowDocument(t.deps.db, merchantId, productQuestionsFlow)
  }, 120_000)
  afterAll(async () => {
    await telegram?.close()
    await t?.close()
  })

  const post = (update: unknown) =>
    app.request(`/webhooks/telegram/${channelId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': config.webhookSecret,
      },
      body: JSON.stringify(update),
    })

  const newChat = () => {
    const id = ++nextChat
    return {
      id,
      from: { id, is_bot: false, first_name: 'Ana', language_code: 'en' },
      chat: { id, first_name: 'Ana', type: 'private' },
    }
  }

  const write = async (who: ReturnType<typeof newChat>, text: string) => {
    // Past the bot's and the chat's pacing from the sends before (the clock stands still otherwise).
    t.clock.advance(60_000)
    const res = await post({
      update_id: ++nextUpdate,
      message: { message_id: nextUpdate, from: who.from, chat: who.chat, date: 1767600000, text },
    })
    expect(res.status).toBe(200)
  }

  const membership = async (who: ReturnType<typeof newChat>, from: string, to: string) => {
    const res = await post({
      update_id: ++nextUpdate,
      my_chat_member: {
        chat: who.chat,
        from: who.from,
        date: 1767600000,
        old_chat_member: { user: bot, status: from },
        new_chat_member: { user: bot, status: to, ...(to === 'kicked' ? { until_date: 0 } : {}) },
      },
    })
    expect(res.status).toBe(200)
  }

  const callsTo = (who: ReturnType<typeof newChat>) =>
    telegram.requests.filter((r) => Number((r.body as { chat_id?: unknown }).chat_id) === who.id)

  const conversationOf = (who: ReturnType<typeof newChat>) =>
    t.deps.db
      .selectFrom('conversations')
      .innerJoin('contact_identities', (j) =>
        j
          .onRef('contact_identities.merchant_id', '=', 'conversations.merchant_id')
          .onRef('contact_identities.contact_id', '=', 'conversations.contact_id')
          .onRef('contact_identities.channel_id', '=', 'conversations.channel_id'),
      )
      .select([
        'conversations.id',
        'conversations.status',
        'conversations.contact_id',
        'contact_identities.unreachable_at',
      ])
      .where('conversations.merchant_id', '=', merchantId)
      .where('contact_identities.external_id', '=', String(who.id))
      .executeTakeFirstOrThrow()

  /** A bot send to the shopper's conversation, queued as a flow step would queue it. */
  const queueBotSend = async (who: ReturnType<typeof newChat>, text: string, template?: TemplateRef) => {
    const conversation = await conversationOf(who)
    return inStepTransaction(t.deps, (trx, ctx) =>
      queueSend(trx, ctx, {
        merchantId,
        conversationId: conversation.id,
        runId: null,
        nodeId: null,
        message: { text },
        purpose: 'transactional',
        exemption: 'none',
        ...(template ? { template } : {}),
      }),
    )
  }

  it.each([
    ['/start', undefined],
    ['/start summer-sale', 'summer-sale'],
    ['/start@AsterOakBot', undefined],
  ])('%s starts the welcome flow, never the staff queue', async (text, payload) => {
    const who = newChat()
    await write(who, text)
    await relayOutbox(t.deps)
    const [greeting] = callsTo(who)
    expect(greeting?.path).toBe(`/bot${config.botToken}/sendMessage`)
    expect(greeting?.body).toMatchObject({
      text: 'Hi Ana, welcome to Aster & Oak! How can I help you today?',
      reply_markup: {
        inline_keyboard: [
          [{ text: 'Track my order', callback_data: 'track' }],
          [{ text: 'Product question', callback_data: 'product' }],
          [{ text: 'Talk to a person', callback_data: 'person' }],
        ],
      },
    })
    const conversation = await conversationOf(who)
    expect(conversation.status).toBe('bot')
    const runs = await t.deps.db
      .selectFrom('runs')
      .innerJoin('flows', (j) =>
        j.onRef('flows.merchant_id', '=', 'runs.merchant_id').onRef('flows.id', '=', 'runs.flow_id'),
      )
      .select(['flows.name', 'runs.snapshot'])
      .where('runs.merchant_id', '=', merchantId)
      .where('runs.conversation_id', '=', conversation.id)
      .execute()
    expect(runs.map((r) => r.name)).toEqual(['Welcome'])
    expect(JSON.stringify(runs[0]!.snapshot)).toContain(
      payload ? `"startPayload":"${payload}"` : '"startPayload":null',
    )
  })

  it('any other first message still goes to the "any message" flow', async () => {
    const who = newChat()
    await write(who, 'Is the linen shirt in blue?')
    const conversation = await conversationOf(who)
    const runs = await t.deps.db
      .selectFrom('runs')
      .innerJoin('flows', (j) =>
        j.onRef('flows.merchant_id', '=', 'runs.merchant_id').onRef('flows.id', '=', 'runs.flow_id'),
      )
      .select('flows.name')
      .where('runs.conversation_id', '=', conversation.id)
      .execute()
    expect(runs.map((r) => r.name)).toEqual(['Product questions'])
  })

  it.each([
    ['my_chat_member kicked', 'kicked'],
    ['a 403 "bot was blocked by the user"', 'forbidden'],
  ])('%s makes the shopper unreachable until they write again', async (_name, how) => {
    const who = newChat()
    await write(who, '/start')
    await relayOutbox(t.deps)
    expect(callsTo(who)).toHaveLength(1)

    if (how === 'kicked') {
      await membership(who, 'member', 'kicked')
    } else {
      telegram.script({
        status: 403,
        body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
      })
      const refused = await queueBotSend(who, 'Your order shipped')
      expect(refused.status).toBe('queued')
      await relayOutbox(t.deps)
      expect(callsTo(who)).toHaveLength(2)
      const message = await t.deps.db
        .selectFrom('messages')
        .select(['status', 'skip_reason'])
        .where('id', '=', refused.messageId!)
        .executeTakeFirstOrThrow()
      expect(message).toEqual({ status: 'skipped', skip_reason: 'unreachable' })
    }
    const calls = callsTo(who).length
    expect((await conversationOf(who)).unreachable_at).not.toBeNull()

    // Skipped at once, with the reason, and Telegram is not called.
    const skipped = await queueBotSend(who, 'Your order is out for delivery')
    expect(skipped).toMatchObject({ status: 'skipped', reason: 'unreachable' })
    await relayOutbox(t.deps)
    expect(callsTo(who)).toHaveLength(calls)

    // They write again: reachable, and the flow answers them.
    await write(who, '/start')
    expect((await conversationOf(who)).unreachable_at).toBeNull()
    const sent = await queueBotSend(who, 'Welcome back')
    expect(sent.status).toBe('queued')
    await relayOutbox(t.deps)
    expect(callsTo(who).map((r) => (r.body as { text: string }).text)).toContain('Welcome back')
  })

  it('a send already queued when they block the bot is skipped by the relay, without a call', async () => {
    const who = newChat()
    await write(who, '/start')
    await relayOutbox(t.deps)
    const calls = callsTo(who).length
    const queued = await queueBotSend(who, 'Your cart is waiting')
    expect(queued.status).toBe('queued')
    await membership(who, 'member', 'kicked')
    await relayOutbox(t.deps)
    expect(callsTo(who)).toHaveLength(calls)
    const message = await t.deps.db
      .selectFrom('messages')
      .select(['status', 'skip_reason'])
      .where('id', '=', queued.messageId!)
      .executeTakeFirstOrThrow()
    expect(message).toEqual({ status: 'skipped', skip_reason: 'unreachable' })
    // Unblocking the bot (member again) makes them reachable.
    await membership(who, 'kicked', 'member')
    expect((await conversationOf(who)).unreachable_at).toBeNull()
  })
})
