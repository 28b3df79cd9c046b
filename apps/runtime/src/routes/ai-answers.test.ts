// The AI answers settings API: off by default, a round trip, the key write-only and sealed at rest, switching on
// without a key refused, owner only, and the connection test against a fake endpoint (and a refused address).
import type { AiAnswersResponse, AiAnswersTestResult } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { loadConfig } from '../config.ts'
import { DEFAULT_AI_ANSWERS } from '../llm/llm-settings.ts'
import { type FakeOpenAi, startFakeOpenAi } from '../llm/testing/fake-openai-server.ts'
import { isSealed } from '../security/keyring.ts'
import { signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../testing/test-deps.ts'

const KEY = 'sk-live-abcdefghijkl7Q2x'

describe.each(testDatabases())('AI answers settings API on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  let fake: FakeOpenAi

  beforeAll(async () => {
    fake = await startFakeOpenAi()
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      EGRESS_ALLOW_LIST: `127.0.0.1:${fake.port}`,
    })
    t = await createTestDeps(kind, { config })
    app = createApp(t.deps)
  }, 120_000)
  afterAll(async () => {
    await t.close()
    await fake.close()
  })

  const form = () => ({
    enabled: true,
    baseUrl: fake.baseUrl,
    model: 'tiny-model',
    apiKey: KEY,
    inputPricePer1k: 0.15,
    outputPricePer1k: 0.6,
    currency: 'GBP',
    stream: true,
  })

  async function owner() {
    const m = await seedMerchant(t.deps.db)
    return { m, session: await signIn(app, m) }
  }

  it('is off by default, saves, and never shows the key (sealed at rest, last 4 shown)', async () => {
    const { m, session } = await owner()
    const fresh = (await (
      await app.request('/api/settings/ai-answers', { headers: session.read })
    ).json()) as AiAnswersResponse
    expect(fresh.settings).toEqual(DEFAULT_AI_ANSWERS)
    expect(fresh.usage).toMatchObject({ attempts: 0, cost: 0, currency: 'USD' })

    const res = await app.request('/api/settings/ai-answers', {
      method: 'PUT',
      headers: session.write,
      body: JSON.stringify(form()),
    })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).not.toContain(KEY)
    const saved = JSON.parse(text) as AiAnswersResponse
    expect(saved.settings).toEqual({ ...form(), apiKey: { set: true, last4: '7Q2x' } })

    const row = await t.deps.db
      .selectFrom('llm_settings')
      .selectAll()
      .where('merchant_id', '=', m.merchantId)
      .executeTakeFirstOrThrow()
    expect(isSealed(row.api_key)).toBe(true)
    expect(row.api_key).not.toContain(KEY)

    // Saved again without a key: the stored one is kept.
    const { apiKey: _omitted, ...withoutKey } = form()
    const again = await app.request('/api/settings/ai-answers', {
      method: 'PUT',
      headers: session.write,
      body: JSON.stringify({ ...withoutKey, model: 'bigger-model' }),
    })
    expect(((await again.json()) as AiAnswersResponse).settings).toMatchObject({
      model: 'bigger-model',
      apiKey: { set: true, last4: '7Q2x' },
    })
  })

  it('refuses to switch on without a key, and removing the key while on, writing nothing', async () => {
    const { m, session } = await owner()
    const { apiKey: _omitted, ...withoutKey } = form()
    const res = await app.request('/api/settings/ai-answers', {
      method: 'PUT',
      headers: session.write,
      body: JSON.stringify(withoutKey),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', details: [{ path: 'apiKey', message: 'Enter the API key' }] },
    })
    const rows = await t.deps.db
      .selectFrom('llm_settings')
      .selectAll()
      .where('merchant_id', '=', m.merchantId)
      .execute()
    expect(rows).toEqual([])

    await app.request('/api/settings/ai-answers', {
      method: 'PUT',
      headers: session.write,
      body: JSON.stringify(form()),
    })
    const removed = await app.request('/api/settings/ai-answers', {
      method: 'PUT',
      headers: session.write,
      body: JSON.stringify({ ...withoutKey, removeApiKey: true }),
    })
    expect(removed.status).toBe(400)
    // Off, the key can go.
    const off = await app.request('/api/settings/ai-answers', {
      method: 'PUT',
      headers: session.write,
      body: JSON.stringify({ ...withoutKey, enabled: false, removeApiKey: true }),
    })
    expect(((await off.json()) as AiAnswersResponse).settings).toMatchObject({
      enabled: false,
      apiKey: { set: false, last4: '' },
    })
  })

  it('is for owners only', async () => {
    const { m } = await owner()
    const editor = await seedUser(t.deps.db, m.merchantId, { role: 'editor' })
    const session = await signIn(app, editor)
    expect((await app.request('/api/settings/ai-answers', { headers: session.read })).status).toBe(403)
  })

  it('tests the connection with the saved key and says what happened', async () => {
    const { session } = await owner()
    await app.request('/api/settings/ai-answers', {
      method: 'PUT',
      headers: session.write,
      body: JSON.stringify(form()),
    })
    fake.behave({ kind: 'stream', text: 'ready' })
    const before = fake.requests.length
    const res = await app.request('/api/settings/ai-answers/test', {
      method: 'POST',
      headers: session.write,
      body: JSON.stringify({ baseUrl: fake.baseUrl, model: 'tiny-model', stream: true }),
    })
    expect(res.status).toBe(200)
    const result = (await res.json()) as AiAnswersTestResult
    expect(result.ok).toBe(true)
    expect(result.message).toMatch(/^The model answered in \d+\.\d s: “ready”\./)
    expect(fake.requests.length).toBe(before + 1)
    expect(fake.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`)

    fake.behave({
      kind: 'status',
      status: 401,
      body: JSON.stringify({ error: { message: 'Incorrect API key provided' } }),
    })
    const refused = (await (
      await app.request('/api/settings/ai-answers/test', {
        method: 'POST',
        headers: session.write,
        body: JSON.stringify({
          baseUrl: fake.baseUrl,
          model: 'tiny-model',
          stream: false,
          apiKey: 'sk-wrong',
        }),
      })
    ).json()) as AiAnswersTestResult
    expect(refused).toMatchObject({
      ok: false,
      message: 'The endpoint refused the key (401): Incorrect API key provided.',
    })
    expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer sk-wrong')
  })

  it('will not call an address the egress policy refuses', async () => {
    const { session } = await owner()
    const before = fake.requests.length
    const result = (await (
      await app.request('/api/settings/ai-answers/test', {
        method: 'POST',
        headers: session.write,
        body: JSON.stringify({
          baseUrl: 'http://169.254.169.254/v1',
          model: 'm',
          stream: false,
          apiKey: KEY,
        }),
      })
    ).json()) as AiAnswersTestResult
    expect(result.ok).toBe(false)
    expect(result.message).toMatch(/^Parley will not call this address\. .*metadata/)
    expect(fake.requests.length).toBe(before)
  })

  it('asks for a key when none is saved or given', async () => {
    const { session } = await owner()
    const res = await app.request('/api/settings/ai-answers/test', {
      method: 'POST',
      headers: session.write,
      body: JSON.stringify({ baseUrl: fake.baseUrl, model: 'tiny-model', stream: false }),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } })
  })
})
