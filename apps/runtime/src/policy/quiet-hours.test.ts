import { describe, expect, it } from 'vitest'
import { isInQuietHours, quietHoursEnd } from './quiet-hours.ts'

const night = { startMinute: 22 * 60, endMinute: 8 * 60, timeZone: 'Europe/Berlin' }

describe('quiet hours in the shopper’s zone', () => {
  it('wraps midnight and ends at the end minute, local time', () => {
    // 23:30 in Berlin (UTC+1 in January) = 22:30 UTC.
    const lateEvening = Date.UTC(2026, 0, 5, 22, 30)
    expect(isInQuietHours(lateEvening, night)).toBe(true)
    expect(quietHoursEnd(lateEvening, night)).toBe(Date.UTC(2026, 0, 6, 7, 0))
    // 07:59 Berlin is still quiet; 08:00 is not.
    expect(isInQuietHours(Date.UTC(2026, 0, 6, 6, 59), night)).toBe(true)
    expect(quietHoursEnd(Date.UTC(2026, 0, 6, 7, 0), night)).toBeNull()
    // 21:59 Berlin: not yet.
    expect(isInQuietHours(Date.UTC(2026, 0, 5, 20, 59), night)).toBe(false)
  })

  it('handles a window within one day and an empty window', () => {
    const lunch = { startMinute: 12 * 60, endMinute: 13 * 60, timeZone: 'UTC' }
    expect(quietHoursEnd(Date.UTC(2026, 0, 5, 12, 15, 30), lunch)).toBe(Date.UTC(2026, 0, 5, 13, 0))
    expect(isInQuietHours(Date.UTC(2026, 0, 5, 13, 0), lunch)).toBe(false)
    expect(isInQuietHours(Date.UTC(2026, 0, 5, 3, 0), { ...lunch, endMinute: 12 * 60 })).toBe(false)
  })

  it('lands outside quiet hours across a daylight-saving change', () => {
    // Night of 28–29 March 2026: Berlin springs forward at 02:00.
    const end = quietHoursEnd(Date.UTC(2026, 2, 28, 23, 0), night)!
    expect(isInQuietHours(end, night)).toBe(false)
    expect(end).toBe(Date.UTC(2026, 2, 29, 6, 0))
  })
})
