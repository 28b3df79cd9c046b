// The optional LLM for reply intents against a fake OpenAI-compatible endpoint on loopback: a reply the rules cannot
// place takes the path the model names; the rules' replies never reach the model; with the model slow, down,
// rate-limited or answering nonsense the reply goes to "Anything else" within the deadline; no AI configured and
// no waiting run means no call at all. On both backends.
import type { AiAnswersSettingsInput } from '@parley/api'
import type { Database } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { edge, flowDocument, node } from '@parley/flow/test-support'
import { type Kysely, type KyselyPlugin, type RootOperationNode, TableNode } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import { relayOutbox } from '../delivery/outbox-relay.ts'
import { processInboundMessage } from '../engine/inbound.ts'
import { publishFlowDocument, RecordingAdapter, seedChannel } from '../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { llmAnswerUsage } from './llm-answer-costs.ts'
import { saveLlmSettings } from './llm-settings.ts'
import { LLM_INTENT_DEADLINE_MS, withLlmReplyIntents } from './reply-intent-llm.ts'
import { DEFAULT_FAKE_USAGE, type FakeOpenAi, startFakeOpenAi } from './testing/fake-openai-server.ts'

const returnsDesk = flowDocument(
  [
    node('t', 'trigger-message', { match: 'keyword', keywords: ['help'] }),
    node('ask', 'send-message', { text: 'What can I do for you?' }),
    node('w', 'wait-for-reply', { intents: ['return', 'wants_person'], timeout: null }),
    node('ret', 'send-message', { text: 'Let us start your return.' }),
    node('person', 'send-message', { text: 'A person will take over.' }),
    node('other', 'send-message', { text: 'Noted.' }),
  ],
  [
    edge('t', 'ask'),
    edge('ask', 'w'),
    edge('w', 'ret', 'intent-return'),
    edge('w', 'person', 'intent-wants_person'),
    edge('w', 'other', 'anything'),
  ],
)

describe.each(testDatabases())('reply intents with the optional LLM on %s', (kind) => {
  let t: TestDeps
  let db: Kysely<Database>
  let fake: FakeOpenAi
  const webchat = new RecordingAdapter('webchat')
  let sender = 0

  beforeAll(async () => {
    fake = await startFakeOpenAi()
    // Loopback is refused by the egress policy; the operator's allow-list lets the fake endpoint through.
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      EGRESS_ALLOW_LIST: `127.0.0.1:${fake.port}`,
    })
    t = await createTestDeps(kind, { channels: { webchat }, config })
    db = t.deps.db
  }, 300_000)
  afterAll(async () => {
    await t?.close()
    await fake?.close()
  })

  const ai: AiAnswersSettingsInput = {
    enabled: true,
    baseUrl: '',
    model: 'tiny-model',
    apiKey: 'sk-merchant-secret-9f3a',
    inputPricePer1k: 0.5,
    outputPricePer1k: 1.5,
    currency: 'EUR',
    stream: false,
  }

  async function store(withAi: boolean) {
    const { merchantId } = await seedMerchant(db, { name: 'North Thread' })
    const channel = await seedChannel(db, merchantId)
    await publishFlowDocument(db, merchantId, returnsDesk)
    if (withAi)
      await saveLlmSettings(
        db,
        t.deps.config.keyring,
        merchantId,
        { ...ai, baseUrl: fake.baseUrl },
        new Date(t.clock.now()),
      )
    return { merchantId, channelId: channel.id }
  }

  /** One shopper: "help", then the answer; what the bot said after the answer, and how long the answer took. */
  async function converse(shop: { merchantId: string; channelId: string }, answer: string) {
    sender += 1
    const say = async (text: string, n: number) => {
      await processInboundMessage(t.deps, {
        merchantId: shop.merchantId,
        channelId: shop.channelId,
        externalId: `m-${sender}-${n}`,
        sender: { externalId: `visitor-${sender}` },
        text,
      })
      await relayOutbox(t.deps)
    }
    await say('help', 1)
    const before = webchat.sends.length
    const started = performance.now()
    await say(answer, 2)
    const ms = performance.now() - started
    return { texts: webchat.sends.slice(before).map((s) => s.payload.message.text), ms }
  }

  it('asks the model about a reply the rules cannot place, and takes the path it names', async () => {
    const shop = await store(true)
    fake.behave({ kind: 'json', text: 'return' })
    const asked = fake.requests.length
    expect((await converse(shop, 'the zip came off on day two')).texts).toEqual(['Let us start your return.'])
    expect(fake.requests.length).toBe(asked + 1)
    const request = fake.requests.at(-1)!
    expect(request.body.model).toBe('tiny-model')
    expect(request.body.messages?.at(-1)).toEqual({ role: 'user', content: 'the zip came off on day two' })
    expect(request.body.messages?.[0]?.content).toContain('- wants_person:')
  })

  it('records what reading the reply cost, as an intent check beside the answers, on the waiting run', async () => {
    const shop = await store(true)
    fake.behave({ kind: 'json', text: 'return' })
    await converse(shop, 'the zip came off on day two')
    const rows = await db
      .selectFrom('llm_answers')
      .select(['purpose', 'outcome', 'run_id', 'input_tokens', 'output_tokens', 'cost', 'currency'])
      .where('merchant_id', '=', shop.merchantId)
      .execute()
    const run = await db
      .selectFrom('runs')
      .select('id')
      .where('merchant_id', '=', shop.merchantId)
      .executeTakeFirstOrThrow()
    // 420 input tokens at 0.50 and 36 output tokens at 1.50 per 1,000.
    const cost =
      (DEFAULT_FAKE_USAGE.prompt_tokens / 1000) * 0.5 + (DEFAULT_FAKE_USAGE.completion_tokens / 1000) * 1.5
    expect(rows).toEqual([
      {
        purpose: 'intent',
        outcome: 'answered',
        run_id: run.id,
        input_tokens: DEFAULT_FAKE_USAGE.prompt_tokens,
        output_tokens: DEFAULT_FAKE_USAGE.completion_tokens,
        cost: expect.anything(),
        currency: 'EUR',
      },
    ])
    expect(Number(rows[0]!.cost)).toBeCloseTo(cost, 6)
    // The month's bill holds it; the answer counts stay answers.
    const usage = await llmAnswerUsage(db, shop.merchantId, new Date(0), new Date(t.clock.now() + 1), 'EUR')
    expect(usage).toMatchObject({ attempts: 0, answered: 0, fallbacks: 0, intentChecks: 1, currency: 'EUR' })
    expect(usage.cost).toBeCloseTo(cost, 6)
  })

  it('never asks about replies the rules place, nor when no run waits for the reply', async () => {
    const shop = await store(true)
    fake.behave({ kind: 'json', text: 'return' })
    const asked = fake.requests.length
    expect((await converse(shop, 'can I talk to a human please')).texts).toEqual(['A person will take over.'])
    // "help" itself starts the flow: nothing was waiting, so the model was not asked about it either.
    expect(fake.requests.length).toBe(asked)
  })

  it('keeps the reply "unknown" (Anything else) when the model is slow, rate-limited or talks nonsense', async () => {
    const shop = await store(true)
    for (const behaviour of [
      { kind: 'hang' as const },
      { kind: 'status' as const, status: 429, body: '{"error":{"message":"slow down"}}' },
      { kind: 'json' as const, text: 'I think the shopper wants a refund, probably.' },
      { kind: 'garbage' as const },
    ]) {
      fake.behave(behaviour)
      const { texts, ms } = await converse(shop, 'the zip came off on day two')
      expect(texts, behaviour.kind).toEqual(['Noted.'])
      // The deadline holds whatever the endpoint does (generous margin for a loaded machine).
      expect(ms).toBeLessThan(LLM_INTENT_DEADLINE_MS + 5_000)
    }
    // Each attempt is on the bill, none as an intent found.
    const outcomes = await db
      .selectFrom('llm_answers')
      .select(['purpose', 'outcome'])
      .where('merchant_id', '=', shop.merchantId)
      .execute()
    expect(outcomes).toEqual(Array.from({ length: 4 }, () => ({ purpose: 'intent', outcome: 'fallback' })))
  }, 60_000)

  it('reads whether a merchant has AI answers on once per batch, and places each message as alone', async () => {
    const off = await store(false)
    const on = await store(true)
    const tables: string[] = []
    const counting: KyselyPlugin = {
      transformQuery: ({ node }: { node: RootOperationNode }) => {
        if (node.kind === 'SelectQueryNode')
          for (const from of node.from?.froms ?? [])
            if (TableNode.is(from)) tables.push(from.table.identifier.name)
        return node
      },
      transformResult: async ({ result }) => result,
    }
    const deps = { ...t.deps, db: t.deps.db.withPlugin(counting) }
    const msgs = [off, on, off, off, on].map((shop, i) => ({
      merchantId: shop.merchantId,
      channelId: shop.channelId,
      externalId: `batch-${i}`,
      sender: { externalId: `batch-visitor-${i}` },
      text: 'the zip came off on day two',
    }))
    const asked = fake.requests.length
    const placed = await withLlmReplyIntents(deps, msgs)
    expect(tables.filter((table) => table === 'llm_settings')).toHaveLength(2)
    // Nobody's run waits for these replies: no intent, no call, the messages as they came.
    expect(placed).toEqual(msgs)
    expect(fake.requests.length).toBe(asked)
  })

  it('never calls a model the merchant did not configure', async () => {
    const shop = await store(false)
    const asked = fake.requests.length
    expect((await converse(shop, 'the zip came off on day two')).texts).toEqual(['Noted.'])
    expect(fake.requests.length).toBe(asked)
  })
})
