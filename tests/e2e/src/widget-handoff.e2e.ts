// Issue 12, the shopper's side of a handoff, in the demo store's widget on a phone (390×844) and on a desktop
// (1440×900): the open chat is a full-screen sheet on the phone with a 16 px input; a person taking over (through
// the staff API, as the inbox does) shows "… joined the chat"; their typing shows; their reply carries their
// name; handing back shows "You're back with the assistant". Its own visitor (a fresh browser context), so other
// suites' shoppers are untouched. Screenshots of both sizes are committed under tests/e2e/screenshots/.
import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchChromium } from './browser.ts'
import { DEMO_PASSWORD } from './runtime-process.ts'

const baseUrl = inject('baseUrl')
const SCREENSHOTS = new URL('../screenshots/', import.meta.url).pathname
const DEMO_AGENT_EMAIL = 'agent@demo.parley.dev'

/** The staff API as the inbox calls it: a session cookie and the CSRF token on mutations. */
async function signInAgent() {
  const res = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_AGENT_EMAIL, password: DEMO_PASSWORD }),
  })
  expect(res.status).toBe(200)
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!
  const { csrfToken } = (await res.json()) as { csrfToken: string }
  return async (path: string, body?: unknown, method = 'POST') => {
    const r = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: r.status, body: (await r.json()) as Record<string, unknown> }
  }
}

describe('the widget during a handoff, on a phone and on a desktop', () => {
  let browser: Browser
  let phone: BrowserContext
  let page: Page
  let staff: Awaited<ReturnType<typeof signInAgent>>
  let conversationId = ''
  const pageErrors: string[] = []

  const widget = () => page.locator('[data-parley-widget]')
  const panel = () => widget().locator('.panel')
  const log = () => widget().locator('.log')
  const line = (text: string | RegExp): Locator => log().locator('.notice-text', { hasText: text })
  /** The agent types; a signal inside the runtime's throttle is dropped, so this retries until one goes out. */
  const agentTypes = () =>
    expect
      .poll(async () => (await staff(`/api/conversations/${conversationId}/typing`)).body.published, {
        timeout: 15_000,
        interval: 500,
      })
      .toBe(true)

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    browser = await launchChromium()
    phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true })
    page = await phone.newPage()
    page.setDefaultTimeout(20_000)
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.fulfill({ status: 404 }))
    staff = await signInAgent()
    // The agent chooses the name shoppers see (their account name is "Agent"); put back after the suite.
    expect((await staff('/api/profile', { displayName: 'Sam', avatarUrl: null }, 'PUT')).status).toBe(200)
  })
  afterAll(async () => {
    await staff?.('/api/profile', { displayName: null, avatarUrl: null }, 'PUT')
    await browser?.close()
  })

  it('opens as a full-screen sheet on a phone, with a 16 px input', async () => {
    await page.goto(`${baseUrl}/demo`)
    await widget().locator('.launcher').click()
    await panel().waitFor()
    // The sheet slides in: wait for it to settle, to the pixel.
    await expect
      .poll(async () => {
        const box = await panel().boundingBox()
        return (
          box && {
            x: Math.round(box.x),
            y: Math.round(box.y),
            w: Math.round(box.width),
            h: Math.round(box.height),
          }
        )
      })
      .toEqual({ x: 0, y: 0, w: 390, h: 844 })
    const input = widget().locator('.composer input[type="text"]')
    expect(await input.evaluate((el) => getComputedStyle(el).fontSize)).toBe('16px')
  })

  it('shows who joined when a person takes over, their typing, their named reply, and the hand-back', async () => {
    const input = widget().locator('.composer input[type="text"]')
    await input.fill('Widget e2e: can I send a photo of the damaged shirt?')
    await input.press('Enter')
    await log().locator('.from-visitor', { hasText: 'damaged shirt' }).waitFor()
    // The assistant hands the question to the team (after the store's quick-messages window): its own note, then
    // the queue's word of when a person will reply. Taken over before that, the assistant would say nothing.
    const handOver = log().locator('.from-store:not(.from-staff)', { hasText: "I've asked the team" })
    await handOver.waitFor({ timeout: 20_000 })
    const assistant = await log().locator('.from-store:not(.from-staff) .message-text').allTextContents()
    expect(assistant.slice(-2)).toEqual([
      'Good question! That one is for our team.',
      expect.stringMatching(/^I've asked the team — a person will reply here/),
    ])

    // The visitor's conversation, read the way the widget reads it (its token from the page).
    conversationId = await page.evaluate(async () => {
      const api = (window as unknown as { ParleyWidget: { session(): Promise<{ token: string }> } })
        .ParleyWidget
      const session = await api.session()
      const channel = document.querySelector<HTMLScriptElement>('script[data-channel]')!.dataset.channel
      const res = await fetch(`/api/webchat/${channel}/messages`, {
        headers: { authorization: `Bearer ${session.token}` },
      })
      const { messages } = (await res.json()) as { messages: { conversationId: string }[] }
      return messages[0]!.conversationId
    })

    expect((await staff(`/api/conversations/${conversationId}/take-over`)).status).toBe(200)
    await line(/^Sam from .+ joined the chat$/).waitFor()

    // The agent types: the widget says so.
    await agentTypes()
    await widget().locator('.typing', { hasText: 'Sam is typing…' }).waitFor()

    expect(
      (
        await staff(`/api/conversations/${conversationId}/messages`, {
          text: 'Of course — tap the camera button.',
        })
      ).status,
    ).toBe(201)
    const reply = log().locator('.from-staff', { hasText: 'tap the camera button' })
    await reply.waitFor()
    expect(await reply.locator('.author-name').textContent()).toBe('Sam')
    // Their message arrived: the indicator goes.
    await expect.poll(() => widget().locator('.typing').isHidden()).toBe(true)
    // Today's separator heads the transcript.
    expect(await log().locator('.day').first().textContent()).toBe('Today')
    // Typing again for the screenshot of the handoff in progress.
    await agentTypes()
    await widget().locator('.typing').waitFor()
    await page.screenshot({ path: `${SCREENSHOTS}widget-handoff-390x844.png` })
  })

  it('shows the same handoff on a desktop as a floating panel', async () => {
    // The same visitor: the widget keeps its session in localStorage, so copy it over.
    const wide = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      storageState: await phone.storageState(),
    })
    try {
      const desk = await wide.newPage()
      await desk.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.fulfill({ status: 404 }))
      await desk.goto(`${baseUrl}/demo`)
      const w = desk.locator('[data-parley-widget]')
      await w.locator('.launcher').click()
      await w.locator('.log .from-staff', { hasText: 'tap the camera button' }).waitFor()
      const box = (await w.locator('.panel').boundingBox())!
      expect(box.width).toBeLessThan(400)
      expect(box.height).toBeLessThan(900)
      await agentTypes()
      await w.locator('.typing').waitFor()
      await desk.screenshot({ path: `${SCREENSHOTS}widget-handoff-1440x900.png` })
    } finally {
      await wide.close()
    }
  })

  it('says the shopper is back with the assistant after the hand-back', async () => {
    expect((await staff(`/api/conversations/${conversationId}/hand-back`)).status).toBe(200)
    await line("You're back with the assistant").waitFor()
    // Each line once: the socket and the reconnect re-reads merge by id.
    expect(await line(/joined the chat/).count()).toBe(1)
    expect(pageErrors).toEqual([])
  })
})
