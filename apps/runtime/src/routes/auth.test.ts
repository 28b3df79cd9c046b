import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { digestToken } from '../security/signatures.ts'
import { snapshotDatabase } from '../testing/db-snapshot.ts'
import { signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../testing/test-deps.ts'

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR

describe.each(testDatabases())('auth on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
  })
  afterAll(() => t.close())

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })

  it('signs in: httpOnly SameSite=Lax cookie, session with CSRF token, only the token hash stored', async () => {
    const m = await seedMerchant(t.deps.db, { name: 'Acme' })
    const res = await post('/api/auth/sign-in', { email: m.email.toUpperCase(), password: m.password })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^parley_session=[0-9a-f-]{36}\.[A-Za-z0-9_-]+;/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    expect(cookie).not.toContain('Secure')
    const body = (await res.json()) as {
      user: { role: string }
      merchant: { name: string }
      csrfToken: string
    }
    expect(body.user.role).toBe('owner')
    expect(body.merchant.name).toBe('Acme')
    const token = cookie.split(';')[0]!.split('.')[1]!
    const rows = await t.deps.db
      .selectFrom('sessions')
      .selectAll()
      .where('merchant_id', '=', m.merchantId)
      .execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]!.token_hash).toBe(digestToken(token))
    expect(rows[0]!.csrf_token).toBe(body.csrfToken)
  })

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const secureApp = createApp({
      ...t.deps,
      config: { ...t.deps.config, PUBLIC_URL: 'https://chat.example.com' },
    })
    const m = await seedMerchant(t.deps.db)
    const res = await secureApp.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: m.email, password: m.password }),
    })
    expect(res.headers.get('set-cookie')).toContain('Secure')
  })

  it('refuses a wrong password and an unknown email alike, at a similar cost', async () => {
    const m = await seedMerchant(t.deps.db)
    const time = async (body: unknown) => {
      const started = performance.now()
      const res = await post('/api/auth/sign-in', body)
      return { res, ms: performance.now() - started }
    }
    const wrong = await time({ email: m.email, password: 'wrong password' })
    const unknown = await time({ email: 'nobody@test.parley.dev', password: 'wrong password' })
    expect(wrong.res.status).toBe(401)
    expect(unknown.res.status).toBe(401)
    const [a, b] = [await wrong.res.json(), await unknown.res.json()]
    expect(a).toEqual({ error: { code: 'unauthorized', message: 'Wrong email or password' } })
    expect(b).toEqual(a)
    // Both pay one scrypt; an unknown email must not answer in a fraction of the time.
    const wrongMs = Math.min(wrong.ms, (await time({ email: m.email, password: 'x' })).ms)
    const unknownMs = Math.max(
      unknown.ms,
      (await time({ email: 'nobody2@test.parley.dev', password: 'x' })).ms,
    )
    expect(unknownMs).toBeGreaterThan(wrongMs * 0.4)
  })

  it('refuses disabled users', async () => {
    const m = await seedMerchant(t.deps.db)
    await t.deps.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', m.userId).execute()
    expect((await post('/api/auth/sign-in', { email: m.email, password: m.password })).status).toBe(401)
  })

  it('returns the session and its CSRF token; 401 without or with a forged cookie', async () => {
    const m = await seedMerchant(t.deps.db)
    const other = await seedMerchant(t.deps.db)
    const s = await signIn(app, m)
    const res = await app.request('/api/auth/session', { headers: s.read })
    expect(res.status).toBe(200)
    const session = (await res.json()) as {
      csrfToken: string
      user: { email: string }
      merchant: { id: string }
    }
    expect(session.csrfToken).toBe(s.csrfToken)
    expect(session.user.email).toBe(m.email)
    expect(session.merchant.id).toBe(m.merchantId)

    expect((await app.request('/api/auth/session')).status).toBe(401)
    const forged = [
      'parley_session=garbage',
      `parley_session=${m.merchantId}.${'a'.repeat(43)}`,
      // The right token under another merchant's id names nothing.
      s.cookie.replace(m.merchantId, other.merchantId),
    ]
    for (const cookie of forged) {
      const r = await app.request('/api/auth/session', { headers: { cookie } })
      expect(r.status).toBe(401)
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    }
  })

  it('refuses mutations without the CSRF header, or with a wrong one, and writes nothing', async () => {
    const m = await seedMerchant(t.deps.db)
    const s = await signIn(app, m)
    const before = await snapshotDatabase(t.deps.db)
    for (const csrf of [undefined, 'wrong-token', `${s.csrfToken}x`]) {
      const res = await app.request('/api/flows', {
        method: 'POST',
        headers: {
          cookie: s.cookie,
          'content-type': 'application/json',
          ...(csrf ? { 'x-csrf-token': csrf } : {}),
        },
        body: JSON.stringify({ name: 'Sneaky' }),
      })
      expect(res.status).toBe(403)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('csrf_failed')
    }
    expect(await snapshotDatabase(t.deps.db)).toEqual(before)
    const ok = await app.request('/api/flows', {
      method: 'POST',
      headers: s.write,
      body: JSON.stringify({ name: 'Fine' }),
    })
    expect(ok.status).toBe(201)
  })

  it('signs out (with CSRF): the session row goes and the cookie is cleared', async () => {
    const m = await seedMerchant(t.deps.db)
    const s = await signIn(app, m)
    expect((await app.request('/api/auth/sign-out', { method: 'POST', headers: s.read })).status).toBe(403)
    const res = await app.request('/api/auth/sign-out', { method: 'POST', headers: s.write })
    expect(res.status).toBe(204)
    expect(res.headers.get('set-cookie')).toMatch(/parley_session=;.*Max-Age=0/)
    expect((await app.request('/api/auth/session', { headers: s.read })).status).toBe(401)
    const rows = await t.deps.db
      .selectFrom('sessions')
      .select('id')
      .where('merchant_id', '=', m.merchantId)
      .execute()
    expect(rows).toHaveLength(0)
  })

  it('slides the 14-day expiry on use (at most hourly) and ends idle sessions', async () => {
    const m = await seedMerchant(t.deps.db)
    const s = await signIn(app, m)
    const first = (await (await app.request('/api/auth/session', { headers: s.read })).json()) as {
      expiresAt: string
    }
    t.clock.advance(10 * DAY)
    const slid = await app.request('/api/auth/session', { headers: s.read })
    expect(slid.status).toBe(200)
    expect(slid.headers.get('set-cookie')).toContain('parley_session=')
    // Within the hour: no write, no new cookie; the slid expiry shows.
    t.clock.advance(10 * 60 * 1000)
    const quiet = await app.request('/api/auth/session', { headers: s.read })
    expect(quiet.headers.get('set-cookie')).toBeNull()
    const second = (await quiet.json()) as { expiresAt: string }
    expect(Date.parse(second.expiresAt) - Date.parse(first.expiresAt)).toBe(10 * DAY)
    t.clock.advance(15 * DAY)
    expect((await app.request('/api/auth/session', { headers: s.read })).status).toBe(401)
  })

  it('signs in the right merchant when an email is staff at two merchants', async () => {
    const a = await seedMerchant(t.deps.db, { name: 'A' })
    const b = await seedMerchant(t.deps.db, { name: 'B' })
    await seedUser(t.deps.db, b.merchantId, { email: a.email, password: 'another password', role: 'agent' })
    const asA = (await (
      await post('/api/auth/sign-in', { email: a.email, password: a.password })
    ).json()) as {
      merchant: { id: string }
    }
    expect(asA.merchant.id).toBe(a.merchantId)
    const asB = (await (
      await post('/api/auth/sign-in', { email: a.email, password: 'another password' })
    ).json()) as {
      merchant: { id: string }
      user: { role: string }
    }
    expect(asB.merchant.id).toBe(b.merchantId)
    expect(asB.user.role).toBe('agent')
  })
})
