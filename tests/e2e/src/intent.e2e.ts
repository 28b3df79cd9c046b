// Issue 14, reply intents in the editor, as a merchant: a Wait for reply gets a path for shoppers who want a person
// by ticking it in plain words; the new output is connected with its "+", the connection is labelled, the flow is
// saved with it; and the simulator takes that path when the shopper asks for a human.
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

type SavedDoc = {
  nodes: { id: string; kind: string; config: Record<string, unknown> }[]
  edges: { source: string; sourceHandle: string; target: string }[]
}

describe('a Wait for reply that branches on what the shopper wants', () => {
  let flowId = ''

  it('builds trigger → wait for reply from a blank flow', async () => {
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
    await page.getByLabel('Flow name').fill('Intent help desk')

    const trigger = await dropStep(page, 'trigger-message', 380, 70)
    await trigger.click()
    await page.getByLabel('Start on').selectOption('keyword')
    await page.getByLabel('Keywords').fill('help')
    await dropStep(page, 'wait-for-reply', 380, 260)
    await connectTo(page, trigger.locator('.output-single'), 'Wait for reply')
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(1)
  })

  it('ticks "Wants to talk to a person": the card gets that output, and its "+" connects it', async () => {
    const wait = page.locator('.react-flow__node-wait-for-reply')
    await wait.click()
    // Plain words only: no intent ids anywhere in the inspector.
    const inspector = page.locator('.inspector')
    await expect.poll(() => inspector.textContent()).toMatch(/What the reply wants/)
    expect(await inspector.textContent()).not.toMatch(/wants_person|order_status|not_interested/)
    await page.getByLabel('Wants to talk to a person').check()
    const output = wait.locator('.output-intent-wants_person')
    await output.waitFor()
    expect(await output.textContent()).toContain('Wants to talk to a person')

    const person = await dropStep(page, 'send-message', 700, 640)
    await person.click()
    const box = page.getByRole('textbox', { name: 'Message' })
    await box.click()
    await page.keyboard.type('One of our team will be right with you.')
    await connectTo(page, output, 'Send message')
    const chip = page.getByLabel("From 'Wait for reply' when Wants to talk to a person to 'Send message'")
    await expect.poll(() => chip.count()).toBe(1)
    expect(await chip.textContent()).toBe('Wants to talk to a person')

    await expect
      .poll(async () => {
        const doc = (await session.savedFlow(flowId)).document as SavedDoc
        const waitNode = doc.nodes.find((n) => n.kind === 'wait-for-reply')!
        return {
          intents: waitNode.config.intents,
          edge: doc.edges.some((e) => e.source === waitNode.id && e.sourceHandle === 'intent-wants_person'),
        }
      })
      .toEqual({ intents: ['wants_person'], edge: true })
    await page.getByRole('button', { name: 'Tidy up' }).click()
    await expect.poll(() => page.locator('.canvas-area').getAttribute('data-edge-crossings')).toBe('0')
    await wait.click()
    await session.shot('intent-wait-for-reply-branch')
  })

  it('the simulator takes the person path when the shopper asks for a human', async () => {
    await page.getByRole('tab', { name: 'Simulator' }).click()
    await page.getByLabel("Shopper's first message").fill('help')
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await page.getByLabel('Reply as the shopper').fill('can I talk to a human please')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await page.locator('.sim-msg.bot', { hasText: 'One of our team will be right with you.' }).waitFor()
    await session.shot('intent-simulator-person-path')
    expect(session.pageErrors).toEqual([])
  })
})
