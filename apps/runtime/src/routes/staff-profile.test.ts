// GET/PUT /api/profile: each staff member sets how shoppers see them; the joined line uses it.
import type { StaffProfile } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { snapshotDatabase } from '../testing/db-snapshot.ts'
import { signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../testing/test-deps.ts'

describe.each(testDatabases())('staff profile on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
  })
  afterAll(() => t?.close())

  it("lets an agent set and clear their own display name and avatar, and no one else's", async () => {
    const merchant = await seedMerchant(t.deps.db)
    const agentUser = await seedUser(t.deps.db, merchant.merchantId, { role: 'agent' })
    const agent = await signIn(app, agentUser)
    const owner = await signIn(app, merchant)
    const get = async (who = agent) =>
      (await (await app.request('/api/profile', { headers: who.read })).json()) as StaffProfile
    const put = (body: unknown) =>
      app.request('/api/profile', { method: 'PUT', headers: agent.write, body: JSON.stringify(body) })

    expect(await get()).toEqual({ name: 'agent', displayName: null, avatarUrl: null, shownAs: 'agent' })
    const saved = await put({ displayName: '  Sam ', avatarUrl: 'https://cdn.example/sam.png' })
    expect(saved.status).toBe(200)
    expect(await saved.json()).toEqual({
      name: 'agent',
      displayName: 'Sam',
      avatarUrl: 'https://cdn.example/sam.png',
      shownAs: 'Sam',
    })
    // The owner's own profile is untouched.
    expect((await get(owner)).displayName).toBeNull()
    expect(await (await put({ displayName: '', avatarUrl: null })).json()).toMatchObject({
      displayName: null,
      avatarUrl: null,
      shownAs: 'agent',
    })
  })

  it('refuses a bad profile with a clear 4xx and writes nothing', async () => {
    const merchant = await seedMerchant(t.deps.db)
    const owner = await signIn(app, merchant)
    const before = await snapshotDatabase(t.deps.db)
    const put = (body: unknown, headers: Record<string, string> = owner.write) =>
      app.request('/api/profile', { method: 'PUT', headers, body: JSON.stringify(body) })
    const bad = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code)
    }
    await bad(await put({ displayName: 'x'.repeat(41), avatarUrl: null }), 400, 'validation_failed')
    await bad(await put({ displayName: 'Sam', avatarUrl: 'javascript:alert(1)' }), 400, 'validation_failed')
    await bad(
      await put({ displayName: 'Sam', avatarUrl: 'http://cdn.example/a.png' }),
      400,
      'validation_failed',
    )
    await bad(await put({ displayName: 'Sam', avatarUrl: null, role: 'owner' }), 400, 'validation_failed')
    await bad(await put({ displayName: 'Sam', avatarUrl: null }, owner.read), 403, 'csrf_failed')
    await bad(await app.request('/api/profile'), 401, 'unauthorized')
    expect(await snapshotDatabase(t.deps.db)).toEqual(before)
  })
})
