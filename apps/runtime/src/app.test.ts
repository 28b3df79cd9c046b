import { SERVER_TIME_HEADER } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from './app.ts'
import { createTestDeps, type TestDeps } from './testing/test-deps.ts'

describe.each(testDatabases())('app on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
  })
  afterAll(() => t.close())

  it('answers /healthz with a database ping', async () => {
    const res = await app.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, database: 'up' })
    expect(res.headers.get('x-request-id')).toBeTruthy()
  })

  it('serves Prometheus text on /metrics, counting requests', async () => {
    await app.request('/healthz')
    const res = await app.request('/metrics')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(text).toContain('# TYPE parley_http_requests_total counter')
    expect(text).toMatch(/parley_http_requests_total\{method="GET",status="2xx"\} \d+/)
  })

  it("tells the editor the runtime's clock on every staff API answer, errors included, not the shoppers' web chat", async () => {
    t.clock.set(Date.parse('2026-12-04T09:30:00Z'))
    for (const path of ['/api/auth/session', '/api/flows', '/api/no-such-thing']) {
      const res = await app.request(path)
      expect(res.headers.get(SERVER_TIME_HEADER)).toBe(String(Date.parse('2026-12-04T09:30:00Z')))
    }
    expect((await app.request('/healthz')).headers.get(SERVER_TIME_HEADER)).toBeNull()
    const webchat = await app.request('/api/webchat/00000000-0000-4000-8000-000000000000/session', {
      method: 'POST',
    })
    expect(webchat.status).toBeGreaterThanOrEqual(400)
    expect(webchat.headers.get(SERVER_TIME_HEADER)).toBeNull()
  })

  it('answers unknown routes with the JSON 404', async () => {
    const res = await app.request('/nope')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No such route' } })
  })

  it('publishes /openapi.json generated from the route schemas', async () => {
    const res = await app.request('/openapi.json')
    expect(res.status).toBe(200)
    const doc = (await res.json()) as {
      openapi: string
      paths: Record<string, Record<string, unknown>>
      components: { schemas: Record<string, unknown> }
    }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/metrics',
        '/api/auth/sign-in',
        '/api/flows/{id}/publish',
        '/api/api-keys',
      ]),
    )
    // The request and response schemas come from @parley/api, registered under their ids.
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'SignInRequest',
        'Session',
        'FlowSummary',
        'FlowDetail',
        'UpdateFlowRequest',
        'Error',
      ]),
    )
    expect(doc.paths['/api/flows/{id}']).toHaveProperty('put')
  })
})
