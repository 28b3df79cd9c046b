// Password hashes made with older scrypt parameters are upgraded on the next successful sign-in, with the
// production parameters (PASSWORD_HASHING) injected as the server does; a wrong password changes nothing.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import {
  hashPassword,
  LEGACY_PASSWORD_HASHING,
  PASSWORD_HASHING,
  verifyPassword,
} from '../security/password.ts'
import { snapshotDatabase } from '../testing/db-snapshot.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

const PASSWORD = 'an old but good password'

describe.each(testDatabases())('password rehash on sign-in on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  beforeAll(async () => {
    t = await createTestDeps(kind, { passwordHashing: PASSWORD_HASHING })
    app = createApp(t.deps)
  })
  afterAll(() => t.close())

  const signIn = (email: string, password: string) =>
    app.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })
  const storedHash = async (userId: string) =>
    (
      await t.deps.db
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', userId)
        .executeTakeFirstOrThrow()
    ).password_hash

  /** A user whose hash was made with the 2^14 parameters of earlier releases. */
  async function legacyUser() {
    const m = await seedMerchant(t.deps.db)
    await t.deps.db
      .updateTable('users')
      .set({ password_hash: await hashPassword(PASSWORD, LEGACY_PASSWORD_HASHING) })
      .where('id', '=', m.userId)
      .execute()
    return m
  }

  it('signs in with a 2^14 hash and rewrites it with N=2^17, r=8, p=1', async () => {
    const m = await legacyUser()
    const before = await storedHash(m.userId)
    expect(before).toMatch(/^scrypt\$16384\$8\$1\$/)

    const res = await signIn(m.email, PASSWORD)
    expect(res.status).toBe(200)
    const after = await storedHash(m.userId)
    expect(after).toMatch(/^scrypt\$131072\$8\$1\$/)
    expect(after).not.toBe(before)
    expect(await verifyPassword(PASSWORD, after)).toBe(true)

    // The new hash signs in, and is current, so it is kept as it is.
    expect((await signIn(m.email, PASSWORD)).status).toBe(200)
    expect(await storedHash(m.userId)).toBe(after)
  })

  it('a wrong password rewrites nothing', async () => {
    const m = await legacyUser()
    const before = await snapshotDatabase(t.deps.db)
    const res = await signIn(m.email, `${PASSWORD}!`)
    expect(res.status).toBe(401)
    expect(await snapshotDatabase(t.deps.db)).toEqual(before)
    expect(await storedHash(m.userId)).toMatch(/^scrypt\$16384\$8\$1\$/)
  })
})
