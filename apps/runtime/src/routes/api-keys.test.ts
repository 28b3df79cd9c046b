import type { ApiKeyList, CreatedApiKey } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { requireApiKey } from '../http/api-key-auth.ts'
import { getTenant } from '../http/tenant.ts'
import { digestToken } from '../security/signatures.ts'
import { signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

describe.each(testDatabases())('API keys on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
    // A store-authenticated probe, the way POST /api/events uses requireApiKey.
    app.post('/test/store-probe', requireApiKey, (c) => c.json({ merchantId: getTenant(c) }))
    app.post('/test/store-probe-fails', requireApiKey, (c) => c.json({ nope: true }, 400))
  })
  afterAll(() => t.close())

  it('creates a key shown once, lists prefixes only, authenticates the store, and revokes', async () => {
    const m = await seedMerchant(t.deps.db)
    const owner = await signIn(app, m)
    const created = await app.request('/api/api-keys', {
      method: 'POST',
      headers: owner.write,
      body: JSON.stringify({ name: 'Shop' }),
    })
    expect(created.status).toBe(201)
    const { apiKey, key } = (await created.json()) as CreatedApiKey
    expect(key).toMatch(/^pk_live_[0-9a-f]{8}_[A-Za-z0-9_-]+$/)
    expect(key.startsWith(`${apiKey.prefix}_`)).toBe(true)
    const row = await t.deps.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', apiKey.id)
      .executeTakeFirstOrThrow()
    expect(row.key_hash).toBe(digestToken(key))
    expect(JSON.stringify(row)).not.toContain(key)

    const listed = (await (await app.request('/api/api-keys', { headers: owner.read })).json()) as ApiKeyList
    expect(listed.apiKeys).toEqual([{ ...apiKey }])
    expect(JSON.stringify(listed)).not.toContain(key.slice(apiKey.prefix.length + 1))

    const probe = (authorization?: string, path = '/test/store-probe') =>
      app.request(path, { method: 'POST', headers: authorization ? { authorization } : {} })
    const ok = await probe(`Bearer ${key}`)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ merchantId: m.merchantId })
    const used = await t.deps.db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('id', '=', apiKey.id)
      .executeTakeFirst()
    expect(used?.last_used_at).not.toBeNull()

    for (const bad of [undefined, key, `Bearer ${key}x`, 'Bearer pk_live_00000000_abc', `Basic ${key}`]) {
      const res = await probe(bad)
      expect(res.status).toBe(401)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    }

    const revoked = await app.request(`/api/api-keys/${apiKey.id}`, {
      method: 'DELETE',
      headers: owner.write,
    })
    expect(revoked.status).toBe(204)
    expect((await probe(`Bearer ${key}`)).status).toBe(401)
    const after = (await (await app.request('/api/api-keys', { headers: owner.read })).json()) as ApiKeyList
    expect(after.apiKeys[0]?.revokedAt).not.toBeNull()
  })

  it('does not mark a key used when the request fails', async () => {
    const m = await seedMerchant(t.deps.db)
    const owner = await signIn(app, m)
    const { apiKey, key } = (await (
      await app.request('/api/api-keys', {
        method: 'POST',
        headers: owner.write,
        body: JSON.stringify({ name: 'k' }),
      })
    ).json()) as CreatedApiKey
    const res = await app.request('/test/store-probe-fails', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
    })
    expect(res.status).toBe(400)
    const row = await t.deps.db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('id', '=', apiKey.id)
      .executeTakeFirst()
    expect(row?.last_used_at).toBeNull()
  })

  it("answers 404 when revoking another merchant's key", async () => {
    const a = await seedMerchant(t.deps.db)
    const b = await seedMerchant(t.deps.db)
    const ownerA = await signIn(app, a)
    const ownerB = await signIn(app, b)
    const { apiKey, key } = (await (
      await app.request('/api/api-keys', {
        method: 'POST',
        headers: ownerA.write,
        body: JSON.stringify({ name: 'k' }),
      })
    ).json()) as CreatedApiKey
    const res = await app.request(`/api/api-keys/${apiKey.id}`, { method: 'DELETE', headers: ownerB.write })
    expect(res.status).toBe(404)
    expect(
      (
        await app.request('/test/store-probe', {
          method: 'POST',
          headers: { authorization: `Bearer ${key}` },
        })
      ).status,
    ).toBe(200)
  })
})
