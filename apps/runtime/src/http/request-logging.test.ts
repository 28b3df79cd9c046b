// Through the whole app: every line logged while a request is handled carries that request's id (the response's
// X-Request-Id), and no password, session cookie, CSRF token, visitor token or shopper's message text is logged.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { createChannel } from '../channels/testing/channel-fixtures.ts'
import { createLogger } from '../observability/logger.ts'
import { signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

describe.each(testDatabases())('request logging on %s', (kind) => {
  let t: TestDeps
  const chunks: string[] = []
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)

  beforeAll(async () => {
    const logger = createLogger('debug', { destination: { write: (line: string) => void chunks.push(line) } })
    t = await createTestDeps(kind, { logger })
  })
  afterAll(() => t?.close())

  it('tags request lines with the request id and keeps secrets and message text out', async () => {
    const app = createApp(t.deps)
    const seeded = await seedMerchant(t.deps.db, { password: 'pw-Zebra-Quartz-77' })
    const channel = await createChannel(t.deps.db, seeded.merchantId, 'webchat')
    const owner = await signIn(app, seeded)
    const flows = await app.request('/api/flows', { headers: owner.read })
    expect(flows.status).toBe(200)
    const session = await app.request(`/api/webchat/${channel.id}/session`, { method: 'POST' })
    const { token } = (await session.json()) as { token: string }
    const text = 'Ship it to 221B Baker Street'
    const sent = await app.request(`/api/webchat/${channel.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ clientMessageId: 'log-1', text }),
    })
    expect(sent.status).toBe(202)
    const missing = await app.request('/api/no-such-route', { headers: { cookie: owner.cookie } })
    expect(missing.status).toBe(404)

    const requestLines = lines().filter((l) => l.msg === 'http request')
    expect(requestLines.map((l) => l.path)).toEqual([
      '/api/auth/sign-in',
      '/api/flows',
      `/api/webchat/${channel.id}/session`,
      `/api/webchat/${channel.id}/messages`,
      '/api/no-such-route',
    ])
    // The id logged is the one the client was given.
    expect(requestLines[1]?.requestId).toBe(flows.headers.get('x-request-id'))
    expect(requestLines[3]?.requestId).toBe(sent.headers.get('x-request-id'))
    for (const line of lines()) expect(line.requestId, String(line.msg)).toEqual(expect.any(String))

    const out = chunks.join('')
    const sessionValue = owner.cookie.split('=')[1] ?? ''
    expect(sessionValue.length).toBeGreaterThan(10)
    for (const secret of ['pw-Zebra-Quartz-77', sessionValue, owner.csrfToken, token, 'Baker Street']) {
      expect(out).not.toContain(secret)
    }
  })
})
