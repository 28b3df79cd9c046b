// /metrics: behind METRICS_TOKEN (Bearer) when one is set; without one, hidden (404) in production and open in
// development and tests.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { loadConfig } from '../config.ts'
import { productionConfig } from '../testing/production-config.ts'
import { createTestDeps, type TestDeps } from '../testing/test-deps.ts'

const TOKEN = 'metrics-token-0123456789abcdef'

describe.each(testDatabases())('/metrics on %s', (kind) => {
  let t: TestDeps
  beforeAll(async () => {
    t = await createTestDeps(kind)
  })
  afterAll(() => t?.close())

  it('answers 401 without the bearer token and 200 with it (production)', async () => {
    const app = createApp({ ...t.deps, config: productionConfig({ METRICS_TOKEN: TOKEN }) })
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', TOKEN, `Basic ${TOKEN}`]) {
      const res = await app.request('/metrics', authorization ? { headers: { authorization } } : {})
      expect(res.status, String(authorization)).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"')
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    }
    const res = await app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('# TYPE parley_http_requests_total counter')
  })

  it('is 404 in production without METRICS_TOKEN, and open in development and tests', async () => {
    const hidden = createApp({ ...t.deps, config: productionConfig() })
    const res = await hidden.request('/metrics')
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found')
    const open = createApp({ ...t.deps, config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }) })
    expect((await open.request('/metrics')).status).toBe(200)
  })

  it('also asks for the token outside production when one is set', async () => {
    const app = createApp({ ...t.deps, config: loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: TOKEN }) })
    expect((await app.request('/metrics')).status).toBe(401)
  })
})
