import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import type { AppEnv } from '../http/app-env.ts'
import { staticFileRoutes } from './static-files.ts'

const dir = mkdtempSync(join(tmpdir(), 'parley-static-'))
writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>')
writeFileSync(join(dir, 'app.js'), 'console.log(1)')
mkdirSync(join(dir, 'assets'))
writeFileSync(join(dir, 'assets', 'index-D_1fWzFK.js'), 'console.log(2)')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function appWith(staticDir?: string) {
  const app = new Hono<AppEnv>()
  app.get('/api/known', (c) => c.json({ ok: true }))
  app.route('/', staticFileRoutes({ config: loadConfig({ NODE_ENV: 'test', STATIC_DIR: staticDir }) }))
  app.notFound((c) => c.json({ error: { code: 'not_found' } }, 404))
  return app
}

describe('static files', () => {
  const app = appWith(dir)

  it('serves files from STATIC_DIR and the SPA index for page paths', async () => {
    expect(await (await app.request('/app.js')).text()).toBe('console.log(1)')
    for (const path of ['/', '/flows/123', '/inbox']) {
      const res = await app.request(path)
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('<div id="root">')
    }
  })

  it('lets browsers keep hashed assets for good and asks again for index.html and unhashed files', async () => {
    const asset = await app.request('/assets/index-D_1fWzFK.js')
    expect(await asset.text()).toBe('console.log(2)')
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    for (const path of ['/', '/index.html', '/app.js', '/flows/123']) {
      expect((await app.request(path)).headers.get('cache-control'), path).toBe('no-cache')
    }
  })

  it('keeps API paths and missing assets as 404s', async () => {
    expect((await app.request('/api/known')).status).toBe(200)
    for (const path of ['/api/nope', '/webhooks/x', '/missing.js', '/demo/x']) {
      const res = await app.request(path)
      expect(res.status, path).toBe(404)
      expect(res.headers.get('content-type')).toContain('application/json')
    }
  })

  it('serves no SPA without STATIC_DIR', async () => {
    expect((await appWith().request('/flows/1')).status).toBe(404)
  })

  it('serves /widget.js as JavaScript (or says how to build it)', async () => {
    const res = await app.request('/widget.js')
    expect(res.headers.get('content-type')).toContain('text/javascript')
    expect([200, 404]).toContain(res.status)
  })
})
