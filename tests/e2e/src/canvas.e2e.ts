// Issue 15, the canvas part, in real headless Chromium against the real runtime: the cart-recovery template
// opens readable (≥ 75 % zoom, arranged with no crossing connections, every branch labelled), steps come
// before connections in the tab order, a connection is made with the keyboard alone, "+" on an output adds
// a connected step in free space, Escape closes popovers, and axe-core finds no serious or critical problem
// on the flows list, the editor and the simulator.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type EditorSession, openEditorSession } from './editor-session.ts'
import { DEMO_OWNER_EMAIL, DEMO_PASSWORD } from './runtime-process.ts'

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const baseUrl = inject('baseUrl')

let session: EditorSession
let page: Page

beforeAll(async () => {
  session = await openEditorSession(baseUrl)
  page = session.page
})

afterAll(async () => {
  await session?.close()
})

const shot = (name: string) => session.shot(name)
const savedFlow = (flowId: string) => session.savedFlow(flowId)

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

/** axe-core's serious and critical findings on the page as it is now. */
async function seriousAxeViolations(): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's content security policy does not govern.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe
    return (await axe.run()).violations
  })
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
}

interface Focused {
  kind: 'step' | 'connection' | 'add-step' | 'other'
  label: string
  text: string
  /** The step the focused element belongs to. */
  step: string | null
  outline: string
}

async function focused(): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (!el) return { kind: 'other', label: '', text: '', step: null, outline: '' } as const
    const kind = el.classList.contains('react-flow__node')
      ? 'step'
      : el.classList.contains('edge-chip')
        ? 'connection'
        : el.classList.contains('add-step')
          ? 'add-step'
          : 'other'
    const ringed = kind === 'step' ? (el.querySelector('.flow-card') as HTMLElement) : el
    return {
      kind,
      label: el.getAttribute('aria-label') ?? '',
      text: el.textContent?.trim() ?? '',
      step: el.closest('.react-flow__node')?.getAttribute('data-id') ?? null,
      outline: getComputedStyle(ringed).outlineStyle,
    } as const
  })
}

/** Presses Tab until the focused element matches. */
async function tabUntil(matches: (el: Focused) => boolean, limit = 80): Promise<Focused> {
  const seen: string[] = []
  for (let i = 1; i <= limit; i++) {
    await page.keyboard.press('Tab')
    const now = await focused()
    if (matches(now)) return now
    seen.push(`${now.kind} ${now.step ?? ''} ${now.label || now.text.slice(0, 30)}`)
  }
  throw new Error(`Tab never reached the element; it went through:\n${seen.join('\n')}`)
}

const zoomOf = () =>
  page
    .locator('.react-flow__viewport')
    .evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a)

describe('a readable, keyboard-friendly canvas', () => {
  let flowId = ''

  it('signs in; the flows list has no serious accessibility problems', async () => {
    await page.goto(`${baseUrl}/#/flows`)
    await page.getByLabel('Email').fill(DEMO_OWNER_EMAIL)
    await page.getByLabel('Password').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Flows' }).waitFor()
    await expect.poll(() => page.locator('.flow-row').count()).toBeGreaterThanOrEqual(5)
    expect(await seriousAxeViolations()).toEqual([])
  })

  it('opens the cart-recovery template arranged, at a readable zoom, with no crossings and labelled branches', async () => {
    await page.getByRole('button', { name: 'New flow' }).click()
    await page
      .getByRole('dialog', { name: 'New flow' })
      .getByRole('button', { name: /Abandoned cart recovery/ })
      .click()
    await page.waitForURL(/#\/flows\/[^/]+$/)
    flowId = decodeURIComponent(/#\/flows\/([^/]+)$/.exec(page.url())![1]!)
    await page.locator('.canvas-area:not(.opening)').waitFor()

    // The layout's own report of the arrangement on screen.
    await expect.poll(() => page.locator('.canvas-area').getAttribute('data-edge-crossings')).toBe('0')
    expect(await zoomOf()).toBeGreaterThanOrEqual(0.75)
    // The trigger and the first wait are on screen, and their text is at least 9 px tall as drawn.
    const canvas = (await page.locator('.canvas-area').boundingBox())!
    for (const id of ['cart-abandoned', 'wait-1h']) {
      const box = (await page.getByTestId(`node-${id}`).boundingBox())!
      expect(box.y).toBeGreaterThanOrEqual(canvas.y)
      expect(box.y + box.height).toBeLessThanOrEqual(canvas.y + canvas.height)
    }
    const nameHeight = await page
      .getByTestId('node-wait-1h')
      .locator('.flow-card-name')
      .evaluate((el) => el.getBoundingClientRect().height)
    expect(nameHeight).toBeGreaterThanOrEqual(9)

    // Every connection out of a branch is labelled with its output; every one is named in words.
    const chips = page.locator('.edge-chip')
    await expect.poll(() => chips.count()).toBe(13)
    const labels = await page.locator('.edge-chip:not(.plain)').allTextContents()
    expect(labels.filter((l) => l === 'No reply')).toHaveLength(4)
    expect(labels.filter((l) => l === 'Anything else')).toHaveLength(4)
    const names = await chips.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''))
    expect(names).toContain("From 'Wait 1 hour' when No reply to 'Reminder'")
    for (const name of names) {
      expect(name).toMatch(/^From '[^']+'( when [^']+)? to '[^']+'$/)
      expect(name).not.toMatch(/wait-1h|hand-to-team|cart-abandoned|e_|n_/)
    }
    // Opening arranged it for display only: nothing to save, no undo step.
    expect(await page.locator('.save-state').textContent()).toBe('Saved')
    expect(await page.getByRole('button', { name: 'Undo' }).isDisabled()).toBe(true)
    await shot('canvas-cart-recovery')
  })

  it('keeps the footer, minimap and publish message off the cards and the inspector tabs', async () => {
    const footer = (await page.locator('.canvas-footer').boundingBox())!
    const stage = (await page.locator('.canvas-stage').boundingBox())!
    expect(footer.y).toBeGreaterThanOrEqual(stage.y + stage.height - 1)
    expect(await page.locator('.react-flow__minimap').count()).toBe(0)

    await page.getByRole('button', { name: 'Publish' }).click()
    const popover = page.locator('.publish-popover')
    await popover.waitFor()
    const tabs = (await page.getByRole('tablist').boundingBox())!
    const pop = (await popover.boundingBox())!
    expect(pop.x + pop.width).toBeLessThanOrEqual(tabs.x)
    await page.keyboard.press('Escape')
    await expect.poll(() => popover.count()).toBe(0)
  })

  it('puts every step before any connection in the tab order', async () => {
    // From the field before the canvas, Tab walks the palette, then the canvas.
    await page.getByLabel('Flow name').focus()
    const first = await tabUntil((f) => f.kind === 'step')
    expect(first.outline).toBe('solid')
    const order: Focused['kind'][] = [first.kind]
    for (let i = 0; i < 50; i++) {
      await page.keyboard.press('Tab')
      const now = await focused()
      order.push(now.kind)
      if (now.kind === 'connection') {
        expect(now.outline).toBe('solid')
        break
      }
    }
    expect(order.filter((o) => o === 'step')).toHaveLength(11)
    expect(order.at(-1)).toBe('connection')
  })

  it('connects two steps with the keyboard alone', async () => {
    await page.getByLabel('Flow name').focus()
    // Two waits share that name: this is the last one's "No reply".
    await tabUntil((f) => f.step === 'wait-final' && f.label.includes('when No reply'))
    await page.keyboard.press('Enter')
    const menu = page.getByRole('dialog', { name: /After 'Wait for a reply \(48 hours\)' · No reply/ })
    await menu.waitFor()
    await tabUntil((f) => f.kind === 'other' && f.text.endsWith('Hand to the team'))
    await page.keyboard.press('Enter')
    await expect.poll(() => menu.count()).toBe(0)
    // Focus went back to the "+" it came from.
    expect(await page.evaluate(() => document.activeElement?.classList.contains('add-step'))).toBe(true)
    await expect
      .poll(async () => {
        const doc = (await savedFlow(flowId)).document as {
          edges: { source: string; sourceHandle: string; target: string }[]
        }
        return doc.edges.filter((e) => e.source === 'wait-final').map((e) => `${e.sourceHandle}->${e.target}`)
      })
      .toEqual(expect.arrayContaining(['timeout->hand-to-team', 'anything->hand-to-team']))
    await page.keyboard.press('Control+z')
    const restored = page.getByLabel("From 'Wait for a reply (48 hours)' when No reply to 'Not recovered'")
    await expect.poll(() => restored.count()).toBe(1)

    // A connection is removed from the keyboard too: focus it, press Delete; one undo brings it back.
    await page.getByLabel('Flow name').focus()
    await tabUntil((f) => f.label === "From 'Wait for a reply (48 hours)' when No reply to 'Not recovered'")
    await page.keyboard.press('Delete')
    await expect.poll(() => restored.count()).toBe(0)
    await page.keyboard.press('Control+z')
    await expect.poll(() => restored.count()).toBe(1)
  })

  it('adds a connected step from the "+" on an output, in free space, and Escape closes the menu', async () => {
    const plus = page.getByRole('button', { name: "Insert a step or change where it goes after 'Reminder'" })
    // Focusing a step brings it into view.
    await page.getByTestId('node-reminder').locator('xpath=..').focus()
    await page.getByTestId('node-reminder').hover()
    await plus.click()
    const menu = page.getByRole('dialog', { name: "After 'Reminder'" })
    await menu.waitFor()
    await page.keyboard.press('Escape')
    await expect.poll(() => menu.count()).toBe(0)

    await page.getByTestId('node-reminder').hover()
    await plus.click()
    await menu.getByRole('button', { name: 'Delay' }).click()
    const delay = page.locator('.react-flow__node-delay')
    await delay.waitFor()
    await expect.poll(() => page.getByLabel("From 'Reminder' to 'Delay'").count()).toBe(1)
    await expect.poll(() => page.getByLabel("From 'Delay' to 'Wait for a reply (23 hours)'").count()).toBe(1)
    // Not on top of any other card.
    const boxes = await page
      .locator('.react-flow__node')
      .evaluateAll((els) =>
        els.map((el) => ({ id: el.getAttribute('data-id'), ...el.getBoundingClientRect().toJSON() })),
      )
    const added = boxes.find((b) => b.id?.startsWith('n_'))!
    for (const other of boxes.filter((b) => b !== added)) {
      const apart =
        added.x >= other.x + other.width ||
        other.x >= added.x + added.width ||
        added.y >= other.y + other.height ||
        other.y >= added.y + added.height
      expect(apart, `new step overlaps ${other.id}`).toBe(true)
    }
    await shot('canvas-step-added')
    await page.getByRole('button', { name: 'Tidy up' }).click()
    await expect.poll(() => page.locator('.canvas-area').getAttribute('data-edge-crossings')).toBe('0')
    await shot('canvas-tidied')
  })

  it('has no serious accessibility problems in the editor and the simulator', async () => {
    expect(await seriousAxeViolations()).toEqual([])
    await page.getByRole('tab', { name: 'Simulator' }).click()
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await page.getByRole('button', { name: 'Skip to next timer' }).click()
    await page.locator('.sim-msg.bot').first().waitFor()
    expect(await seriousAxeViolations()).toEqual([])
    expect(session.pageErrors).toEqual([])
  })
})
