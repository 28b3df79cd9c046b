import { describe, expect, it } from 'vitest'
import { ServerClock } from './server-clock.ts'

describe('ServerClock', () => {
  it('is the device clock until the server says otherwise, then the device clock plus the skew', () => {
    const clock = new ServerClock()
    const device = Date.parse('2026-11-30T22:00:00Z')
    expect(clock.now(device)).toBe(device)
    // The server is 12 h ahead (a dev clock started at 10:00 the next day, or a phone set a day back).
    clock.observe('2026-12-01T10:00:00.000Z', device)
    expect(new Date(clock.now(device + 60_000)).toISOString()).toBe('2026-12-01T10:01:00.000Z')
    // Behind works the same way.
    clock.observe('2026-11-30T20:00:00.000Z', device)
    expect(new Date(clock.now(device)).toISOString()).toBe('2026-11-30T20:00:00.000Z')
  })

  it('keeps the last skew when a response has no time or an unreadable one', () => {
    const clock = new ServerClock()
    const device = Date.parse('2026-11-30T22:00:00Z')
    clock.observe('2026-12-01T10:00:00.000Z', device)
    clock.observe(null, device)
    clock.observe('not a time', device)
    expect(new Date(clock.now(device)).toISOString()).toBe('2026-12-01T10:00:00.000Z')
  })
})
