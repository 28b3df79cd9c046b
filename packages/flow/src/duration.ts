// Durations for delays and timeouts, and "until a time of day in the shopper's time zone".
// Time zones go through Intl only; the caller passes `now`, so nothing here reads a clock.
import { z } from 'zod'

export const DURATION_UNITS = ['minutes', 'hours', 'days'] as const
export type DurationUnit = (typeof DURATION_UNITS)[number]

/**
 * Any finite amount parses, so that a zero or negative delay is reported by validation as
 * "non-positive delay" on its node rather than as a generic config error.
 */
export const durationSchema = z.object({
  amount: z
    .number()
    .finite()
    .max(365 * 24 * 60),
  unit: z.enum(DURATION_UNITS),
})
export type Duration = z.infer<typeof durationSchema>

export const timeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time like 09:30')

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const UNIT_MS: Record<DurationUnit, number> = { minutes: MINUTE, hours: HOUR, days: DAY }

/** @example durationToMs({ amount: 1, unit: 'hours' }) // 3_600_000 */
export function durationToMs(duration: Duration): number {
  return duration.amount * UNIT_MS[duration.unit]
}

/**
 * Short human form for cards and analysis: "30 min", "1 h", "2 d 3 h", "∞" for no limit.
 * Rounds to whole minutes; under a minute shows seconds.
 */
export function formatDuration(ms: number): string {
  if (Number.isNaN(ms)) return '?'
  if (ms === Number.POSITIVE_INFINITY) return '∞'
  if (ms < 0) return `-${formatDuration(-ms)}`
  if (ms < MINUTE) return `${Math.round(ms / 1000)} s`
  const totalMinutes = Math.round(ms / MINUTE)
  const days = Math.floor(totalMinutes / (24 * 60))
  const hours = Math.floor((totalMinutes % (24 * 60)) / 60)
  const minutes = totalMinutes % 60
  const parts: string[] = []
  if (days) parts.push(`${days} d`)
  if (hours) parts.push(`${hours} h`)
  if (minutes) parts.push(`${minutes} min`)
  return parts.join(' ')
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>()

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let cached = zoneFormatters.get(timeZone)
  if (!cached) {
    const options: Intl.DateTimeFormatOptions = {
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }
    try {
      cached = new Intl.DateTimeFormat('en-US', { ...options, timeZone })
    } catch {
      // An unknown zone (bad data on a contact) is treated as UTC rather than failing the run.
      cached = new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' })
    }
    zoneFormatters.set(timeZone, cached)
  }
  return cached
}

/** The zone's wall clock at `ms`, expressed as if it were UTC (so offset = wall − ms). */
function wallClock(ms: number, timeZone: string): number {
  const fields: Record<string, number> = {}
  for (const part of zoneFormatter(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value)
  }
  return Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!)
}

function offsetAt(ms: number, timeZone: string): number {
  return wallClock(ms, timeZone) - Math.floor(ms / 1000) * 1000
}

/**
 * The instant when the zone's wall clock shows `wall` (a wall-clock time encoded as UTC ms). Like Temporal's
 * "compatible" disambiguation: in a fall-back overlap the earlier instant; in a spring-forward gap the time
 * moves forward by the gap (02:30 that does not exist becomes 03:30).
 */
function instantOfWallClock(wall: number, timeZone: string): number {
  const offsetBefore = offsetAt(wall - DAY, timeZone)
  const offsetAfter = offsetAt(wall + DAY, timeZone)
  const candidates = [wall - offsetBefore, wall - offsetAfter].filter(
    (instant) => instant + offsetAt(instant, timeZone) === wall,
  )
  return candidates.length > 0 ? Math.min(...candidates) : wall - offsetBefore
}

/**
 * Milliseconds from `nowMs` until the zone's wall clock next shows `time` (0 when it shows it right now).
 * Correct across DST changes; an unknown zone counts as UTC.
 * @example msUntilTimeOfDay(Date.UTC(2024, 0, 1, 8, 0), '09:00', 'UTC') // 3_600_000
 */
export function msUntilTimeOfDay(nowMs: number, time: string, timeZone: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time)
  if (!match) throw new RangeError(`Expected a time like 09:30, got "${time}"`)
  const hour = Number(match[1])
  const minute = Number(match[2])
  const today = new Date(wallClock(nowMs, timeZone))
  for (let dayOffset = 0; dayOffset <= 2; dayOffset++) {
    const wall = Date.UTC(
      today.getUTCFullYear(),
      today.getUTCMonth(),
      today.getUTCDate() + dayOffset,
      hour,
      minute,
    )
    const instant = instantOfWallClock(wall, timeZone)
    if (instant >= nowMs) return instant - nowMs
  }
  // Unreachable for real zones: some day within the next two has that wall-clock time.
  return DAY
}
