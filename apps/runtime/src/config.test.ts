import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.ts'

describe('loadConfig', () => {
  it('defaults to embedded PGlite and a dev clock in development', () => {
    const config = loadConfig({})
    expect(config.DATABASE_URL).toBeUndefined()
    expect(config.PORT).toBe(3000)
    expect(config.devClock).toBe(true)
  })

  it('refuses the virtual clock in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DEV_CLOCK: 'true', SECRET: 'x'.repeat(32) })).toThrow(
      /DEV_CLOCK: The virtual clock is refused in production/,
    )
    expect(loadConfig({ NODE_ENV: 'production', SECRET: 'x'.repeat(32) }).devClock).toBe(false)
  })

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/)
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SECRET/)
  })

  it('reads the egress allow-list, naming an entry it cannot read', () => {
    expect(loadConfig({}).EGRESS_ALLOW_LIST).toBe('')
    expect(loadConfig({ EGRESS_ALLOW_LIST: 'orders.internal:8080, 10.0.0.0/8' }).EGRESS_ALLOW_LIST).toBe(
      'orders.internal:8080, 10.0.0.0/8',
    )
    expect(() => loadConfig({ EGRESS_ALLOW_LIST: 'orders.internal:8080, 10.0.0.0/40' })).toThrow(
      /EGRESS_ALLOW_LIST: Egress allow-list entry "10.0.0.0\/40": not a valid CIDR block/,
    )
  })
})
