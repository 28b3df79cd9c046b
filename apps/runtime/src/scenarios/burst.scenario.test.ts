// Issue 14, bursts, through the HTTP API: a web-chat visitor says "hi" and then two questions 300 ms apart (on
// the dev clock); the store answers once, to all of it, instead of three separate steps with two of them going
// unanswered to the staff queue. Messages further apart than the window are answered each; typing in the widget
// holds the answer; a store that switched the wait off answers every message at once.
import { readFileSync } from 'node:fs'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenarioWorld, type ScenarioStore, type ScenarioWorld } from '../testing/shopper-scenario.ts'

const catalogue = readFileSync(new URL('../catalogue/fixtures/shopify-products.csv', import.meta.url))
const QUESTIONS = ['is the Linen Shirt available in M?', 'and does it run large?']

describe.each(testDatabases())('burst merge through the HTTP API on %s', (kind) => {
  let world: ScenarioWorld
  beforeAll(async () => {
    world = await createScenarioWorld(kind)
  }, 120_000)
  afterAll(() => world?.close())

  /** A store with the welcome and product-question flows, its catalogue imported, as a new store waits (2.5 s). */
  async function openStore(): Promise<ScenarioStore> {
    const store = await world.store({ starterFlows: ['welcome', 'product-questions'], name: 'North Thread' })
    const imported = await world.app.request(
      '/api/catalogue/imports?fileName=products_export.csv&storeUrl=https://shop.example',
      { method: 'POST', headers: { ...store.owner.write, 'content-type': 'text/csv' }, body: catalogue },
    )
    expect(imported.status, await imported.clone().text()).toBe(202)
    await world.t.deps.catalogueImports?.idle()
    const settings = await store.updateSettings({ burstWindowMs: 2500 })
    expect(settings.burstWindowMs).toBe(2500)
    return store
  }

  const runsOf = (merchantId: string) =>
    world.t.deps.db
      .selectFrom('runs')
      .select(['id', 'snapshot'])
      .where('merchant_id', '=', merchantId)
      .execute()
  const conversationOf = (merchantId: string) =>
    world.t.deps.db
      .selectFrom('conversations')
      .select(['status'])
      .where('merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow()

  it('answers "hi" and two quick questions once, from the catalogue, with nothing sent to staff', async () => {
    const store = await openStore()
    const shopper = await store.visitor()
    expect((await shopper.say('hi')).status).toBe(202)
    await store.advance(300)
    expect((await shopper.say(QUESTIONS[0] as string)).status).toBe(202)
    await store.advance(300)
    expect((await shopper.say(QUESTIONS[1] as string)).status).toBe(202)
    expect(shopper.received()).toEqual([])

    await store.advance(2500)
    const runs = await runsOf(store.merchantId)
    // One step: one run, which saw all three texts as one message.
    expect(runs).toHaveLength(1)
    expect(JSON.stringify(runs[0]?.snapshot)).toContain(JSON.stringify(['hi', ...QUESTIONS].join('\n')))
    // One answer from the catalogue to the size question (its wording is the product-answer code's), not the
    // welcome flow's greeting and not a handoff.
    const answer = shopper.texts().join('\n')
    expect(answer).toMatch(/\bM\b/)
    expect(answer).not.toContain('welcome to North Thread')
    expect(answer).not.toContain('That one is for our team')
    expect(answer).not.toContain("I've asked the team")
    expect((await conversationOf(store.merchantId)).status).toBe('bot')
    // Nothing is left to answer later.
    const before = shopper.received().length
    await store.advance(60_000)
    expect(shopper.received()).toHaveLength(before)
  })

  it('answers messages 5 s apart each', async () => {
    const store = await openStore()
    const shopper = await store.visitor()
    await shopper.say('hi')
    await store.advance(5000)
    expect(shopper.texts()[0]).toContain('welcome to North Thread')
    const greeted = shopper.received().length
    await shopper.say(QUESTIONS[0] as string)
    await store.advance(5000)
    expect(shopper.received().length).toBeGreaterThan(greeted)
    expect(shopper.texts().slice(greeted).join('\n')).toContain('Linen Shirt')
  })

  it('holds the answer while the visitor is typing in the widget', async () => {
    const store = await openStore()
    const shopper = await store.visitor()
    await shopper.say('hi')
    await store.advance(2000)
    expect(await shopper.typing()).toBe(202)
    await store.advance(1000)
    expect(shopper.received()).toEqual([])
    await shopper.say(QUESTIONS[0] as string)
    await store.advance(2500)
    expect((await runsOf(store.merchantId)).length).toBe(1)
    expect(shopper.texts().join('\n')).toContain('Linen Shirt')
  })

  it('answers every message at once when the store set the wait to 0', async () => {
    const store = await openStore()
    await store.updateSettings({ burstWindowMs: 0 })
    const shopper = await store.visitor()
    await shopper.say('hi')
    expect(shopper.texts()[0]).toContain('welcome to North Thread')
  })
})
