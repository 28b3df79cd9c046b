import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from './config.ts'

const REAL_SECRET = 'a-real-secret-Jx8v2Qm4Tz7Lp0Wc5Rk9'
const KEY = Buffer.alloc(32, 7).toString('base64')
const PRODUCTION = { NODE_ENV: 'production', SECRET: REAL_SECRET, ENCRYPTION_KEY: KEY }
const PUBLISHED_SECRET = 'parley-development-secret-not-for-production-use'

const folders: string[] = []
function tempDataDir(): string {
  const folder = mkdtempSync(join(tmpdir(), 'parley-config-'))
  folders.push(folder)
  return join(folder, 'pglite')
}
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true })
})

describe('loadConfig', () => {
  it('defaults to embedded PGlite and a dev clock in development', () => {
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: tempDataDir() })
    expect(config.DATABASE_URL).toBeUndefined()
    expect(config.PORT).toBe(3000)
    expect(config.devClock).toBe(true)
  })

  it('refuses the virtual clock in production', () => {
    expect(() => loadConfig({ ...PRODUCTION, DEV_CLOCK: 'true' })).toThrow(
      /DEV_CLOCK: The virtual clock is refused in production/,
    )
    expect(loadConfig(PRODUCTION).devClock).toBe(false)
  })

  it('takes a dev clock start in development, and refuses it in production, without the dev clock, or malformed', () => {
    const start = '2026-12-01T10:00:00Z'
    expect(
      loadConfig({ NODE_ENV: 'test', DATA_DIR: tempDataDir(), DEV_CLOCK_START: '2026-12-01T10:00:00+00:00' })
        .DEV_CLOCK_START,
    ).toBe('2026-12-01T10:00:00+00:00')
    expect(() => loadConfig({ ...PRODUCTION, DEV_CLOCK_START: start })).toThrow(
      /DEV_CLOCK_START: The virtual clock is refused in production/,
    )
    expect(() => loadConfig({ NODE_ENV: 'test', DEV_CLOCK: 'false', DEV_CLOCK_START: start })).toThrow(
      /DEV_CLOCK_START: DEV_CLOCK_START needs the dev clock/,
    )
    expect(() => loadConfig({ NODE_ENV: 'test', DEV_CLOCK_START: 'tomorrow at ten' })).toThrow(
      /DEV_CLOCK_START/,
    )
  })

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ ...PRODUCTION, PORT: 'eighty' })).toThrow(/PORT/)
    expect(() => loadConfig({ NODE_ENV: 'production', ENCRYPTION_KEY: KEY })).toThrow(/SECRET/)
  })

  it('keeps idle pooled connections 5 minutes unless told otherwise, and refuses 0', () => {
    expect(loadConfig(PRODUCTION).DATABASE_POOL_IDLE_SECONDS).toBe(300)
    const told = loadConfig({ ...PRODUCTION, DATABASE_POOL_IDLE_SECONDS: '30' })
    expect(told.DATABASE_POOL_IDLE_SECONDS).toBe(30)
    expect(() => loadConfig({ ...PRODUCTION, DATABASE_POOL_IDLE_SECONDS: '0' })).toThrow(
      /DATABASE_POOL_IDLE_SECONDS/,
    )
  })
})

describe('loadConfig: safe defaults', () => {
  it('runs as production without NODE_ENV, so it refuses to start without real secrets', () => {
    expect(() => loadConfig({})).toThrow(
      /SECRET: Set SECRET .*NODE_ENV is production \(or unset; set NODE_ENV=development for a local run\)/,
    )
    expect(() => loadConfig({})).toThrow(/ENCRYPTION_KEY: Set ENCRYPTION_KEY/)
    const config = loadConfig({ SECRET: REAL_SECRET, ENCRYPTION_KEY: KEY })
    expect(config.NODE_ENV).toBe('production')
    expect(config.devClock).toBe(false)
    expect(config.secret).toBe(REAL_SECRET)
  })

  it('refuses the published development secret everywhere, with a clear message', () => {
    for (const env of [
      { ...PRODUCTION, SECRET: PUBLISHED_SECRET },
      { SECRET: PUBLISHED_SECRET, ENCRYPTION_KEY: KEY },
      { NODE_ENV: 'development', SECRET: PUBLISHED_SECRET, DATA_DIR: tempDataDir() },
      { NODE_ENV: 'test', SECRET: PUBLISHED_SECRET },
    ]) {
      expect(() => loadConfig(env)).toThrow(
        /SECRET: SECRET is the development secret published in Parley's source/,
      )
    }
  })

  it('refuses short secrets and malformed encryption keys', () => {
    expect(() => loadConfig({ ...PRODUCTION, SECRET: 'short' })).toThrow(/SECRET must be at least 32/)
    expect(() => loadConfig({ ...PRODUCTION, ENCRYPTION_KEY: 'dG9vIHNob3J0' })).toThrow(
      /ENCRYPTION_KEY: each key must be 32 bytes in base64/,
    )
    expect(() =>
      loadConfig({ ...PRODUCTION, ENCRYPTION_KEY: undefined, ENCRYPTION_KEYS: `a:${KEY},a:${KEY}` }),
    ).toThrow(/ENCRYPTION_KEYS: two keys share an id/)
  })

  it('in development generates a secret and a key once, keeps them in the data folder (0600) and reuses them', () => {
    const dataDir = tempDataDir()
    const first = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir })
    const second = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir })
    expect(first.secret.length).toBeGreaterThanOrEqual(32)
    expect(second.secret).toBe(first.secret)
    expect(second.keyring.currentKeyId).toBe(first.keyring.currentKeyId)
    const sealed = first.keyring.seal('token', 'ctx')
    expect(second.keyring.open(sealed, 'ctx')).toBe('token')

    const folder = join(dataDir, '..')
    expect(readFileSync(join(folder, 'secret'), 'utf8').trim()).toBe(first.secret)
    for (const file of ['secret', 'encryption-key']) {
      expect(statSync(join(folder, file)).mode & 0o777).toBe(0o600)
    }
    // Another data folder is another development install: its own secret.
    expect(loadConfig({ NODE_ENV: 'development', DATA_DIR: tempDataDir() }).secret).not.toBe(first.secret)
  })

  it('in tests generates random secrets per load and writes nothing', () => {
    const dataDir = tempDataDir()
    const a = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir })
    const b = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir })
    expect(a.secret).not.toBe(b.secret)
    expect(() => statSync(join(dataDir, '..', 'secret'))).toThrow()
  })

  it('takes several encryption keys: the first seals, all open', () => {
    const k1 = `k1:${Buffer.alloc(32, 1).toString('base64')}`
    const k2 = `k2:${Buffer.alloc(32, 2).toString('base64')}`
    const old = loadConfig({ ...PRODUCTION, ENCRYPTION_KEY: k1 })
    const rotated = loadConfig({ ...PRODUCTION, ENCRYPTION_KEY: undefined, ENCRYPTION_KEYS: `${k2},${k1}` })
    expect(rotated.keyring.currentKeyId).toBe('k2')
    expect(rotated.keyring.open(old.keyring.seal('tok', 'c'), 'c')).toBe('tok')
  })

  it('reads the egress allow-list, naming an entry it cannot read', () => {
    const test = { NODE_ENV: 'test' }
    expect(loadConfig(test).EGRESS_ALLOW_LIST).toBe('')
    expect(
      loadConfig({ ...test, EGRESS_ALLOW_LIST: 'orders.internal:8080, 10.0.0.0/8' }).EGRESS_ALLOW_LIST,
    ).toBe('orders.internal:8080, 10.0.0.0/8')
    expect(() => loadConfig({ ...test, EGRESS_ALLOW_LIST: 'orders.internal:8080, 10.0.0.0/40' })).toThrow(
      /EGRESS_ALLOW_LIST: Egress allow-list entry "10.0.0.0\/40": not a valid CIDR block/,
    )
  })
})
