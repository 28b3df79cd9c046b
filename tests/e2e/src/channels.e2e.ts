// Acceptance 3 of issue 10 (the channels half), in headless Chromium against a runtime of its own whose
// Telegram Bot API is a fake on loopback: the owner opens Channels, disconnects the demo web chat (nothing is
// connected: the empty state), connects Telegram (a malformed token is refused in words, then the real one:
// getMe and setWebhook reach the fake), connects web chat with a greeting and brand colour, copies the snippet,
// and a shopper's message through that snippet on a store page reaches a published flow, which answers.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type FakeTelegram, startFakeTelegram } from '@parley/runtime/testing/fake-telegram'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EditorSession, openEditorSession } from './editor-session.ts'
import {
  DEMO_OWNER_EMAIL,
  DEMO_PASSWORD,
  ensureWidgetBuilt,
  type RunningRuntime,
  startRuntime,
} from './runtime-process.ts'

const BOT_TOKEN = '7012345678:AAE2eFakeBotTokenForTheChannelsTest'

let telegram: FakeTelegram
let runtime: RunningRuntime
let session: EditorSession
let page: Page
let baseUrl = ''

beforeAll(async () => {
  ensureWidgetBuilt()
  telegram = await startFakeTelegram({ botToken: BOT_TOKEN, username: 'linen_co_bot' })
  runtime = await startRuntime({
    // The fake listens on loopback, which the egress policy refuses unless the operator allows it.
    env: { TELEGRAM_API_URL: telegram.url, EGRESS_ALLOW_LIST: '127.0.0.1:*' },
  })
  baseUrl = runtime.baseUrl
  session = await openEditorSession(baseUrl)
  page = session.page
  await session.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl })
  // A runtime of its own (its Telegram is the fake): seeding and starting it is slow on a loaded machine.
}, 360_000)

afterAll(async () => {
  await session?.close()
  await runtime?.stop()
  await telegram?.close()
})

const card = (title: string) => page.getByRole('region', { name: new RegExp(`^${title}`) })

describe('the owner connects channels from the Channels screen', () => {
  it('opens Channels and sees the demo web chat connected', async () => {
    await page.goto(`${baseUrl}/#/flows`)
    await page.getByLabel('Email').fill(DEMO_OWNER_EMAIL)
    await page.getByLabel('Password').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Flows' }).waitFor()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Channels' }).click()
    await page.getByRole('heading', { name: 'Channels', level: 1 }).waitFor()
    await card('Web chat').getByText('Connected', { exact: true }).waitFor()
    await expect(card('Telegram').getByText('Not connected').count()).resolves.toBe(1)
    await session.shot('channels-01-demo')
  })

  it('disconnects the demo web chat after confirming, leaving nothing connected', async () => {
    await card('Web chat').getByRole('button', { name: 'Disconnect' }).click()
    const confirm = page.getByRole('alertdialog', { name: 'Disconnect Web chat?' })
    // Focus moved to the safe answer.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Keep it')
    await confirm.getByRole('button', { name: 'Disconnect' }).click()
    await card('Web chat').getByText('Disconnected', { exact: true }).waitFor()
    await page.getByText('Nothing is connected yet.').waitFor()
    await session.shot('channels-02-empty')
  })

  it('connects Telegram: a malformed token is explained, the real one reaches Telegram', async () => {
    await card('Telegram').getByRole('button', { name: 'Connect Telegram' }).click()
    const form = page.getByRole('form', { name: 'Telegram settings' })
    await form.getByLabel('Bot token').fill('not-a-token')
    await form.getByRole('button', { name: 'Connect Telegram' }).click()
    await form.getByText('A bot token looks like 123456789:AAE... (from @BotFather)').waitFor()
    await expect(form.getByLabel('Bot token').getAttribute('aria-invalid')).resolves.toBe('true')
    await session.shot('channels-03-telegram-invalid')
    await form.getByLabel('Bot token').fill(BOT_TOKEN)
    await form.getByRole('button', { name: 'Connect Telegram' }).click()
    await card('Telegram').getByText('Connected', { exact: true }).waitFor()
    await card('Telegram').getByText('@linen_co_bot').first().waitFor()
    // Telegram was told where to post, with a secret token and only the updates Parley handles.
    expect(telegram.webhook).toMatchObject({
      url: expect.stringMatching(new RegExp(`^${baseUrl}/webhooks/telegram/[0-9a-f-]{36}$`)),
      allowedUpdates: ['message', 'callback_query', 'my_chat_member'],
    })
    expect(telegram.requests.map((r) => r.path.split('/').at(-1))).toEqual(['getMe', 'setWebhook'])
    // The token is write-only: the page shows its last four characters, never the token.
    expect(await page.content()).not.toContain(BOT_TOKEN)
  })

  let snippet = ''

  it('connects web chat with a greeting and brand colour, previews it, and copies the snippet', async () => {
    await card('Web chat').getByRole('button', { name: 'Connect Web chat' }).click()
    const form = page.getByRole('form', { name: 'Web chat settings' })
    await form.getByLabel('Greeting').fill('Hello from Linen & Co! How can we help?')
    await form.getByLabel('Brand colour').fill('#aa3300')
    const preview = page.getByRole('figure', { name: 'Preview of the chat on your store' })
    await preview.getByText('Hello from Linen & Co! How can we help?').waitFor()
    await form.getByLabel('Brand colour').fill('red')
    await form.getByRole('button', { name: 'Connect Web chat' }).click()
    await form.getByText('The brand colour is written like #2f4858').waitFor()
    await form.getByLabel('Brand colour').fill('#aa3300')
    await form.getByRole('button', { name: 'Connect Web chat' }).click()
    await card('Web chat').getByText('Connected', { exact: true }).waitFor()
    await session.shot('channels-04-webchat-connected')

    await card('Web chat').getByRole('button', { name: 'Copy embed snippet' }).first().click()
    await card('Web chat')
      .getByRole('button', { name: 'Copy embed snippet' })
      .first()
      .getByText('Copied')
      .waitFor()
    snippet = await page.evaluate(() => navigator.clipboard.readText())
    expect(snippet).toMatch(
      new RegExp(`^<script src="${baseUrl}/widget.js" data-channel="[0-9a-f-]{36}" async></script>$`),
    )
    // A new channel: not the demo's (disconnected) one.
    const channels = (await (await session.context.request.get(`${baseUrl}/api/channels`)).json()) as {
      channels: { id: string; kind: string; state: string }[]
    }
    const webchats = channels.channels.filter((c) => c.kind === 'webchat')
    expect(webchats.map((c) => c.state).sort()).toEqual(['connected', 'disconnected'])
    expect(snippet).toContain(webchats.find((c) => c.state === 'connected')!.id)
  })

  it("carries a shopper's message through the pasted snippet to a published flow, which answers", async () => {
    // The merchant's store: another origin (its own port), with the snippet pasted into its page. Served on
    // loopback because Chromium refuses a public page's requests to a loopback runtime (private network access).
    const shop = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(
        `<!doctype html><html><head><title>Linen & Co</title></head><body><h1>Linen & Co</h1>${snippet}</body></html>`,
      )
    })
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve))
    const store = await session.context.newPage()
    store.on('pageerror', (error) => session.pageErrors.push(`store: ${error.message}`))
    await store.goto(`http://127.0.0.1:${(shop.address() as AddressInfo).port}/`)
    await store.getByRole('button', { name: 'Open chat' }).click()
    // The widget wears what the owner chose: the greeting and the brand colour.
    await store.getByText('Hello from Linen & Co! How can we help?').waitFor()
    await expect
      .poll(() => store.locator('.header').evaluate((el) => getComputedStyle(el).backgroundColor))
      .toBe('rgb(170, 51, 0)')
    await store.getByRole('textbox', { name: 'Type a message' }).fill('Where is my order?')
    await store.getByRole('button', { name: 'Send', exact: true }).click()
    // The demo's published "Where is my order?" flow asks for the order number.
    await store
      .getByText("Happy to check! What's your order number?", { exact: false })
      .waitFor({ timeout: 30_000 })
    await store.screenshot({
      path: new URL('../screenshots/channels-05-store-chat.png', import.meta.url).pathname,
    })
    await store.close()
    shop.closeAllConnections()
    await new Promise<void>((resolve) => shop.close(() => resolve()))

    // The Channels screen shows the traffic.
    await page.reload()
    await card('Web chat')
      .getByText(/Last message in: (just now|\d+ min ago)/)
      .waitFor()
    await session.shot('channels-06-after-message')
    expect(session.pageErrors).toEqual([])
  })
})
