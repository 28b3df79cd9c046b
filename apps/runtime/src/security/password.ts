// Staff passwords: scrypt with a per-password salt, stored as "scrypt$N$r$p$salt$hash", so every hash says the
// cost it was made with: a sign-in that finds a hash made with weaker parameters than today's rehashes it.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

export interface PasswordHashing {
  /** CPU/memory cost, a power of two; memory is 128 * N * r bytes. */
  N: number
  r: number
  p: number
}

/**
 * OWASP's Password Storage Cheat Sheet setting for scrypt: N=2^17, r=8, p=1 (128 MiB and a few hundred
 * milliseconds per hash). Hashes run on libuv's thread pool (4 threads by default), which also bounds the
 * memory sign-ins can take at once to about 512 MiB. Tests inject cheaper parameters through
 * RuntimeDeps.passwordHashing; this production default is asserted in password.test.ts.
 */
export const PASSWORD_HASHING: PasswordHashing = { N: 2 ** 17, r: 8, p: 1 }

/** The setting hashes were made with before 2026-11: rehashed on their next sign-in. */
export const LEGACY_PASSWORD_HASHING: PasswordHashing = { N: 2 ** 14, r: 8, p: 1 }

const KEY_LENGTH = 32
/** Stored hashes asking for more are refused: twice today's memory, and a bound on what one sign-in can take. */
const MAX_MEMORY_BYTES = 256 * 1024 * 1024
const MAX_P = 16

function derive(password: string, salt: Buffer, { N, r, p }: PasswordHashing): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      // Node refuses to run scrypt above maxmem (32 MiB by default); it needs 128 * r * (N + p + 2) bytes.
      { N, r, p, maxmem: 256 * r * (N + p) },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  )
}

export async function hashPassword(password: string, params = PASSWORD_HASHING): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, params)
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  )
}

interface StoredHash {
  params: PasswordHashing
  salt: Buffer
  hash: Buffer
}

function parseStoredHash(stored: string): StoredHash | undefined {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash || rest.length > 0) return undefined
  const params = { N: Number(n), r: Number(r), p: Number(p) }
  const valid =
    Number.isInteger(params.N) &&
    params.N > 1 &&
    (params.N & (params.N - 1)) === 0 &&
    Number.isInteger(params.r) &&
    params.r >= 1 &&
    128 * params.N * params.r <= MAX_MEMORY_BYTES &&
    Number.isInteger(params.p) &&
    params.p >= 1 &&
    params.p <= MAX_P
  return valid
    ? { params, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') }
    : undefined
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStoredHash(stored)
  if (!parsed) return false
  const actual = await derive(password, parsed.salt, parsed.params)
  return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash)
}

/**
 * True when `stored` was made with weaker parameters than `params` (or is not a hash we can read): the sign-in
 * that just verified it should store a new hash. Never true for a stronger hash, so replicas of two releases do
 * not undo each other's upgrades.
 * @example needsRehash('scrypt$16384$8$1$…', PASSWORD_HASHING) → true
 */
export function needsRehash(stored: string, params = PASSWORD_HASHING): boolean {
  const parsed = parseStoredHash(stored)
  if (!parsed) return true
  return (
    parsed.params.N < params.N ||
    parsed.params.r < params.r ||
    parsed.params.p < params.p ||
    parsed.hash.length < KEY_LENGTH
  )
}
