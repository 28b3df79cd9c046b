// Issue 15, as a merchant who never programmed: build "where is my order" from a blank flow with the
// palette and the variable menu only (no `{{` typed anywhere), publish it; then add quick-reply buttons,
// leave them unconnected and see publishing refused in plain words.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connectTo, dropStep } from './canvas-gestures.ts'
import { type EditorSession, openEditorSession } from './editor-session.ts'
import { DEMO_OWNER_EMAIL, DEMO_PASSWORD } from './runtime-process.ts'

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

type SavedDoc = {
  nodes: { id: string; kind: string; name?: string; config: Record<string, unknown> }[]
  edges: { source: string; sourceHandle: string; target: string }[]
}

/** Picks a variable by its name from the menu of a message field. */
async function insertVariable(field: string, name: string) {
  await page.getByRole('button', { name: `Insert a variable into ${field}` }).click()
  await page.getByRole('menuitem', { name, exact: true }).click()
}

describe('where is my order, built by a new merchant from a blank flow', () => {
  let flowId = ''

  it('signs in and starts a blank flow, which invites rather than accuses', async () => {
    await page.goto(`${baseUrl}/#/flows`)
    await page.getByLabel('Email').fill(DEMO_OWNER_EMAIL)
    await page.getByLabel('Password').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Flows' }).waitFor()
    await page.getByRole('button', { name: 'New flow' }).click()
    await page
      .getByRole('dialog', { name: 'New flow' })
      .getByRole('button', { name: /Blank flow/ })
      .click()
    await page.waitForURL(/#\/flows\/[^/]+$/)
    flowId = decodeURIComponent(/#\/flows\/([^/]+)$/.exec(page.url())![1]!)
    await expect.poll(() => page.locator('.validation-chip').textContent()).toBe('Add a trigger to start')
    expect(await page.locator('.issues-toggle').textContent()).toMatch(/Start by dragging a trigger/)
  })

  it('adds a keyword trigger and a lookup; the lookup adds the question for the order number itself', async () => {
    const trigger = await dropStep(page, 'trigger-message', 380, 70)
    await trigger.click()
    await page.getByLabel('Start on').selectOption('keyword')
    await page.getByLabel('Keywords').fill('where is my order, tracking')

    const lookup = await dropStep(page, 'lookup-order', 380, 300)
    await connectTo(page, trigger.locator('.output-single'), 'Look up order')
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(1)
    await lookup.click()
    // No question yet: one click adds it, connected between the trigger and the lookup.
    await page.getByRole('button', { name: 'Ask the shopper for it' }).click()
    const question = page.locator('.react-flow__node-collect-input')
    await question.waitFor()
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2)
    await lookup.click()
    await expect
      .poll(() => page.getByLabel('Order number from').locator('option:checked').textContent())
      .toBe('Order number the shopper typed')
  })

  it('writes the answer with variables picked by name from the menu, never typing {{', async () => {
    const lookup = page.locator('.react-flow__node-lookup-order')
    const message = await dropStep(page, 'send-message', 700, 560)
    await connectTo(page, lookup.locator('.output-found'), 'Send message')
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3)
    await message.click()

    const box = page.getByRole('textbox', { name: 'Message' })
    await box.click()
    await page.keyboard.type('Hi ')
    await page.getByRole('button', { name: 'Insert a variable into Message' }).click()
    // The menu offers this flow's world: the shopper, their message, the answer and the found order.
    const menu = page.getByRole('menu', { name: 'Variables for Message' })
    await menu.waitFor()
    const groups = await menu.locator('.variable-group').allTextContents()
    expect(groups).toEqual([
      'The shopper and their message',
      'Answers collected before this step',
      'Found order',
    ])
    const items = await menu.getByRole('menuitem').allTextContents()
    expect(items).toContain('Order number the shopper typed')
    expect(items).toContain('Tracking link')
    expect(items.some((i) => /[{}[\]]|cart/i.test(i))).toBe(false)
    await shot('issue15-variable-menu')
    await menu.getByRole('menuitem', { name: "Shopper's first name", exact: true }).click()

    await box.press('End')
    await page.keyboard.type(', order ')
    await insertVariable('Message', 'Order number')
    await page.keyboard.type(' is ')
    await insertVariable('Message', 'Order status')
    await page.keyboard.type('. Follow it here: ')
    await insertVariable('Message', 'Tracking link')

    // A fallback for the first name, from the chip itself.
    await page.locator('.variable-chip', { hasText: "Shopper's first name" }).click()
    await page.getByLabel(/is unknown, write/).fill('there')
    await page.getByRole('button', { name: 'Done', exact: true }).click()
    await expect(page.locator('.variable-chip').first().textContent()).resolves.toBe(
      "Shopper's first name · if unknown: there ▾",
    )
    expect(await box.textContent()).not.toContain('{{')
    await shot('issue15-message-with-chips')

    await expect.poll(() => page.locator('.save-state.saved').count()).toBe(1)
    await expect
      .poll(async () => {
        const doc = (await savedFlow(flowId)).document as SavedDoc
        return doc.nodes.find((n) => n.kind === 'send-message')?.config.text
      })
      .toBe(
        'Hi {{contact.first_name | default: "there"}}, order {{order.name}} is {{order.status}}. Follow it here: {{order.trackingUrl}}',
      )
  })

  it('publishes: outputs left open simply end the conversation', async () => {
    await expect.poll(() => page.locator('.validation-chip').textContent()).not.toMatch(/to fix/)
    await page.getByRole('button', { name: 'Publish' }).click()
    // The demo's own "Where is my order?" is live on the same words: publishing says so first.
    await page
      .locator('.publish-popover')
      .getByText(/“Where is my order\?” also starts on “where is my order” and “tracking”/)
      .waitFor()
    await page.getByRole('button', { name: 'Publish anyway' }).click()
    await page
      .getByRole('status')
      .getByText(/Published v1/)
      .waitFor()
    await page.getByRole('button', { name: 'Dismiss' }).click()
    expect(await savedFlow(flowId)).toMatchObject({ status: 'published', publishedVersion: 1 })
  })

  it('a quick-reply button left unconnected blocks publishing, in plain words', async () => {
    const message = page.locator('.react-flow__node-send-message')
    await message.click()
    await page.getByRole('button', { name: '+ Add button' }).click()
    await page.getByLabel('Button 1 title').fill('No, all good')
    // The button is its own output on the card.
    await message.locator('.output-label', { hasText: 'No, all good' }).waitFor()
    await expect.poll(() => page.locator('.validation-chip').textContent()).toMatch(/to fix/)
    await page.getByRole('button', { name: 'Publish' }).click()
    const popover = page.locator('.publish-popover')
    await popover.getByText('Fix these before publishing:').waitFor()
    expect(await popover.locator('li').allTextContents()).toContain(
      "The button 'No, all good' of 'Send message' doesn't lead anywhere yet; connect it to a step",
    )
    await shot('issue15-unconnected-button-blocks-publish')
    await page.getByRole('button', { name: 'Dismiss' }).click()
    expect(await savedFlow(flowId)).toMatchObject({ publishedVersion: 1 })
    expect(session.pageErrors).toEqual([])
  })
})
