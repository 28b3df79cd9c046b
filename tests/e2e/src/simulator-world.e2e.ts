// Issue 15, "the simulator in the store's world", in real Chromium against the real runtime: the store reports a
// cart with its own Classic Hoodie, and the cart-recovery template played in the simulator at 20:30 in the
// shopper's evening shows that product in the reminder, held back by the demo store's quiet hours (21:00–08:00)
// with the reason in plain words; escalation then plays through to the team handing the chat back.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type EditorSession, openEditorSession } from './editor-session.ts'
import { DEMO_OWNER_EMAIL, DEMO_PASSWORD } from './runtime-process.ts'
import { sendStoreEvent, storeApiKey } from './store-events.ts'

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

describe("the simulator plays a flow in the store's world", () => {
  it('signs in and the store reports a cart with its own product', async () => {
    await page.goto(`${baseUrl}/#/flows`)
    await page.getByLabel('Email').fill(DEMO_OWNER_EMAIL)
    await page.getByLabel('Password').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Flows' }).waitFor()

    // The store's side, as a shop platform would call it: an API key, then a cart update.
    const request = session.context.request
    const key = await storeApiKey(request, baseUrl, 'e2e store')
    await sendStoreEvent(request, baseUrl, key, {
      id: `e2e-cart-${Date.now()}`,
      type: 'cart.updated',
      contact: {
        email: 'e2e-shopper@example.com',
        name: 'Robin Example',
        timezone: 'Europe/London',
        consent: true,
      },
      cart: {
        token: `e2e-cart-${Date.now()}`,
        items: [{ title: 'Classic Hoodie', price: '59.00', quantity: 1, productId: 'hoodie-classic' }],
        value: '59.00',
        currency: 'USD',
        checkoutUrl: 'https://demo.example/cart/e2e',
      },
    })
  })

  it('opens the cart-recovery template in the simulator with the store, not made-up data', async () => {
    await page.getByRole('button', { name: 'New flow' }).click()
    await page
      .getByRole('dialog', { name: 'New flow' })
      .getByRole('button', { name: /Abandoned cart recovery/ })
      .click()
    await page.getByTestId('node-cart-abandoned').waitFor()
    await page.getByRole('tab', { name: 'Simulator' }).click()
    const cart = page.getByLabel('Cart', { exact: true })
    await cart.waitFor()
    expect(await cart.locator('option:checked').textContent()).toContain('Classic Hoodie · 59.00 USD')
    // The shopper is anonymised: their name never reaches the editor.
    expect(await page.locator('.phone').textContent()).not.toContain('Robin')
  })

  // 23:00 is inside the demo store's quiet hours (21:00–08:00) and inside those the settings suite saves
  // (21:30–08:00) when it runs first against the same runtime.
  it('plays the reminder at 23:00 in the shopper’s evening: held back by quiet hours, with the reason', async () => {
    await page.getByLabel("Starts at (shopper's time)").fill('22:00')
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await page.getByRole('button', { name: 'Skip to next timer' }).click()
    const reminder = page.locator('.sim-msg.bot').first()
    await reminder.waitFor()
    expect(await reminder.locator('p').first().textContent()).toMatch(/you left Classic Hoodie in your cart/)
    expect(await reminder.locator('.product-title').textContent()).toBe('Classic Hoodie')
    expect(await reminder.locator('.sim-reason').textContent()).toBe(
      "Held until 08:00 (shopper's time): quiet hours.",
    )
    expect(await reminder.getAttribute('class')).toContain('held')
    await session.shot('sim-world-quiet-hours')
    expect(await page.locator('.phone-chat').textContent()).not.toContain('Linen Overshirt')
  })

  it('plays an escalation through to the team handing back', async () => {
    await page.getByLabel('Reply as the shopper').fill('Does it run small?')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await page.locator('.sim-msg.system', { hasText: 'Handed to the sales team' }).waitFor()
    await page.getByRole('button', { name: 'Hand back to the bot' }).click()
    await page.locator('.sim-msg.system', { hasText: 'Ended: handed to your team' }).waitFor()
    await session.shot('sim-world-handed-back')
    expect(session.pageErrors).toEqual([])
    expect(session.cspViolations).toEqual([])
  })
})
