// The session cookie in production: __Host- prefixed and Secure whatever PUBLIC_URL says (plain http included,
// as when TLS ends at a proxy); the prefixed cookie is the one read back.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { productionConfig } from '../testing/production-config.ts'
import { signIn } from '../testing/sign-in.ts'
import { createTestDeps, type SeededMerchant, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

describe.each(testDatabases())('session cookie on %s', (kind) => {
  let t: TestDeps
  let owner: SeededMerchant
  beforeAll(async () => {
    t = await createTestDeps(kind)
    owner = await seedMerchant(t.deps.db)
  })
  afterAll(() => t?.close())

  for (const publicUrl of [undefined, 'http://parley.internal:3000']) {
    it(`is __Host-parley_session and Secure in production (PUBLIC_URL ${publicUrl ?? 'unset'})`, async () => {
      const config = productionConfig(publicUrl ? { PUBLIC_URL: publicUrl } : {})
      const app = createApp({ ...t.deps, config })
      const res = await app.request('/api/auth/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: owner.email, password: owner.password }),
      })
      expect(res.status).toBe(200)
      const cookie = res.headers.get('set-cookie') ?? ''
      expect(cookie).toMatch(/^__Host-parley_session=[^;]+;/)
      expect(cookie).toMatch(/; Secure/)
      expect(cookie).toMatch(/; Path=\//)
      expect(cookie).toMatch(/; HttpOnly/)
      expect(cookie).not.toMatch(/Domain=/i)

      const pair = cookie.split(';')[0] ?? ''
      expect((await app.request('/api/auth/session', { headers: { cookie: pair } })).status).toBe(200)
      // The unprefixed name (settable by a sibling subdomain or over http) is not a session in production.
      const unprefixed = pair.replace('__Host-', '')
      expect((await app.request('/api/auth/session', { headers: { cookie: unprefixed } })).status).toBe(401)
    })
  }

  it('stays parley_session, Secure only behind https, outside production', async () => {
    const app = createApp(t.deps)
    const signed = await signIn(app, owner)
    expect(signed.cookie).toMatch(/^parley_session=/)
  })
})
