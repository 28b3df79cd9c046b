import { describe, expect, it } from 'vitest'
import {
  durationSchema,
  durationToMs,
  formatDuration,
  msUntilTimeOfDay,
  timeOfDaySchema,
} from './duration.ts'

const MIN = 60_000
const H = 60 * MIN

describe('durationToMs', () => {
  it('converts each unit', () => {
    expect(durationToMs({ amount: 30, unit: 'minutes' })).toBe(30 * MIN)
    expect(durationToMs({ amount: 1, unit: 'hours' })).toBe(H)
    expect(durationToMs({ amount: 3, unit: 'days' })).toBe(72 * H)
    expect(durationToMs({ amount: 1.5, unit: 'hours' })).toBe(90 * MIN)
  })
})

describe('durationSchema', () => {
  it('parses durations and leaves non-positive amounts to validation', () => {
    expect(durationSchema.parse({ amount: 0, unit: 'hours' })).toEqual({ amount: 0, unit: 'hours' })
    expect(durationSchema.safeParse({ amount: 1, unit: 'weeks' }).success).toBe(false)
    expect(durationSchema.safeParse({ amount: Number.POSITIVE_INFINITY, unit: 'hours' }).success).toBe(false)
  })

  it('checks time-of-day strings', () => {
    expect(timeOfDaySchema.safeParse('09:30').success).toBe(true)
    expect(timeOfDaySchema.safeParse('24:00').success).toBe(false)
    expect(timeOfDaySchema.safeParse('9:30').success).toBe(false)
  })
})

describe('formatDuration', () => {
  it.each([
    [30 * MIN, '30 min'],
    [H, '1 h'],
    [51 * H, '2 d 3 h'],
    [24 * H + 5 * MIN, '1 d 5 min'],
    [0, '0 s'],
    [45_000, '45 s'],
    [Number.POSITIVE_INFINITY, '∞'],
    [-H, '-1 h'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

describe('msUntilTimeOfDay', () => {
  it('waits until later today or tomorrow', () => {
    const now = Date.UTC(2024, 0, 10, 8, 0)
    expect(msUntilTimeOfDay(now, '09:00', 'UTC')).toBe(H)
    expect(msUntilTimeOfDay(now, '08:00', 'UTC')).toBe(0)
    expect(msUntilTimeOfDay(now, '07:00', 'UTC')).toBe(23 * H)
    expect(msUntilTimeOfDay(now + 30_000, '08:00', 'UTC')).toBe(24 * H - 30_000)
  })

  it('uses the shopper zone', () => {
    // 08:00 UTC is 09:00 in Berlin (winter), 03:00 in New York.
    const now = Date.UTC(2024, 0, 10, 8, 0)
    expect(msUntilTimeOfDay(now, '10:00', 'Europe/Berlin')).toBe(H)
    expect(msUntilTimeOfDay(now, '09:00', 'America/New_York')).toBe(6 * H)
    expect(msUntilTimeOfDay(now, '09:00', 'Asia/Kolkata')).toBe(19.5 * H)
  })

  it('is correct across a spring-forward change', () => {
    // Berlin: 2024-03-31 02:00 CET → 03:00 CEST. Sat 30 Mar 12:00 local = 11:00 UTC.
    const now = Date.UTC(2024, 2, 30, 11, 0)
    const until = msUntilTimeOfDay(now, '09:00', 'Europe/Berlin')
    expect(new Date(now + until).toISOString()).toBe('2024-03-31T07:00:00.000Z')
    expect(until).toBe(20 * H)
    // 02:30 does not exist that night; it moves forward to 03:30 CEST.
    const gap = msUntilTimeOfDay(now, '02:30', 'Europe/Berlin')
    expect(new Date(now + gap).toISOString()).toBe('2024-03-31T01:30:00.000Z')
  })

  it('is correct across a fall-back change', () => {
    // New York: 2024-11-03 02:00 EDT → 01:00 EST. Sat 2 Nov 12:00 EDT = 16:00 UTC.
    const now = Date.UTC(2024, 10, 2, 16, 0)
    const until = msUntilTimeOfDay(now, '09:00', 'America/New_York')
    expect(new Date(now + until).toISOString()).toBe('2024-11-03T14:00:00.000Z')
    expect(until).toBe(22 * H)
    // 01:30 happens twice; the first one (EDT) counts.
    const twice = msUntilTimeOfDay(now, '01:30', 'America/New_York')
    expect(new Date(now + twice).toISOString()).toBe('2024-11-03T05:30:00.000Z')
  })

  it('treats an unknown zone as UTC and rejects malformed times', () => {
    const now = Date.UTC(2024, 0, 10, 8, 0)
    expect(msUntilTimeOfDay(now, '09:00', 'Mars/Olympus')).toBe(H)
    expect(() => msUntilTimeOfDay(now, '9am', 'UTC')).toThrow(RangeError)
  })
})
