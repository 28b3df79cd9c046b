// Editor load: a generated 1,000-node flow, saved through the API of the real runtime (which serves the built
// editor on the same port), opened in headless Chromium. Measures the time from navigation until the canvas is
// interactive, meaning the first pan responds: a mouse drag on empty canvas changes the viewport's transform.
// The 10-node flow is measured in the same run as the baseline. Also reports the editor's production bundle.
//   node --import tsx editor-load.bench.ts
import { readdirSync, readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { launchChromium } from '@parley/e2e/browser'
import { DEMO_OWNER_EMAIL, DEMO_PASSWORD, EDITOR_DIST, startRuntime } from '@parley/e2e/runtime-process'
import { parseFlowDocument } from '@parley/flow'
import type { BrowserContext } from 'playwright-core'
import { generateFlow } from './generate-flow.ts'

const SIZES = [10, 1000]
const WARMUP = 1
const RUNS = 7

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

async function saveFlow(context: BrowserContext, baseUrl: string, csrf: string, size: number) {
  // Parsed first, so every config carries its defaults as a document saved by the editor does.
  const parsed = parseFlowDocument({ ...generateFlow(size), name: `Generated ${size}` })
  if (!parsed.ok) throw new Error(`generated flow does not parse: ${JSON.stringify(parsed.issues)}`)
  const doc = parsed.doc
  const headers = { 'X-CSRF-Token': csrf }
  const created = await context.request.post(`${baseUrl}/api/flows`, { data: { name: doc.name }, headers })
  if (!created.ok()) throw new Error(`create flow: ${created.status()} ${await created.text()}`)
  const { id } = (await created.json()) as { id: string }
  const saved = await context.request.put(`${baseUrl}/api/flows/${id}`, {
    data: { name: doc.name, document: doc },
    headers,
  })
  if (!saved.ok()) throw new Error(`save flow: ${saved.status()} ${await saved.text()}`)
  return { id, nodes: doc.nodes.length, edges: doc.edges.length }
}

/** One load: navigation → first node drawn → a pan on empty canvas moves the viewport. */
async function measureLoad(context: BrowserContext, url: string) {
  const page = await context.newPage()
  try {
    const started = performance.now()
    await page.goto(url)
    await page.locator('.react-flow__node').first().waitFor({ timeout: 60_000 })
    const firstNode = performance.now() - started
    const viewport = page.locator('.react-flow__viewport')
    for (;;) {
      const before = await viewport.getAttribute('style')
      // A point on the pane itself (not on a card), near the canvas's left edge.
      const point = await page.evaluate(() => {
        const pane = document.querySelector('.react-flow__pane')?.getBoundingClientRect()
        if (!pane) return null
        for (let y = pane.top + pane.height / 2; y < pane.bottom - 20; y += 40) {
          const x = pane.left + 40
          if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y }
        }
        return null
      })
      if (point) {
        await page.mouse.move(point.x, point.y)
        await page.mouse.down()
        await page.mouse.move(point.x + 120, point.y + 80, { steps: 4 })
        await page.mouse.up()
        const moved = await page
          .waitForFunction(
            (previous) => document.querySelector('.react-flow__viewport')?.getAttribute('style') !== previous,
            before,
            { timeout: 200, polling: 'raf' },
          )
          .then(
            () => true,
            () => false,
          )
        if (moved) return { firstNode, interactive: performance.now() - started }
      }
      if (performance.now() - started > 60_000) throw new Error('the canvas never became interactive')
    }
  } finally {
    await page.close()
  }
}

/** Every emitted .js / .css file, and whether index.html loads it up front (the rest: lazy chunks, the worker). */
function bundleSize() {
  const assets = join(EDITOR_DIST, 'assets')
  const html = readFileSync(join(EDITOR_DIST, 'index.html'), 'utf8')
  const files = readdirSync(assets)
    .filter((file) => file.endsWith('.js') || file.endsWith('.css'))
    .sort()
    .map((file) => {
      const bytes = readFileSync(join(assets, file))
      return {
        file,
        upFront: html.includes(`/assets/${file}`),
        raw: bytes.length,
        gzip: gzipSync(bytes).length,
      }
    })
  const sum = (rows: typeof files) => ({
    raw: rows.reduce((n, r) => n + r.raw, 0),
    gzip: rows.reduce((n, r) => n + r.gzip, 0),
  })
  return { files, upFront: sum(files.filter((f) => f.upFront)), total: sum(files) }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`

// E2E_BASE_URL measures an instance that is already running (seeded with the e2e demo password) instead.
const external = process.env.E2E_BASE_URL?.replace(/\/$/, '')
const runtime = external ? { baseUrl: external, stop: async () => {} } : await startRuntime()
const browser = await launchChromium()
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  const signIn = await context.request.post(`${runtime.baseUrl}/api/auth/sign-in`, {
    data: { email: DEMO_OWNER_EMAIL, password: DEMO_PASSWORD },
  })
  if (!signIn.ok()) throw new Error(`sign in: ${signIn.status()} ${await signIn.text()}`)
  const { csrfToken } = (await signIn.json()) as { csrfToken: string }

  console.log(`Editor load (Chromium headless, ${cpus().length} cores, Node ${process.version})`)
  console.log(`median of ${RUNS} runs after ${WARMUP} warm-up; times from navigation, in ms\n`)
  console.log('| flow                      | first node drawn | interactive (first pan) | runs (interactive)')
  console.log('| ------------------------- | ---------------: | ----------------------: | ------------------')
  const medians: number[] = []
  for (const size of SIZES) {
    const flow = await saveFlow(context, runtime.baseUrl, csrfToken, size)
    const url = `${runtime.baseUrl}/#/flows/${flow.id}`
    for (let i = 0; i < WARMUP; i++) await measureLoad(context, url)
    const runs = []
    for (let i = 0; i < RUNS; i++) runs.push(await measureLoad(context, url))
    const interactive = median(runs.map((r) => r.interactive))
    medians.push(interactive)
    const label = `${flow.nodes.toLocaleString('en')} nodes / ${flow.edges.toLocaleString('en')} edges`
    console.log(
      `| ${label.padEnd(25)} | ${median(runs.map((r) => r.firstNode))
        .toFixed(0)
        .padStart(
          16,
        )} | ${interactive.toFixed(0).padStart(23)} | ${runs.map((r) => r.interactive.toFixed(0)).join(', ')}`,
    )
  }
  console.log(`\nratio ${SIZES.at(-1)} / ${SIZES[0]} nodes: ${(medians.at(-1)! / medians[0]!).toFixed(1)}×`)
  console.log(
    `goal: 1,000 nodes interactive within 2,000 ms → ${medians.at(-1)! < 2000 ? 'met' : 'NOT met'}\n`,
  )

  const size = bundleSize()
  console.log('Editor production bundle (apps/editor/dist/assets; gzip by node:zlib, default level)\n')
  console.log('| file                                | loaded   | raw        | gzip       |')
  console.log('| ----------------------------------- | -------- | ---------: | ---------: |')
  const row = (name: string, loaded: string, raw: number, gzip: number) =>
    console.log(
      `| ${name.padEnd(35)} | ${loaded.padEnd(8)} | ${kb(raw).padStart(10)} | ${kb(gzip).padStart(10)} |`,
    )
  for (const f of size.files) row(f.file, f.upFront ? 'up front' : 'later', f.raw, f.gzip)
  row('up front (index.html)', '', size.upFront.raw, size.upFront.gzip)
  row('all files', '', size.total.raw, size.total.gzip)
} finally {
  await browser.close()
  await runtime.stop()
}
