// Issue 11, the catalogue half: the owner imports a Shopify product export with a progress bar, sees the one row
// that could not be imported named by its line, searches the catalogue, filters it and opens a product's variants.
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type EditorSession, openEditorSession } from './editor-session.ts'
import { DEMO_OWNER_EMAIL, DEMO_PASSWORD } from './runtime-process.ts'

const baseUrl = inject('baseUrl')
const FIXTURE = new URL('../../../apps/runtime/src/catalogue/fixtures/shopify-products.csv', import.meta.url)
  .pathname

let session: EditorSession
let page: Page

beforeAll(async () => {
  session = await openEditorSession(baseUrl)
  page = session.page
})

afterAll(async () => {
  await session?.close()
})

/** A bigger export in the same shape (the fixture's products under new handles), so the bar has a way to go. */
function biggerExport(copies: number): Buffer {
  const text = readFileSync(FIXTURE, 'utf8')
  const [header, ...rest] = text.split('\r\n')
  const body = rest.join('\r\n')
  const parts = [header]
  for (let i = 0; i < copies; i++) {
    parts.push(
      body
        .replace(/(^|\r\n)(linen-shirt|canvas-tote|trail-runner|wool-beanie),/g, `$1$2-${i},`)
        .replace(/,(LS|TOTE|TR)-([A-Z0-9-]+),/g, `,$1-$2-${i},`)
        .replace(/,(Linen Shirt|Canvas Tote|Trail Runner|Wool Beanie),/g, `,$1 ${i},`)
        .trimEnd(),
    )
  }
  return Buffer.from(`${parts.join('\r\n')}\r\n`)
}

describe('the catalogue', () => {
  it('signs in and opens the catalogue from the navigation', async () => {
    await page.goto(`${baseUrl}/#/flows`)
    await page.getByLabel('Email').fill(DEMO_OWNER_EMAIL)
    await page.getByLabel('Password').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Flows' }).waitFor()
    await page.getByRole('link', { name: 'Catalogue' }).click()
    await page.getByRole('heading', { name: 'Catalogue', level: 1 }).waitFor()
    expect(page.url()).toMatch(/#\/catalogue$/)
  })

  it('imports a Shopify export with a progress bar and names the row it skipped', async () => {
    await page.locator('input[type="file"]').setInputFiles(FIXTURE)
    const bar = page.getByRole('progressbar', { name: 'Import progress' })
    await bar.waitFor()
    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 60_000 }).toBe('100')
    const panel = page.locator('.import-panel')
    await expect
      .poll(() => panel.textContent(), { timeout: 30_000 })
      .toMatch(/4 new products, 0 updated, 1 row skipped/)
    const errors = panel.locator('.import-errors')
    expect(await errors.locator('summary').textContent()).toBe('1 row could not be imported')
    expect(await errors.locator('tbody tr').allTextContents()).toEqual([
      '15trail-runnerVariant Price "12,9O" is not a price (write it like 19.90)',
    ])
    await session.shot('catalogue-imported')
  })

  it('follows a larger import as it runs, and keeps it in the history', async () => {
    await page.locator('input[type="file"]').setInputFiles({
      name: 'products_export_big.csv',
      mimeType: 'text/csv',
      buffer: biggerExport(150),
    })
    const bar = page.getByRole('progressbar', { name: 'Import progress' })
    const history = page.getByRole('region', { name: 'Import history' })
    // The job is followed until it ends; under load the upload alone can take a while, so wait on the history.
    await expect
      .poll(() => history.locator('tbody tr').first().textContent(), { timeout: 120_000, interval: 250 })
      .toMatch(/products_export_big\.csv600 new products, 0 updated, 150 rows skipped/)
    // The screen loads the history right after the upload, before its first poll of the job
    // (use-catalogue-import.ts): when the import finishes in between (a loaded machine), the history lists it
    // done while the panel still shows the queued job at 0 until that poll answers. So wait for the panel too.
    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 30_000 }).toBe('100')
    await expect
      .poll(() => page.locator('.import-head h2').textContent(), { timeout: 30_000 })
      .toBe('Imported products_export_big.csv')
    expect(await history.locator('tbody tr').count()).toBe(2)
    expect(await history.locator('tbody tr').first().textContent()).toMatch(/products_export_big\.csv/)
  })

  it('searches, filters by stock and type, and opens a product with its variants', async () => {
    const search = page.getByRole('searchbox', { name: 'Search products' })
    await search.fill('linen shirt 149')
    const rows = page.locator('.product-list .product-row')
    await expect
      .poll(() => rows.locator('.product-title').allTextContents(), { timeout: 30_000 })
      .toEqual(['Linen Shirt 149'])

    await search.fill('beanie')
    await page.getByLabel('In stock only').check()
    await expect
      .poll(() => page.locator('.catalogue-results .empty-small').textContent(), { timeout: 30_000 })
      .toMatch(/No products match/)
    await page.getByLabel('In stock only').uncheck()
    await page.getByRole('combobox', { name: 'Product type' }).selectOption('Hats')
    await expect
      .poll(() => page.locator('.pager').first().textContent(), { timeout: 30_000 })
      .toMatch(/of 151 products/)

    await search.fill('linen')
    await page.getByRole('combobox', { name: 'Product type' }).selectOption('')
    await expect
      .poll(() => rows.first().locator('.product-title').textContent(), { timeout: 30_000 })
      .toBe('Linen Shirt')
    await rows.first().click()
    const detail = page.getByRole('complementary', { name: 'Product details' })
    await detail.getByRole('heading', { name: 'Linen Shirt' }).waitFor()
    expect(await detail.locator('caption').textContent()).toBe('4 variants')
    expect(await detail.locator('tbody tr').first().textContent()).toMatch(
      /Size: S, Color: Blue.*LS-S-BLU.*12 in stock/,
    )
    await session.shot('catalogue-search')
    expect(session.pageErrors).toEqual([])
    expect(session.cspViolations).toEqual([])
  })
})
