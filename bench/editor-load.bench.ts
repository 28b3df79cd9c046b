// Editor load: a generated 1,000-node flow, saved through the API of the real runtime (which serves the built
// editor on the same port), opened in headless Chromium. Measures the time from navigation until the canvas is
// interactive, meaning the first pan responds: a mouse drag on empty canvas changes the viewport's transform.
// Two baselines in the same run: the 10-node flow (what the flow's size adds), and a static page with one box on a
// pannable pane (what Chromium and the harness cost on this machine with no app). Also reports the production bundle.
//   node --import tsx editor-load.bench.ts
import { readdirSync, readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { launchChromium } from '@parley/e2e/browser'
import { DEMO_OWNER_EMAIL, DEMO_PASSWORD, EDITOR_DIST, startRuntime } from '@parley/e2e/runtime-process'
import { measureLoad, median, saveFlow, startBaselinePage } from './editor-load-kit.ts'

const SIZES = [10, 1000]
const WARMUP = 1
const RUNS = 7

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

/** A load's time, with the drags it took when the first one did not move the viewport within 200 ms. */
const runLabel = (r: { interactive: number; drags: number }) =>
  `${r.interactive.toFixed(0)}${r.drags > 1 ? ` (${r.drags} drags)` : ''}`

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
  const baseline = await startBaselinePage()
  let baselineMedian: number
  try {
    for (let i = 0; i < WARMUP; i++) await measureLoad(context, baseline.url)
    const runs = []
    for (let i = 0; i < RUNS; i++) runs.push(await measureLoad(context, baseline.url))
    baselineMedian = median(runs.map((r) => r.interactive))
    console.log(
      `| ${'static page, one box'.padEnd(25)} | ${median(runs.map((r) => r.firstNode))
        .toFixed(0)
        .padStart(16)} | ${baselineMedian.toFixed(0).padStart(23)} | ${runs.map(runLabel).join(', ')}`,
    )
  } finally {
    await baseline.close()
  }
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
        .padStart(16)} | ${interactive.toFixed(0).padStart(23)} | ${runs.map(runLabel).join(', ')}`,
    )
  }
  console.log(`\nratio ${SIZES.at(-1)} / ${SIZES[0]} nodes: ${(medians.at(-1)! / medians[0]!).toFixed(1)}×`)
  console.log(
    `ratio to the static page: ${SIZES.map((n, i) => `${n} nodes ${(medians[i]! / baselineMedian).toFixed(1)}×`).join(', ')}; ` +
      `the editor's own share of the ${SIZES.at(-1)}-node load: ${(medians.at(-1)! - baselineMedian).toFixed(0)} ms`,
  )
  console.log(
    `goal: 1,000 nodes interactive within 1,200 ms (on a quiet machine) → ${medians.at(-1)! <= 1200 ? 'met' : 'NOT met'}\n`,
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
