// What the editor-load benches share: saving a generated flow through the runtime's API, and one load of the
// editor measured from navigation to the first pan that moves the viewport.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseFlowDocument } from '@parley/flow'
import type { BrowserContext, Page } from 'playwright-core'
import { generateFlow } from './generate-flow.ts'

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export async function saveFlow(context: BrowserContext, baseUrl: string, csrf: string, size: number) {
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
export async function measureLoad(
  context: BrowserContext,
  url: string,
  /** Called with the page before navigation (e.g. to start a profiler), once the first node shows, after the first pan. */
  hooks: {
    before?(page: Page): Promise<void>
    drawn?(page: Page): Promise<void>
    after?(page: Page): Promise<void>
  } = {},
) {
  const page = await context.newPage()
  try {
    await hooks.before?.(page)
    const started = performance.now()
    await page.goto(url)
    await page.locator('.react-flow__node').first().waitFor({ timeout: 60_000 })
    const firstNode = performance.now() - started
    await hooks.drawn?.(page)
    const viewport = page.locator('.react-flow__viewport')
    // A drag that does not move the viewport (the canvas was still re-rendering, re-framing or measuring) is
    // lost for a user too, so how many a load needed is reported beside its time.
    let drags = 0
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
        drags += 1
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
        if (moved) {
          const interactive = performance.now() - started
          await hooks.after?.(page)
          return { firstNode, interactive, drags }
        }
      }
      if (performance.now() - started > 60_000) throw new Error('the canvas never became interactive')
    }
  } finally {
    await page.close()
  }
}

/**
 * The same-run baseline: a static page holding one box on a pannable pane, served from loopback, measured with
 * `measureLoad` exactly as the editor is. It is what Chromium and the harness cost on this machine for
 * "navigate, draw a node, answer a drag" with no app at all, so the editor's own share is what lies above it.
 */
export async function startBaselinePage(): Promise<{ url: string; close(): Promise<void> }> {
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>
  html, body { margin: 0; height: 100%; } .react-flow__pane { position: fixed; inset: 0; }
  .react-flow__node { position: absolute; left: 600px; top: 400px; width: 260px; height: 80px; border: 1px solid; }
</style></head><body><div class="react-flow__pane"><div class="react-flow__viewport" style="transform: translate(0px, 0px)">
<div class="react-flow__node">Trigger</div></div></div><script>
  const pane = document.querySelector('.react-flow__pane'), viewport = document.querySelector('.react-flow__viewport')
  let from = null
  pane.addEventListener('pointerdown', (e) => { from = { x: e.clientX, y: e.clientY } })
  pane.addEventListener('pointermove', (e) => {
    if (from) viewport.style.transform = 'translate(' + (e.clientX - from.x) + 'px, ' + (e.clientY - from.y) + 'px)'
  })
  pane.addEventListener('pointerup', () => { from = null })
</script></body></html>`
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' })
    res.end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
