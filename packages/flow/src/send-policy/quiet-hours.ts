// Quiet hours in the shopper's time zone: marketing sends wait until they end; transactional ones do not.
import { localTime } from './local-time.ts'

export interface QuietHours {
  /** Minutes after midnight; the window may wrap midnight (22:00–08:00). */
  startMinute: number
  endMinute: number
  timeZone: string
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** True when local time at `at` is in [start, end), wrapping midnight when start > end. */
export function isInQuietHours(at: number, quiet: QuietHours): boolean {
  const { startMinute: start, endMinute: end } = quiet
  if (start === end) return false
  const minute = localTime(at, quiet.timeZone).minuteOfDay
  return start < end ? minute >= start && minute < end : minute >= start || minute < end
}

/**
 * When quiet hours that cover `at` end, or null when `at` is outside them.
 * @example quietHoursEnd(Date.UTC(2026, 0, 5, 23, 0), { startMinute: 22 * 60, endMinute: 8 * 60, timeZone: 'UTC' })
 *   // Date.UTC(2026, 0, 6, 8, 0)
 */
export function quietHoursEnd(at: number, quiet: QuietHours): number | null {
  if (!isInQuietHours(at, quiet)) return null
  const local = localTime(at, quiet.timeZone)
  const minutesLeft = (quiet.endMinute - local.minuteOfDay + 1440) % 1440 || 1440
  const startOfMinute = at - (at % MINUTE)
  let end = startOfMinute + minutesLeft * MINUTE
  // A daylight-saving change inside the wait moves local time by an hour either way: settle on the
  // first minute that is outside quiet hours (everything between `at` and it is quiet).
  for (let i = 0; i < 120 && isInQuietHours(end, quiet); i++) end += MINUTE
  while (end - HOUR > at && !isInQuietHours(end - HOUR, quiet)) end -= HOUR
  return end
}
