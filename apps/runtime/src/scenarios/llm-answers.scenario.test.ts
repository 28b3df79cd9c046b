// The shopper's product question with AI answers, through the HTTP API (issue 14, acceptance 2): the owner
// switches AI answers on in Settings, a web-chat shopper asks, and the AI's words arrive; with the endpoint
// hanging the shopper gets the catalogue answer instead, and Settings shows what the month's AI answers cost.
import type { AiAnswersResponse } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAi, startFakeOpenAi } from '../llm/testing/fake-openai-server.ts'
import { createScenarioWorld, type ScenarioWorld } from '../testing/shopper-scenario.ts'

describe.each(testDatabases())('AI product answers through the HTTP API on %s', (kind) => {
  let world: ScenarioWorld
  let fake: FakeOpenAi

  beforeAll(async () => {
    fake = await startFakeOpenAi()
    // The fake endpoint is on loopback: the operator's egress allow-list lets it through, nothing else.
    world = await createScenarioWorld(kind, { env: { EGRESS_ALLOW_LIST: `127.0.0.1:${fake.port}` } })
  })
  afterAll(async () => {
    await world?.close()
    await fake?.close()
  })

  it('answers with the AI, falls back to the catalogue when it hangs, and reports the cost', {
    timeout: 180_000,
  }, async () => {
    const store = await world.store({ starterFlows: ['product-questions'], name: 'North Thread' })
    // The catalogue (its import is covered by the catalogue suites).
    await world.t.deps.db
      .insertInto('products')
      .values([
        {
          merchant_id: store.merchantId,
          title: 'Classic Hoodie',
          description: 'Brushed cotton, relaxed fit.',
          price: '59.00',
          currency: 'USD',
          attributes: { colours: ['Navy', 'Sand'] },
        },
        { merchant_id: store.merchantId, title: 'Canvas Tote', price: '18.00', currency: 'USD' },
      ])
      .execute()

    const saved = await world.app.request('/api/settings/ai-answers', {
      method: 'PUT',
      headers: store.owner.write,
      body: JSON.stringify({
        enabled: true,
        baseUrl: fake.baseUrl,
        model: 'tiny-model',
        apiKey: 'sk-scenario-key-5678',
        inputPricePer1k: 1,
        outputPricePer1k: 2,
        currency: 'USD',
        stream: true,
      }),
    })
    expect(saved.status).toBe(200)

    const shopper = await store.visitor()
    fake.behave({
      kind: 'stream',
      text: 'Yes, the Classic Hoodie comes in Navy.',
      usage: { prompt_tokens: 500, completion_tokens: 20 },
    })
    await shopper.say('Does the Classic Hoodie come in navy?')
    expect(shopper.texts()).toEqual(['Yes, the Classic Hoodie comes in Navy.'])
    const prompt = JSON.stringify(fake.requests.at(-1)!.body.messages)
    expect(prompt).toContain('Classic Hoodie')
    expect(prompt).not.toContain('Canvas Tote')

    fake.behave({ kind: 'hang' })
    const started = performance.now()
    await shopper.say('Is the Classic Hoodie in stock?')
    const elapsed = performance.now() - started
    expect(shopper.texts().at(-1)).toBe('Yes, the Classic Hoodie is in stock (59.00 USD).')
    // The 2 s deadline ended the wait; the bound is loose because the machine may be loaded.
    expect(elapsed).toBeGreaterThanOrEqual(1_900)
    expect(elapsed).toBeLessThan(30_000)

    const usage = (await (
      await world.app.request('/api/settings/ai-answers', { headers: store.owner.read })
    ).json()) as AiAnswersResponse
    expect(usage.settings.apiKey).toEqual({ set: true, last4: '5678' })
    // 500 / 1000 × 1 + 20 / 1000 × 2
    expect(usage.usage).toMatchObject({ attempts: 2, answered: 1, fallbacks: 1, cost: 0.54, currency: 'USD' })
  })
})
