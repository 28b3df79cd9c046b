// Issue 14, returns, in two browsers against the real runtime: a shopper in the demo store places an order, then
// asks the web chat for a return, taps a reason and sends a photo of the item; the returns team (the owner, in
// the Inbox) opens the conversation and sees the case: the order and its items, the return window, and the
// photo as a thumbnail that opens full size. Screenshot of the inbox at 1440×900.
// Its own visitor (a fresh browser context) and order, so no other suite's shopper or conversation is involved.
import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchChromium } from './browser.ts'
import { DEMO_OWNER_EMAIL, DEMO_PASSWORD, ensureWidgetBuilt } from './runtime-process.ts'

const baseUrl = inject('baseUrl')
const SCREENSHOTS = new URL('../screenshots/', import.meta.url).pathname
// A 1×1 PNG (the upload checks a photo's real type from its bytes).
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)

describe('a return with a photo, from the shopper’s chat to the returns team’s inbox', () => {
  let browser: Browser
  const contexts: BrowserContext[] = []
  let shopper: Page
  let team: Page
  let orderNumber = ''
  let conversationId = ''
  const pageErrors: string[] = []

  async function open(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    contexts.push(context)
    const page = await context.newPage()
    page.setDefaultTimeout(20_000)
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.fulfill({ status: 404 }))
    return page
  }
  const widget = () => shopper.locator('[data-parley-widget]')
  const widgetLog = () => widget().locator('.log')
  const shopperSays = async (text: string) => {
    const input = widget().locator('.composer input[type="text"]')
    await input.fill(text)
    await input.press('Enter')
    await widgetLog().locator('.from-visitor', { hasText: text }).waitFor()
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    ensureWidgetBuilt()
    browser = await launchChromium()
    shopper = await open()
    team = await open()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('the shopper places an order in the demo store', async () => {
    await shopper.goto(`${baseUrl}/demo`)
    await widget().locator('.launcher').click()
    await shopper.locator('button.add').first().click()
    const placed = shopper.waitForResponse((r) => r.url().endsWith('/demo/api/order'))
    await shopper.locator('#place-order').click()
    const answer = await placed
    // The store's answer says why when it refuses the order.
    expect(answer.status(), await answer.text()).toBe(200)
    orderNumber = ((await answer.json()) as { orderNumber: string }).orderNumber
    expect(orderNumber).toMatch(/^NT-\d{4}$/)
  })

  it('asks for a return: reasons as buttons, then a photo (or Skip)', async () => {
    await shopperSays(`I would like to return order ${orderNumber}`)
    const reason = widgetLog().locator('.quick-reply', { hasText: 'Wrong size' })
    await reason.waitFor({ timeout: 15_000 })
    await reason.click()
    await widgetLog().getByText('Send a photo of the item (or tap Skip).').waitFor({ timeout: 15_000 })
    await widgetLog().locator('.quick-reply', { hasText: 'Skip' }).waitFor()
    await widget()
      .locator('input[type="file"]')
      .setInputFiles({ name: 'jacket.png', mimeType: 'image/png', buffer: PHOTO })
    await widgetLog()
      .getByText(/Our returns team has everything they need/)
      .waitFor({ timeout: 15_000 })
    conversationId = await shopper.evaluate(async () => {
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
    expect(conversationId).not.toBe('')
  })

  it('the returns team sees the case with the order, the window and the photo', async () => {
    await team.goto(baseUrl)
    await team.getByLabel('Email').fill(DEMO_OWNER_EMAIL)
    await team.getByLabel('Password').fill(DEMO_PASSWORD)
    await team.getByRole('button', { name: 'Sign in' }).click()
    await team.getByRole('heading', { name: 'Inbox' }).waitFor()
    await team.goto(`${baseUrl}/#/inbox/${conversationId}`)
    const panel = team.locator('.inbox-context')
    await panel.getByRole('heading', { name: 'Return request' }).waitFor()
    await panel.getByText(`Order ${orderNumber}`).waitFor()
    // The orders list says where the order is in words, never the store's status code.
    await panel
      .locator('.inbox-context-list li', { hasText: / · \w+ and being prepared · / })
      .first()
      .waitFor()
    await panel.locator('.pill.ok', { hasText: /^Inside the return window/ }).waitFor()
    await panel.locator('.inbox-context-summary', { hasText: 'Reason: Wrong size' }).waitFor()
    // What the assistant said is shown as the team reads it: variables by name, never template syntax.
    await panel.getByText(/within ‹Days to return an order› days/).waitFor()
    expect(await panel.textContent()).not.toContain('{{')
    const thumbnail = panel.locator('.inbox-case-photos img')
    await expect.poll(() => thumbnail.count()).toBe(1)
    // The thumbnail really loaded (the inbox media route served the shopper's photo).
    await expect
      .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true)
    // It opens full size: a link to the same photo.
    const href = await panel.locator('.inbox-case-photos a').getAttribute('href')
    expect(href).toContain(`/api/conversations/${conversationId}/messages/`)
    const full = await team.request.get(new URL(href!, baseUrl).toString())
    expect(full.status()).toBe(200)
    expect(full.headers()['content-type']).toBe('image/png')
    await team.screenshot({ path: `${SCREENSHOTS}returns-case-inbox.png` })
    expect(pageErrors).toEqual([])
  })
})
