// Issue 14 (optional AI answers), in headless Chromium against a runtime of its own whose egress allow-list lets
// it reach a fake OpenAI-compatible endpoint on loopback: the owner opens Settings → AI answers (off by default),
// tests the connection before saving (the fake receives one small call with the typed key), switches AI answers
// on and saves (the key is then shown only as "ending in …"), and a refused key is reported in plain words.
import { type FakeOpenAi, startFakeOpenAi } from '@parley/runtime/testing/fake-openai'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EditorSession, openEditorSession } from './editor-session.ts'
import { DEMO_OWNER_EMAIL, DEMO_PASSWORD, type RunningRuntime, startRuntime } from './runtime-process.ts'

const KEY = 'sk-e2e-test-key-4f9Z'

let fake: FakeOpenAi
let runtime: RunningRuntime
let session: EditorSession
let page: Page
let baseUrl = ''

beforeAll(async () => {
  fake = await startFakeOpenAi()
  runtime = await startRuntime({
    // The fake listens on loopback, which the egress policy refuses unless the operator allows it.
    env: { EGRESS_ALLOW_LIST: `127.0.0.1:${fake.port}` },
  })
  baseUrl = runtime.baseUrl
  session = await openEditorSession(baseUrl)
  page = session.page
  // A runtime of its own: seeding and starting it is slow on a loaded machine.
}, 360_000)

afterAll(async () => {
  await session?.close()
  await runtime?.stop()
  await fake?.close()
})

describe('the owner sets up AI answers in Settings', () => {
  it('opens the AI answers tab: off, no key, nothing spent', async () => {
    await page.goto(`${baseUrl}/#/flows`)
    await page.getByLabel('Email').fill(DEMO_OWNER_EMAIL)
    await page.getByLabel('Password').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Flows' }).waitFor()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click()
    await page.getByRole('tab', { name: 'AI answers' }).click()
    await page.getByRole('checkbox', { name: 'Answer product questions with AI' }).waitFor()
    expect(await page.getByRole('checkbox', { name: 'Answer product questions with AI' }).isChecked()).toBe(
      false,
    )
    await page.getByText('No AI answers this month yet.').waitFor()
    // The test needs an address and a model first.
    expect(await page.getByRole('button', { name: 'Test connection' }).isDisabled()).toBe(true)
  })

  it('tests the connection with the typed key before saving, and says what happened', async () => {
    await page.getByLabel('Endpoint address').fill(fake.baseUrl)
    await page.getByLabel('Model').fill('tiny-model')
    await page.getByLabel('API key').fill(KEY)
    fake.behave({ kind: 'stream', text: 'ready' })
    const before = fake.requests.length
    await page.getByRole('button', { name: 'Test connection' }).click()
    await page.getByText(/Connected\. The model answered in \d+\.\d s: “ready”\./).waitFor()
    expect(fake.requests.length).toBe(before + 1)
    expect(fake.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(fake.requests.at(-1)!.body.model).toBe('tiny-model')
    await session.shot('settings-ai-answers-01-tested')
  })

  it('switches AI answers on and saves; the key is never shown again', async () => {
    await page.getByRole('checkbox', { name: 'Answer product questions with AI' }).check()
    await page.getByLabel('Price per 1,000 input tokens').fill('0.15')
    await page.getByLabel('Price per 1,000 output tokens').fill('0.6')
    await page.getByRole('button', { name: 'Save AI answers' }).click()
    await page.getByText('AI answers settings saved').waitFor()
    await page.getByText('A key is saved, ending in 4f9Z.').waitFor()
    expect(await page.getByLabel('API key').inputValue()).toBe('')

    const saved = await session.context.request.get(`${baseUrl}/api/settings/ai-answers`)
    const text = await saved.text()
    expect(text).not.toContain(KEY)
    expect(JSON.parse(text)).toMatchObject({
      settings: {
        enabled: true,
        model: 'tiny-model',
        apiKey: { set: true, last4: '4f9Z' },
        outputPricePer1k: 0.6,
      },
    })
    await session.shot('settings-ai-answers-02-saved')
  })

  it('reports a refused key in plain words, using the saved key', async () => {
    fake.behave({
      kind: 'status',
      status: 401,
      body: JSON.stringify({ error: { message: 'Incorrect API key provided' } }),
    })
    await page.getByRole('button', { name: 'Test connection' }).click()
    await page
      .getByText('Not working. The endpoint refused the key (401): Incorrect API key provided.')
      .waitFor()
    expect(fake.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`)
    await session.shot('settings-ai-answers-03-refused')
  })
})
