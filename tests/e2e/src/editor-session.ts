// One browser page on the runtime for a suite: headless Chromium at 1440×900, the internet answered 404 (the
// sample data's pictures live there; the test does not), page errors and CSP violations collected, and the
// helpers every editor suite uses (screenshots, the flow as the runtime stores it).
import { mkdirSync } from 'node:fs'
import type { FlowDetail } from '@parley/api'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { expect } from 'vitest'
import { launchChromium } from './browser.ts'

const SCREENSHOTS = new URL('../screenshots/', import.meta.url).pathname

export interface EditorSession {
  browser: Browser
  context: BrowserContext
  page: Page
  /** Uncaught errors in the page. */
  pageErrors: string[]
  /** What the runtime's Content-Security-Policy blocked (Chromium logs each violation to the console). */
  cspViolations: string[]
  /** Saves a screenshot as tests/e2e/screenshots/<name>.png. */
  shot(name: string): Promise<void>
  /** The flow as the runtime stores it (the session cookie is shared with the page). */
  savedFlow(flowId: string): Promise<FlowDetail>
  close(): Promise<void>
}

/**
 * E2E_CPU_THROTTLE=<rate> runs the page's main thread that many times slower (Chromium's own CPU throttling, as
 * DevTools offers it), to try the specs as a slow, loaded machine runs them: a spec that passes only on a fast
 * machine waits on a time instead of a state.
 */
async function slowDownIfAsked(context: BrowserContext, page: Page): Promise<void> {
  const rate = Number(process.env.E2E_CPU_THROTTLE ?? '')
  if (!Number.isFinite(rate) || rate <= 1) return
  const cdp = await context.newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate })
}

export async function openEditorSession(baseUrl: string): Promise<EditorSession> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const browser = await launchChromium()
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  const page = await context.newPage()
  page.setDefaultTimeout(20_000)
  await slowDownIfAsked(context, page)
  const pageErrors: string[] = []
  const cspViolations: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text())
  })
  await page.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.fulfill({ status: 404 }))
  return {
    browser,
    context,
    page,
    pageErrors,
    cspViolations,
    async shot(name) {
      await page.screenshot({ path: `${SCREENSHOTS}${name}.png` })
    },
    async savedFlow(flowId) {
      const response = await context.request.get(`${baseUrl}/api/flows/${flowId}`)
      expect(response.status()).toBe(200)
      return (await response.json()) as FlowDetail
    },
    close: () => browser.close(),
  }
}
