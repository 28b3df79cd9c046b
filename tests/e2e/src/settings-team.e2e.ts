// Issues 10 and 11 in real headless Chromium against the real runtime: the owner changes quiet hours in
// Settings (a bad value first, answered beside the field), invites a support agent, the agent joins through the
// link and sees only what an agent may (the inbox; a conversation's flow to read, no editing controls; no Flows
// list, Settings or Channels), and the owner creates and revokes an API key.
import type { SettingsResponse } from '@parley/api'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type EditorSession, openEditorSession } from './editor-session.ts'
import { DEMO_OWNER_EMAIL, DEMO_PASSWORD } from './runtime-process.ts'

const baseUrl = inject('baseUrl')

let session: EditorSession
let page: Page
let agentContext: BrowserContext | undefined

beforeAll(async () => {
  session = await openEditorSession(baseUrl)
  page = session.page
  // Confirmations (revoke a key) are accepted.
  page.on('dialog', (dialog) => dialog.accept())
})

afterAll(async () => {
  await agentContext?.close()
  await session?.close()
})

const shot = (name: string) => session.shot(name)
const agentEmail = `sam.agent+${Date.now()}@example.com`

describe('settings, team and API keys', () => {
  let inviteLink = ''

  it('signs in as the owner and changes quiet hours, with a bad value answered beside its field', async () => {
    await page.goto(`${baseUrl}/#/flows`)
    await page.getByLabel('Email').fill(DEMO_OWNER_EMAIL)
    await page.getByLabel('Password').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Flows' }).waitFor()

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click()
    await page.getByRole('heading', { name: 'Settings' }).waitFor()
    await page.getByLabel('Time zone').waitFor()

    // A negative cap is refused before anything is sent, with the reason next to the field.
    await page.getByLabel('Marketing messages per shopper').fill('-1')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.getByText('Use 0 or more').waitFor()
    await page.getByLabel('Marketing messages per shopper').fill('3')

    await page.getByLabel('Time zone').fill('Europe/Berlin')
    await page.getByRole('checkbox', { name: 'Quiet hours' }).check()
    await page.getByLabel('Quiet hours start').fill('21:30')
    await page.getByLabel('Quiet hours end').fill('08:00')
    await page.getByRole('checkbox', { name: /German/ }).check()
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.getByText('Settings saved').waitFor()
    await shot('settings-01-messaging-rules')

    const saved = await session.context.request.get(`${baseUrl}/api/settings`)
    const { settings } = (await saved.json()) as SettingsResponse
    expect(settings.timeZone).toBe('Europe/Berlin')
    expect(settings.quietHours).toEqual({ start: '21:30', end: '08:00' })
    expect(settings.frequencyCap.messages).toBe(3)
    expect(settings.keywords.languages).toContain('de')
  })

  it('invites a support agent and gets a link shown once', async () => {
    await page.getByRole('tab', { name: 'Team' }).click()
    await page.getByRole('list', { name: 'Members' }).waitFor()
    await page.getByLabel('Email').fill(agentEmail)
    await page.getByLabel('Role', { exact: true }).selectOption('agent')
    await page.getByRole('button', { name: 'Create invitation link' }).click()
    const link = page.getByLabel(`Invitation link for ${agentEmail}`)
    await link.waitFor()
    inviteLink = await link.inputValue()
    expect(inviteLink).toMatch(/#\/invite\/[A-Za-z0-9_-]{40,}$/)
    await page.getByRole('list', { name: 'Invitations' }).getByText(agentEmail).waitFor()
    await shot('settings-02-team-invite')
  })

  /** A published flow of the demo store (the owner reads the list). */
  async function firstFlowId(): Promise<string> {
    const res = await session.context.request.get(`${baseUrl}/api/flows`)
    const { flows } = (await res.json()) as { flows: { id: string }[] }
    return flows[0]!.id
  }

  it('the agent joins through the link and sees only the inbox; a flow opens read-only', async () => {
    agentContext = await session.browser.newContext({ viewport: { width: 1440, height: 900 } })
    const agent = await agentContext.newPage()
    agent.setDefaultTimeout(20_000)
    const pageErrors: string[] = []
    agent.on('pageerror', (e) => pageErrors.push(e.message))
    const flowWrites: string[] = []
    agent.on('request', (r) => {
      if (r.url().includes('/api/flows') && r.method() !== 'GET') flowWrites.push(`${r.method()} ${r.url()}`)
    })
    await agent.goto(inviteLink)
    await agent.getByRole('heading', { name: 'Join Demo Store' }).waitFor()
    await agent.getByLabel('Your name').fill('Sam Agent')
    await agent.getByLabel('Password').fill('sam-agent-password')
    await agent.getByRole('button', { name: 'Join and sign in' }).click()

    // Lands in the inbox, and sees only the inbox: no Flows, Settings or Channels in the menu, and the flows
    // list answers in words that it is not theirs.
    await agent.getByRole('heading', { name: 'Inbox' }).waitFor()
    const nav = agent.getByRole('navigation', { name: 'Main' })
    await expect.poll(() => nav.getByRole('link').allTextContents()).toEqual(['Inbox'])
    await agent.getByText('Sam Agent · Support agent').waitFor()
    await agent.screenshot({
      path: new URL('../screenshots/settings-03-agent-inbox.png', import.meta.url).pathname,
    })
    await agent.goto(`${baseUrl}/#/flows`)
    await agent.getByRole('heading', { name: 'Flows is not open to you' }).waitFor()

    // The flow behind a conversation (linked from the inbox's context panel) opens view-only: no palette, no
    // publish, no undo, no "+" to add steps; the inspector is disabled.
    await agent.goto(`${baseUrl}/#/flows/${await firstFlowId()}`)
    await agent
      .getByRole('note')
      .getByText(/View only/)
      .waitFor()
    await agent.locator('.react-flow__node').first().waitFor()
    expect(await agent.locator('.palette').count()).toBe(0)
    expect(await agent.getByRole('button', { name: 'Publish' }).count()).toBe(0)
    expect(await agent.getByRole('button', { name: 'Undo' }).count()).toBe(0)
    expect(await agent.locator('.add-step').count()).toBe(0)
    expect(await agent.getByRole('button', { name: 'Tidy up' }).count()).toBe(0)
    const card = agent.locator('.react-flow__node').nth(1)
    await card.click()
    await agent.locator('fieldset.read-only-fields').waitFor()
    const fields = agent.locator('fieldset.read-only-fields input, fieldset.read-only-fields textarea')
    expect(await fields.count()).toBeGreaterThan(0)
    for (const field of await fields.all()) expect(await field.isDisabled()).toBe(true)
    // The flow reads as drawn: its connections are there.
    await expect.poll(() => agent.locator('.react-flow__edge').count()).toBeGreaterThan(0)
    // Cards cannot be dragged (React Flow marks draggable ones); a drag pans the view and nothing is saved.
    expect(await agent.locator('.react-flow__node.draggable').count()).toBe(0)
    const box = (await card.boundingBox())!
    await agent.mouse.move(box.x + box.width / 2, box.y + 10)
    await agent.mouse.down()
    await agent.mouse.move(box.x + box.width / 2 + 120, box.y + 80, { steps: 8 })
    await agent.mouse.up()
    await expect.poll(() => agent.locator('.react-flow__edge').count()).toBeGreaterThan(0)
    await agent.screenshot({
      path: new URL('../screenshots/settings-04-agent-flow-read-only.png', import.meta.url).pathname,
    })

    // Settings and Channels are not theirs: told so in words.
    for (const [path, label] of [
      ['/settings', 'Settings'],
      ['/channels', 'Channels'],
    ] as const) {
      await agent.goto(`${baseUrl}/#${path}`)
      await agent.getByRole('alert').waitFor()
      const text = await agent.getByRole('alert').textContent()
      expect(text).toMatch(
        label === 'Settings' ? /Settings is not open to you/ : /not open to you|nothing here/,
      )
    }
    await agent.screenshot({
      path: new URL('../screenshots/settings-05-agent-refused.png', import.meta.url).pathname,
    })
    // The server agrees.
    expect((await agentContext.request.get(`${baseUrl}/api/settings`)).status()).toBe(403)
    expect(flowWrites).toEqual([])
    expect(pageErrors).toEqual([])

    // The owner sees the new member.
    await page.getByRole('tab', { name: 'Messaging rules' }).click()
    await page.getByRole('tab', { name: 'Team' }).click()
    await page.getByRole('list', { name: 'Members' }).getByText('Sam Agent').waitFor()
  })

  it('creates an API key shown once, then revokes it', async () => {
    await page.getByRole('tab', { name: 'API keys' }).click()
    await page.getByLabel('Key name').fill('Shop backend')
    await page.getByRole('button', { name: 'Create API key' }).click()
    const shown = page.getByLabel('New key “Shop backend”')
    await shown.waitFor()
    const key = await shown.inputValue()
    expect(key).toMatch(/^pk_live_[0-9a-f]{8}_/)
    const row = page
      .getByRole('list', { name: 'API keys' })
      .getByRole('listitem')
      .filter({ hasText: 'Shop backend' })
    await row.getByText('never used').waitFor()
    await shot('settings-06-api-key-created')

    // The key works for the store's events until it is revoked.
    const event = {
      id: `e2e-${Date.now()}`,
      type: 'order.created',
      order: { number: 'E2E-1', total: 1, currency: 'EUR' },
    }
    const before = await session.context.request.post(`${baseUrl}/api/events`, {
      headers: { authorization: `Bearer ${key}` },
      data: event,
    })
    expect(before.status()).not.toBe(401)

    await row.getByRole('button', { name: 'Revoke' }).click()
    await row.getByText('Revoked', { exact: true }).waitFor()
    expect(await page.getByLabel('New key “Shop backend”').count()).toBe(0)
    const afterRevoke = await session.context.request.post(`${baseUrl}/api/events`, {
      headers: { authorization: `Bearer ${key}` },
      data: { ...event, id: `${event.id}-2` },
    })
    expect(afterRevoke.status()).toBe(401)
    await shot('settings-07-api-key-revoked')
    expect(session.pageErrors).toEqual([])
    expect(session.cspViolations).toEqual([])
  })

  it('shows Shopify privacy requests, none so far in the demo store', async () => {
    await page.getByRole('tab', { name: 'Privacy requests' }).click()
    await page.getByText('No privacy requests so far.').waitFor()
    await page.getByText(/Shopify passes on shoppers’ privacy requests/).waitFor()
    expect(session.pageErrors).toEqual([])
    expect(session.cspViolations).toEqual([])
  })
})
