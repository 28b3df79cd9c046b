// Issue 15, "across flows", in real Chromium against the real runtime: publishing a flow whose keywords
// overlap the demo's live "Where is my order?" warns first, naming that flow with a way to open it; a live
// flow is paused and resumed from the flows list and the editor; the version history shows who published each
// version, opens one read-only on the canvas with what differs from the draft highlighted and listed in words,
// restores it as the draft and undo brings the draft back. axe-core stays clean on each of those screens.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type EditorSession, openEditorSession } from './editor-session.ts'
import { DEMO_OWNER_EMAIL, DEMO_PASSWORD } from './runtime-process.ts'

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const baseUrl = inject('baseUrl')
const FLOW_NAME = 'Parcel questions (versions e2e)'

let session: EditorSession
let page: Page

beforeAll(async () => {
  session = await openEditorSession(baseUrl)
  page = session.page
})

afterAll(async () => {
  await session?.close()
})

async function seriousAxeViolations(): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(): Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]
          }>
        }
      }
    ).axe
    return (await axe.run()).violations
  })
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
}

/** Version 1 of the flow: a keyword trigger and one answer. */
function parcelFlow(answer: string, extraStep: boolean) {
  const nodes: unknown[] = [
    {
      id: 'asks',
      kind: 'trigger-message',
      name: 'Shopper asks about a parcel',
      position: { x: 0, y: 0 },
      // Words that overlap only the demo's own "Where is my order?" ('order status'): the where-is-my-order spec
      // publishes a flow of its own on 'tracking', and a second overlap would make the warning a list.
      config: { match: 'keyword', keywords: ['parcel order status'] },
    },
    {
      id: 'answer',
      kind: 'send-message',
      name: 'Answer',
      position: { x: 0, y: 200 },
      config: { text: answer },
    },
  ]
  const edges: unknown[] = [{ id: 'e1', source: 'asks', sourceHandle: 'next', target: 'answer' }]
  if (extraStep) {
    nodes.push({
      id: 'handoff',
      kind: 'escalate',
      name: 'Hand to the team',
      position: { x: 0, y: 420 },
      config: {},
    })
    edges.push({ id: 'e2', source: 'answer', sourceHandle: 'next', target: 'handoff' })
  }
  return { version: 2, name: FLOW_NAME, nodes, edges }
}

describe('across flows: overlapping triggers, pause and resume, version history', () => {
  let flowId = ''
  let csrf = ''
  const api = (method: 'post' | 'put' | 'get' | 'delete', path: string, data?: unknown) =>
    session.context.request[method](`${baseUrl}${path}`, {
      headers: { 'x-csrf-token': csrf },
      ...(data === undefined ? {} : { data }),
    })

  it('signs in and drafts a flow starting on words the demo’s live “Where is my order?” also starts on', async () => {
    // Owners land in the Inbox; these steps start from the flows list.
    await page.goto(`${baseUrl}/#/flows`)
    await page.getByLabel('Email').fill(DEMO_OWNER_EMAIL)
    await page.getByLabel('Password').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Flows' }).waitFor()
    csrf = (
      (await (await session.context.request.get(`${baseUrl}/api/auth/session`)).json()) as {
        csrfToken: string
      }
    ).csrfToken
    const created = await api('post', '/api/flows', { name: FLOW_NAME })
    expect(created.status()).toBe(201)
    flowId = ((await created.json()) as { id: string }).id
    const saved = await api('put', `/api/flows/${flowId}`, {
      name: FLOW_NAME,
      document: parcelFlow('Your parcel is on its way.', false),
    })
    expect(saved.status()).toBe(200)
  })

  it('warns at publish, naming the other flow and what the runtime does, with a way to open it', async () => {
    await page.goto(`${baseUrl}/#/flows/${flowId}`)
    await page.getByTestId('node-answer').waitFor()
    await page.getByRole('button', { name: 'Publish' }).click()
    const popover = page.locator('.publish-popover')
    await popover.getByText('Another flow starts the same way').waitFor()
    const warning = await popover.locator('.overlaps li').first().textContent()
    expect(warning).toContain('“Where is my order?” also starts on “parcel order status”')
    expect(warning).toContain('published most recently')
    const open = popover.getByRole('link', { name: 'Open “Where is my order?”' })
    expect(await open.getAttribute('href')).toMatch(/^#\/flows\/[0-9a-f-]{36}$/)
    expect(await seriousAxeViolations()).toEqual([])
    // Nothing is published until the merchant says so.
    expect((await session.savedFlow(flowId)).publishedVersion).toBeNull()
    await page.getByRole('button', { name: 'Publish anyway' }).click()
    await popover.getByText('Published v1').waitFor()
    expect(await popover.locator('.overlaps li').count()).toBe(1)
    await page.getByRole('button', { name: 'Dismiss' }).click()
    expect(await session.savedFlow(flowId)).toMatchObject({ publishedVersion: 1, paused: false })
  })

  it('pauses and resumes a live flow from the editor and from the flows list, in plain words', async () => {
    await page.getByRole('button', { name: 'Pause' }).click()
    await page.getByText('Paused — not starting new conversations').first().waitFor()
    expect((await session.savedFlow(flowId)).paused).toBe(true)
    await page.getByRole('button', { name: 'Resume' }).click()
    await page.locator('.live-version', { hasText: 'Live: v1' }).waitFor()
    expect((await session.savedFlow(flowId)).paused).toBe(false)

    await page.goto(`${baseUrl}/#/flows`)
    const row = page.locator('.flow-row', { hasText: FLOW_NAME })
    await row.getByRole('button', { name: `Pause ${FLOW_NAME}` }).click()
    await row.getByText('Paused — not starting new conversations').waitFor()
    expect(await seriousAxeViolations()).toEqual([])
    expect((await session.savedFlow(flowId)).paused).toBe(true)
    await row.getByRole('button', { name: `Resume ${FLOW_NAME}` }).click()
    await row.getByText('Published v1').waitFor()
    expect((await session.savedFlow(flowId)).paused).toBe(false)
  })

  it('shows a version read-only with what differs from the draft highlighted on the canvas and in words', async () => {
    // Version 2 through the API: a changed answer and one more step.
    await api('put', `/api/flows/${flowId}`, {
      name: FLOW_NAME,
      document: parcelFlow('It ships within two days.', true),
    })
    expect((await api('post', `/api/flows/${flowId}/publish`)).status()).toBe(201)

    await page.goto(`${baseUrl}/#/flows/${flowId}`)
    await page.getByTestId('node-handoff').waitFor()
    await page.getByRole('tab', { name: 'History' }).click()
    const v1 = page.locator('.versions li', { hasText: 'v1' })
    await v1.getByText(/Published .* by /).waitFor()
    await page.getByRole('button', { name: 'Open version 1' }).click()

    const preview = page.getByRole('region', { name: 'Version 1, read-only preview' })
    await preview.waitFor()
    // Restoring v1 would take the hand-off out of the draft (red, ghosted) and change the answer (amber).
    await preview.locator('[data-diff="removed"]', { hasText: 'Hand to the team' }).waitFor()
    await preview.locator('[data-diff="changed"]', { hasText: 'Answer' }).waitFor()
    expect(await preview.locator('[data-diff="added"]').count()).toBe(0)
    const changes = page.locator('.version-changes')
    await changes.getByText('If you restore version 1').waitFor()
    expect(await changes.locator('.diff-removed').allTextContents()).toEqual(['Hand to the team'])
    expect(await changes.locator('.diff-changed').textContent()).toContain('The message text changed')
    await session.shot('issue15-version-diff')
    expect(await seriousAxeViolations()).toEqual([])

    // Against the version before it, version 2 shows what it changed: the hand-off added.
    await page.getByRole('button', { name: 'Close version 1' }).click()
    await page.getByRole('button', { name: 'Open version 2' }).click()
    await page.getByLabel('Version 1', { exact: true }).check()
    await changes.getByText('What version 2 changed').waitFor()
    expect(await changes.locator('.diff-added').allTextContents()).toEqual(['Hand to the team'])
    await page
      .getByRole('region', { name: 'Version 2, read-only preview' })
      .locator('[data-diff="added"]', { hasText: 'Hand to the team' })
      .waitFor()
  })

  it('restores a version as the draft, and undo brings the draft back', async () => {
    await page.getByRole('button', { name: 'Close version 2' }).click()
    await page.getByRole('button', { name: 'Open version 1' }).click()
    await page.getByRole('button', { name: 'Restore as draft' }).click()
    await expect.poll(() => page.getByRole('region', { name: /read-only preview/ }).count()).toBe(0)
    await expect.poll(() => page.getByTestId('node-handoff').count()).toBe(0)
    await expect
      .poll(async () => (await session.savedFlow(flowId)).document.nodes as unknown[], { timeout: 15_000 })
      .toHaveLength(2)
    await page.getByRole('button', { name: 'Undo' }).click()
    await page.getByTestId('node-handoff').waitFor()
    await expect
      .poll(async () => (await session.savedFlow(flowId)).document.nodes as unknown[], { timeout: 15_000 })
      .toHaveLength(3)
    expect(session.pageErrors).toEqual([])
  })

  it('leaves nothing live for the suites after it', async () => {
    expect((await api('delete', `/api/flows/${flowId}`)).status()).toBe(204)
  })
})
