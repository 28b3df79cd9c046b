import { describe, expect, it } from 'vitest'
import { TEST_PASSWORD_HASHING } from '../testing/test-deps.ts'
import {
  hashPassword,
  LEGACY_PASSWORD_HASHING,
  needsRehash,
  PASSWORD_HASHING,
  verifyPassword,
} from './password.ts'

describe('password hashing', () => {
  it('defaults to scrypt N=2^17, r=8, p=1 (OWASP), and really hashes with it', async () => {
    expect(PASSWORD_HASHING).toEqual({ N: 131072, r: 8, p: 1 })
    // One hash at the production cost (128 MiB): the maxmem setting must allow it.
    const stored = await hashPassword('correct horse battery staple')
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true)
    expect(needsRehash(stored)).toBe(false)
  })

  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple', TEST_PASSWORD_HASHING)
    expect(stored.startsWith(`scrypt$${TEST_PASSWORD_HASHING.N}$8$1$`)).toBe(true)
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true)
    expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false)
  })

  it('verifies hashes made with the parameters they name (the 2^14 ones from before)', async () => {
    const legacy = await hashPassword('old secret', LEGACY_PASSWORD_HASHING)
    expect(legacy).toMatch(/^scrypt\$16384\$8\$1\$/)
    expect(await verifyPassword('old secret', legacy)).toBe(true)
    expect(await verifyPassword('old secreT', legacy)).toBe(false)
  })

  it('asks for a rehash only when the stored parameters are weaker than the current ones', async () => {
    const legacy = await hashPassword('x', LEGACY_PASSWORD_HASHING)
    expect(needsRehash(legacy, PASSWORD_HASHING)).toBe(true)
    expect(needsRehash(legacy, LEGACY_PASSWORD_HASHING)).toBe(false)
    // A stronger hash (say from a newer release on another replica) is kept.
    expect(needsRehash(legacy, TEST_PASSWORD_HASHING)).toBe(false)
    const salt = 'AAAAAAAAAAAAAAAAAAAAAA'
    const key = 'A'.repeat(43)
    expect(needsRehash(`scrypt$131072$4$1$${salt}$${key}`, PASSWORD_HASHING)).toBe(true)
    expect(needsRehash(`scrypt$131072$8$1$${salt}$${key}`, { N: 2 ** 17, r: 8, p: 2 })).toBe(true)
    expect(needsRehash(`scrypt$131072$8$1$${salt}$${key}`, PASSWORD_HASHING)).toBe(false)
    expect(needsRehash('plaintext', PASSWORD_HASHING)).toBe(true)
  })

  it('salts every hash', async () => {
    expect(await hashPassword('same', TEST_PASSWORD_HASHING)).not.toBe(
      await hashPassword('same', TEST_PASSWORD_HASHING),
    )
  })

  it('rejects malformed or absurd stored values instead of throwing', async () => {
    const salt = 'AAAAAAAAAAAAAAAAAAAAAA'
    const key = 'A'.repeat(43)
    for (const stored of [
      'plaintext',
      'scrypt$1$2',
      `bcrypt$1024$8$1$${salt}$${key}`,
      `scrypt$1000$8$1$${salt}$${key}`, // N not a power of two
      `scrypt$1$8$1$${salt}$${key}`,
      `scrypt$${2 ** 30}$8$1$${salt}$${key}`, // 128 GiB
      `scrypt$1024$8$99$${salt}$${key}`,
      `scrypt$1024$x$1$${salt}$${key}`,
      `scrypt$1024$8$1$${salt}$${key}$extra`,
    ]) {
      expect(await verifyPassword('x', stored), stored).toBe(false)
    }
  })
})
