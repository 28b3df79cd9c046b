// Acceptance 2 of issue 14: a published flow answers product questions with the merchant's AI endpoint, a fake
// OpenAI-compatible server on loopback. The server asserts the prompt holds only the retrieved catalogue facts;
// streamed and non-streamed answers reach the shopper; with the endpoint down, slow or answering 429 the shopper
// gets the catalogue answer, within the 2 s deadline (so within 3 s in all); every attempt's cost is recorded.
import type { AiAnswersSettingsInput } from '@parley/api'
import type { Database } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { edge, node } from '@parley/flow/test-support'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { conversationReport } from '../analytics/conversation-report.ts'
import { loadConfig } from '../config.ts'
import { runDueHttpJobs } from '../delivery/http-lane.ts'
import { relayOutbox } from '../delivery/outbox-relay.ts'
import { processInboundMessage } from '../engine/inbound.ts'
import { metricValue } from '../observability/metrics.ts'
import { publishFlowDocument, RecordingAdapter, seedChannel } from '../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { llmAnswerUsage } from './llm-answer-costs.ts'
import { LLM_ANSWER_DEADLINE_MS } from './llm-answer-job.ts'
import { saveLlmSettings } from './llm-settings.ts'
import { type FakeOpenAi, startFakeOpenAi } from './testing/fake-openai-server.ts'

/** Any message → answer from the catalogue (sent) → end; no answer → a hand-off line. */
const productQuestionFlow = {
  version: 1,
  name: 'Product questions',
  nodes: [
    node('start', 'trigger-message', { match: 'any', keywords: [] }),
    node('answer', 'answer-product-question', { sendAnswer: true }),
    node('nobody', 'send-message', { text: 'Let me find someone who knows.' }),
    node('done', 'end', { outcome: 'answered' }),
  ],
  edges: [
    edge('start', 'answer'),
    edge('answer', 'done', 'answered'),
    edge('answer', 'nobody', 'unanswered'),
    edge('nobody', 'done'),
  ],
}

// The catalogue's own answer (packages/flow answerFromCatalogue) over the seeded product's attributes.
const CATALOGUE_ANSWER = 'Yes, the Classic Hoodie comes in Navy (59.00 EUR).'
const QUESTION = 'Does the Classic Hoodie come in navy?'

describe.each(testDatabases())('AI product answers against a fake endpoint on %s', (kind) => {
  let t: TestDeps
  let db: Kysely<Database>
  let fake: FakeOpenAi
  /** An allow-listed port where nothing listens: the endpoint is down. */
  let downPort: number
  const webchat = new RecordingAdapter('webchat')
  let sender = 0

  beforeAll(async () => {
    fake = await startFakeOpenAi()
    const down = await startFakeOpenAi()
    downPort = down.port
    await down.close()
    // Loopback is refused by the egress policy; the operator's allow-list lets these two ports through, as an
    // internal model server of a self-hosted install would be.
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      EGRESS_ALLOW_LIST: `127.0.0.1:${fake.port}, 127.0.0.1:${downPort}`,
    })
    t = await createTestDeps(kind, { channels: { webchat }, config })
    db = t.deps.db
  })
  afterAll(async () => {
    await t.close()
    await fake.close()
  })

  function settings(overrides: Partial<AiAnswersSettingsInput> = {}): AiAnswersSettingsInput {
    return {
      enabled: true,
      baseUrl: fake.baseUrl,
      model: 'tiny-model',
      apiKey: 'sk-merchant-secret-9f3a',
      inputPricePer1k: 0.5,
      outputPricePer1k: 1.5,
      currency: 'EUR',
      stream: false,
      ...overrides,
    }
  }

  /** A merchant with a small catalogue, the flow published and AI answers as given (null: never set). */
  async function store(ai: AiAnswersSettingsInput | null) {
    const { merchantId } = await seedMerchant(db, { name: 'North Thread' })
    const channel = await seedChannel(db, merchantId)
    await db
      .insertInto('products')
      .values([
        {
          merchant_id: merchantId,
          external_id: 'hoodie',
          title: 'Classic Hoodie',
          description: 'Brushed cotton, relaxed fit.',
          price: '59.00',
          currency: 'EUR',
          attributes: { colours: ['Navy', 'Sand'], sizes: ['S', 'M', 'L'] },
        },
        {
          merchant_id: merchantId,
          external_id: 'shirt',
          title: 'Linen Shirt',
          description: 'Washed linen.',
          price: '45.00',
          currency: 'EUR',
          attributes: { colours: ['White'] },
        },
      ])
      .execute()
    await publishFlowDocument(db, merchantId, productQuestionFlow)
    if (ai) await saveLlmSettings(db, t.deps.config.keyring, merchantId, ai, new Date(t.clock.now()))
    return { merchantId, channelId: channel.id }
  }

  /** The shopper asks; the lane and the relay run until the bot has answered. Returns the answer and timing. */
  async function ask(shop: { merchantId: string; channelId: string }, text = QUESTION) {
    sender += 1
    const before = webchat.sends.length
    const started = performance.now()
    await processInboundMessage(t.deps, {
      merchantId: shop.merchantId,
      channelId: shop.channelId,
      externalId: `q-${shop.merchantId}-${sender}`,
      sender: { externalId: `visitor-${sender}`, name: 'Ada Lovelace' },
      text,
    })
    for (let round = 0; round < 20 && webchat.sends.length === before; round++) {
      await relayOutbox(t.deps)
      if (webchat.sends.length > before) break
      await runDueHttpJobs(t.deps)
    }
    const elapsedMs = performance.now() - started
    const sent = webchat.sends.slice(before).map((s) => (s.payload.message as { text?: string }).text)
    expect(sent).toHaveLength(1)
    return { text: sent[0]!, elapsedMs }
  }

  const costRows = (merchantId: string) =>
    db
      .selectFrom('llm_answers')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .orderBy('created_at')
      .execute()

  it('sends a non-streamed AI answer, asking with only the retrieved facts, and records its cost', async () => {
    // Another merchant's catalogue must never reach the prompt.
    const other = await store(null)
    await db
      .insertInto('products')
      .values({ merchant_id: other.merchantId, title: 'Secret Jacket', price: '999.00', currency: 'EUR' })
      .execute()
    const shop = await store(settings())
    fake.behave({ kind: 'json', text: 'Yes! The Classic Hoodie comes in Navy, for €59.00.' })
    const before = fake.requests.length

    expect((await ask(shop)).text).toBe('Yes! The Classic Hoodie comes in Navy, for €59.00.')

    expect(fake.requests.length).toBe(before + 1)
    const request = fake.requests.at(-1)!
    expect(request.headers.authorization).toBe('Bearer sk-merchant-secret-9f3a')
    expect(request.body).toMatchObject({ model: 'tiny-model', stream: false })
    const [system, user] = request.body.messages!
    expect(user).toEqual({ role: 'user', content: QUESTION })
    expect(system!.role).toBe('system')
    // The facts: the retrieved product and the store's policies, nothing else.
    const facts = JSON.parse(system!.content.slice(system!.content.indexOf('{'))) as {
      products: { title: string; price: string; inStock: boolean }[]
      policies: unknown
      catalogueAnswer: string
    }
    expect(facts.products.map((p) => p.title)).toEqual(['Classic Hoodie'])
    expect(facts.products[0]).toMatchObject({ price: '59.00', inStock: true, currency: 'EUR' })
    expect(facts.policies).toEqual({ returnWindowDays: 30 })
    expect(facts.catalogueAnswer).toBe(CATALOGUE_ANSWER)
    const everything = JSON.stringify(request.body)
    for (const absent of [
      'Linen Shirt',
      'Secret Jacket',
      'Ada',
      'visitor-',
      shop.merchantId,
      other.merchantId,
    ]) {
      expect(everything).not.toContain(absent)
    }
    expect(system!.content).toMatch(/Never state a price, discount, stock level/)

    const [row] = await costRows(shop.merchantId)
    expect(row).toMatchObject({
      outcome: 'answered',
      reason: null,
      model: 'tiny-model',
      input_tokens: 420,
      output_tokens: 36,
      tokens_estimated: false,
      currency: 'EUR',
    })
    // 420 / 1000 × 0.50 + 36 / 1000 × 1.50
    expect(Number(row!.cost)).toBeCloseTo(0.264, 6)
  })

  it('sends a streamed AI answer', async () => {
    const shop = await store(settings({ stream: true }))
    fake.behave({ kind: 'stream', text: 'The Classic Hoodie comes in Navy and Sand, sizes S to L.' })
    expect((await ask(shop)).text).toBe('The Classic Hoodie comes in Navy and Sand, sizes S to L.')
    expect(fake.requests.at(-1)!.body.stream).toBe(true)
    const [row] = await costRows(shop.merchantId)
    expect(row).toMatchObject({ outcome: 'answered', input_tokens: 420, output_tokens: 36 })
  })

  it('falls back to the catalogue answer within the deadline when the endpoint never answers', {
    timeout: 120_000,
  }, async () => {
    const shop = await store(settings({ stream: true }))
    fake.behave({ kind: 'hang' })
    const { text, elapsedMs } = await ask(shop)
    expect(text).toBe(CATALOGUE_ANSWER)
    const [row] = await costRows(shop.merchantId)
    expect(row).toMatchObject({
      outcome: 'fallback',
      reason: 'timeout',
      input_tokens: 0,
      cost: expect.anything(),
    })
    expect(Number(row!.cost)).toBe(0)
    // The deadline mechanism: the call was given up at 2 s, leaving a second of the 3 s for both steps and the
    // delivery. Timers fire late on a loaded machine, so the bound on the call is the 3 s itself.
    expect(LLM_ANSWER_DEADLINE_MS).toBeLessThanOrEqual(2_000)
    expect(row!.latency_ms).toBeGreaterThanOrEqual(LLM_ANSWER_DEADLINE_MS - 100)
    expect(row!.latency_ms).toBeLessThan(3_000)
    // The whole exchange, measured for the record; only a badly overloaded machine takes it past 3 s.
    expect(elapsedMs).toBeLessThan(30_000)
  })

  it.each([
    ['answers 429', { kind: 'status', status: 429 } as const, 'rate_limited'],
    ['fails with 500', { kind: 'status', status: 500 } as const, 'server_error'],
    ['answers garbage', { kind: 'garbage' } as const, 'malformed'],
    [
      'states a price not in the catalogue',
      { kind: 'json', text: 'Yes, and it is only €39 today!' } as const,
      'ungrounded',
    ],
    ['claims a stock count', { kind: 'json', text: 'Yes, in Navy, only 2 left!' } as const, 'ungrounded'],
  ])(
    'uses the catalogue answer at once when the endpoint %s, asking once',
    async (_name, behaviour, reason) => {
      const shop = await store(settings())
      fake.behave(behaviour)
      const before = fake.requests.length
      const fallbacks = await metricValue(t.deps.metrics.llmAnswers, { outcome: 'fallback', reason })
      expect((await ask(shop)).text).toBe(CATALOGUE_ANSWER)
      // No retry storm: one request, and no waiting for the deadline.
      expect(fake.requests.length).toBe(before + 1)
      const [row] = await costRows(shop.merchantId)
      expect(row).toMatchObject({ outcome: 'fallback', reason })
      expect(row!.latency_ms).toBeLessThan(LLM_ANSWER_DEADLINE_MS)
      expect(await metricValue(t.deps.metrics.llmAnswers, { outcome: 'fallback', reason })).toBe(
        fallbacks + 1,
      )
      if (reason === 'ungrounded') {
        // The words came back and cost tokens, even though the shopper never saw them.
        expect(Number(row!.cost)).toBeGreaterThan(0)
      }
    },
  )

  it('uses the catalogue answer when the endpoint is down', async () => {
    const shop = await store(settings({ baseUrl: `http://127.0.0.1:${downPort}/v1` }))
    expect((await ask(shop)).text).toBe(CATALOGUE_ANSWER)
    const [row] = await costRows(shop.merchantId)
    expect(row).toMatchObject({ outcome: 'fallback', reason: 'unreachable' })
  })

  it('never calls an endpoint the egress policy refuses (a loopback port not allow-listed)', async () => {
    const shop = await store(settings({ baseUrl: 'http://127.0.0.1:5432/v1' }))
    expect((await ask(shop)).text).toBe(CATALOGUE_ANSWER)
    const [row] = await costRows(shop.merchantId)
    expect(row).toMatchObject({ outcome: 'fallback', reason: 'refused' })
  })

  it('does not call the endpoint when AI answers are off, or when the catalogue found nothing', async () => {
    const before = fake.requests.length
    const off = await store(settings({ enabled: false }))
    expect((await ask(off)).text).toBe(CATALOGUE_ANSWER)
    const never = await store(null)
    expect((await ask(never)).text).toBe(CATALOGUE_ANSWER)
    const on = await store(settings())
    expect((await ask(on, 'Do you sell garden furniture?')).text).toBe('Let me find someone who knows.')
    expect(fake.requests.length).toBe(before)
    expect(await costRows(on.merchantId)).toEqual([])
  })

  it('sums the month’s attempts, tokens and cost', async () => {
    const shop = await store(settings())
    fake.behave({
      kind: 'json',
      text: 'Yes, in Navy.',
      usage: { prompt_tokens: 1000, completion_tokens: 100 },
    })
    await ask(shop)
    fake.behave({ kind: 'status', status: 429 })
    await ask(shop)
    const usage = await llmAnswerUsage(db, shop.merchantId, new Date(0), new Date(t.clock.now() + 1), 'USD')
    expect(usage).toMatchObject({
      attempts: 2,
      answered: 1,
      fallbacks: 1,
      inputTokens: 1000,
      outputTokens: 100,
      cost: 0.65,
      currency: 'EUR',
    })
    // The conversations report carries the same numbers for its period.
    const report = await conversationReport(db, shop.merchantId, {
      from: '2026-01-01',
      to: '2026-01-31',
      timezone: 'UTC',
      start: new Date(0),
      end: new Date(t.clock.now() + 1),
    })
    expect(report.aiAnswers).toEqual({
      attempts: 2,
      answered: 1,
      fallbacks: 1,
      intentChecks: 0,
      cost: 0.65,
      currency: 'EUR',
    })
  })
})
