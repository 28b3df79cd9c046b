// Looks at the built editor as a person would: serves dist/ with `vite preview`, mocks the runtime's API
// in the browser (page.route) and saves screenshots of each screen to screenshots/.
// Run: pnpm build && tsx scripts/screenshots.ts
import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FlowDetail, FlowSummary, FlowVersion } from '@parley/api'
import { starterFlows } from '@parley/flow'
import { chromium, type Page, type Route } from 'playwright-core'

const PORT = 4179
const BASE = `http://127.0.0.1:${PORT}`
const OUT = new URL('../screenshots/', import.meta.url).pathname
mkdirSync(OUT, { recursive: true })

const now = () => new Date().toISOString()
const session = {
  user: {
    id: '00000000-0000-4000-8000-000000000001',
    email: 'owner@north-thread.example',
    name: 'Ada',
    role: 'owner',
  },
  merchant: { id: '00000000-0000-4000-8000-000000000002', name: 'North Thread' },
  csrfToken: 'csrf',
  expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
}

let signedIn = false
let seq = 10
const flows = new Map<string, FlowDetail>()
const versions = new Map<string, FlowVersion[]>()
function uuid() {
  seq += 1
  return `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`
}
function addFlow(doc: unknown, name: string, published: number | null, ageMs: number) {
  const id = uuid()
  flows.set(id, {
    id,
    name,
    status: published ? 'published' : 'draft',
    publishedVersion: published,
    hasUnpublishedChanges: false,
    triggerKinds: [],
    paused: false,
    createdAt: new Date(Date.now() - ageMs).toISOString(),
    updatedAt: new Date(Date.now() - ageMs).toISOString(),
    document: structuredClone(doc) as Record<string, unknown>,
  })
  versions.set(
    id,
    Array.from({ length: published ?? 0 }, (_, i) => ({
      id: uuid(),
      version: i + 1,
      publishedAt: new Date(Date.now() - ageMs - (3 - i) * 86_400_000).toISOString(),
      publishedBy: null,
      publishedByName: 'Demo owner',
      triggerKinds: [],
      live: i + 1 === published,
    })),
  )
  return id
}
const cartId = addFlow(starterFlows[0]!.doc, 'Abandoned cart recovery', 3, 3_600_000)
addFlow(starterFlows[1]!.doc, 'Where is my order?', 1, 86_400_000 * 2)
const blankId = addFlow(
  { version: 1, name: 'Spring launch', nodes: [], edges: [] },
  'Spring launch',
  null,
  600_000,
)

function summary(f: FlowDetail): FlowSummary {
  const { document: _d, ...rest } = f
  return rest
}

async function handle(route: Route) {
  const req = route.request()
  const url = new URL(req.url())
  const path = url.pathname
  const json = (status: number, body: unknown) =>
    route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) })
  if (path === '/api/auth/session')
    return signedIn ? json(200, session) : json(401, { error: { code: 'unauthorized', message: 'Sign in' } })
  if (path === '/api/auth/sign-in') {
    signedIn = true
    return json(200, session)
  }
  if (path === '/api/starter-flows') {
    return json(200, {
      starterFlows: starterFlows.map((s) => ({ id: s.id, name: s.title, description: s.description })),
    })
  }
  if (path === '/api/flows' && req.method() === 'GET')
    return json(200, { flows: [...flows.values()].map(summary) })
  const m = /^\/api\/flows\/([^/]+)(?:\/(\w+))?/.exec(path)
  const flow = m ? flows.get(m[1]!) : undefined
  if (m && !flow) return json(404, { error: { code: 'not_found', message: 'Not found' } })
  if (flow && !m![2] && req.method() === 'GET') return json(200, flow)
  if (flow && !m![2] && req.method() === 'PUT') {
    const body = req.postDataJSON() as { name: string; document: Record<string, unknown> }
    Object.assign(flow, {
      name: body.name,
      document: body.document,
      updatedAt: now(),
      hasUnpublishedChanges: true,
    })
    return json(200, flow)
  }
  if (flow && m![2] === 'versions') return json(200, { versions: versions.get(flow.id) ?? [] })
  if (flow && m![2] === 'publish') {
    const list = versions.get(flow.id) ?? []
    for (const v of list) v.live = false
    const version: FlowVersion = {
      id: uuid(),
      version: list.length + 1,
      publishedAt: now(),
      publishedBy: null,
      publishedByName: 'Demo owner',
      triggerKinds: [],
      live: true,
    }
    list.push(version)
    versions.set(flow.id, list)
    Object.assign(flow, {
      publishedVersion: version.version,
      status: 'published',
      hasUnpublishedChanges: false,
    })
    return json(200, { flow: summary(flow), version, overlaps: [] })
  }
  if (flow && m![2] === 'validate') return json(200, { ok: true, issues: [], overlaps: [], analysis: null })
  return json(404, { error: { code: 'not_found', message: `No mock for ${req.method()} ${path}` } })
}

async function shot(page: Page, name: string) {
  await sleep(350)
  await page.screenshot({ path: `${OUT}${name}.png` })
  console.log(`saved ${OUT}${name}.png`)
}

const server = spawn(
  'npx',
  ['vite', 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'],
  {
    cwd: new URL('..', import.meta.url).pathname,
    stdio: 'ignore',
  },
)
try {
  for (let i = 0; i < 50; i++) {
    try {
      if ((await fetch(BASE)).ok) break
    } catch {}
    await sleep(200)
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-gpu',
    ],
  })
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  page.on('pageerror', (e) =>
    console.error('page error:', e.message, e.stack?.split('\n').slice(0, 6).join('\n')),
  )
  page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text().slice(0, 800)))
  await page.route('**/api/**', handle)
  await page.route('https://picsum.photos/**', (r) => r.fulfill({ status: 404 }))

  await page.goto(BASE)
  await page.getByRole('button', { name: 'Sign in' }).waitFor()
  await shot(page, '01-sign-in')
  await page.getByLabel('Email').fill('owner@north-thread.example')
  await page.getByLabel('Password').fill('secret')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByText('Abandoned cart recovery').waitFor()
  await shot(page, '02-flows')
  await page.getByRole('button', { name: 'New flow' }).click()
  await page.getByText('Or start from a template').waitFor()
  await shot(page, '03-new-flow')
  await page.keyboard.press('Escape')
  await page.goto(`${BASE}/#/flows/${cartId}`)
  await page.locator('.react-flow__node').first().waitFor()
  await shot(page, '04-editor')

  await page.locator('[data-testid="node-reminder"]').click()
  await shot(page, '05-inspector-send-message')

  // Drag a Delay from the palette onto the canvas, connect nothing: validation shows it.
  await page
    .locator('[data-kind="delay"]')
    .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: 700, y: 300 } })
  await sleep(600)
  await shot(page, '06-dropped-delay')
  await page.getByRole('button', { name: 'Publish' }).click()
  await shot(page, '07-publish-refused')
  await page.getByRole('button', { name: 'Dismiss' }).click()
  // The issues list selects and centres the step it is about; Delete removes it.
  await page.locator('.issues-toggle').click()
  await page.locator('.issue.error').first().click()
  await shot(page, '07b-issue-focused')
  await page.keyboard.press('Delete')
  await sleep(800)
  await page.getByRole('button', { name: 'Publish' }).click()
  await page.getByText(/Published v\d/).waitFor()
  await shot(page, '08-published')
  await page.getByRole('button', { name: 'Dismiss' }).click()

  await page.getByRole('tab', { name: 'Simulator' }).click()
  await page.getByRole('button', { name: 'Start', exact: true }).click()
  await shot(page, '09a-simulator-started')
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Skip to next timer' }).click()
  await shot(page, '09-simulator')
  await page.getByRole('button', { name: 'Order placed' }).click()
  await shot(page, '10-simulator-recovered')

  await page.getByRole('tab', { name: 'History' }).click()
  await sleep(300)
  await shot(page, '11-history')
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click()
  await shot(page, '12-help')

  // A blank flow: the canvas explains where to start.
  await page.goto(`${BASE}/#/flows/${blankId}`)
  await page.getByText('Start with a trigger').waitFor()
  await shot(page, '13-blank-flow')
  await browser.close()
} finally {
  server.kill()
}
