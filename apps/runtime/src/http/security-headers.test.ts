// Security headers as a browser sees them: the editor and the API cannot be framed and load only their own
// scripts; nosniff and a Referrer-Policy everywhere; the widget script and the web-chat API stay usable from
// merchants' sites; the dev-only demo store runs its one inline script by nonce.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { createChannel } from '../channels/testing/channel-fixtures.ts'
import { loadConfig } from '../config.ts'
import { seedDemo } from '../demo/seed.ts'
import { productionConfig } from '../testing/production-config.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

const dir = mkdtempSync(join(tmpdir(), 'parley-headers-'))
writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div><script src="/app.js"></script>')
writeFileSync(join(dir, 'app.js'), 'console.log(1)')
writeFileSync(join(dir, 'widget.js'), 'console.log("widget")')

function directives(csp: string | null): Map<string, string> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name as string, values.join(' ')]),
  )
}

describe('security headers', () => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  let channelId: string
  beforeAll(async () => {
    t = await createTestDeps('pglite')
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      STATIC_DIR: dir,
      WIDGET_FILE: join(dir, 'widget.js'),
    })
    t.deps.config = config
    app = createApp(t.deps)
    channelId = (await createChannel(t.deps.db, (await seedMerchant(t.deps.db)).merchantId, 'webchat')).id
  })
  afterAll(async () => {
    await t?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('forbids framing the editor and the API, and allows only same-origin scripts', async () => {
    for (const path of [
      '/',
      '/flows/123',
      '/app.js',
      '/api/auth/session',
      '/api/flows',
      '/healthz',
      '/nope',
    ]) {
      const res = await app.request(path)
      const csp = directives(res.headers.get('content-security-policy'))
      expect(csp.get('frame-ancestors'), path).toBe("'none'")
      expect(csp.get('script-src'), path).toBe("'self'")
      expect(csp.get('object-src'), path).toBe("'none'")
      expect(res.headers.get('x-frame-options'), path).toBe('DENY')
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin')
      expect(res.headers.get('cross-origin-resource-policy'), path).toBe('same-origin')
    }
  })

  it('keeps the widget script and the web-chat API loadable from merchants’ sites', async () => {
    const widget = await app.request('/widget.js')
    expect(widget.status).toBe(200)
    expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    expect(widget.headers.get('access-control-allow-origin')).toBe('*')
    expect(widget.headers.get('x-content-type-options')).toBe('nosniff')
    expect(widget.headers.get('content-type')).toContain('text/javascript')

    const session = await app.request(`/api/webchat/${channelId}/session`, {
      method: 'POST',
      headers: { origin: 'https://shop.example' },
    })
    expect(session.status).toBe(201)
    expect(session.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(session.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    expect(session.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('sends HSTS only in production', async () => {
    expect((await app.request('/healthz')).headers.get('strict-transport-security')).toBeNull()
    const production = createApp({ ...t.deps, config: productionConfig() })
    expect((await production.request('/healthz')).headers.get('strict-transport-security')).toContain(
      'max-age=31536000',
    )
  })

  it('lets the demo store run its inline script by a fresh nonce, and nothing else inline', async () => {
    await seedDemo(t.deps.db, { password: 'demo-password-123' })
    const first = await app.request('/demo')
    expect(first.status).toBe(200)
    const scriptSrc = directives(first.headers.get('content-security-policy')).get('script-src') ?? ''
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1]
    expect(nonce).toBeTruthy()
    expect(scriptSrc).not.toContain('unsafe-inline')
    expect(await first.text()).toContain(`<script nonce="${nonce}">`)
    const second = await app.request('/demo')
    expect(second.headers.get('content-security-policy')).not.toContain(`'nonce-${nonce}'`)
    expect(directives(second.headers.get('content-security-policy')).get('frame-ancestors')).toBe("'none'")
  })
})
