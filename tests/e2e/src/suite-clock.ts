// The suite's own clock. The runtime it starts runs the dev clock (wall time plus an offset that only grows) and
// the specs move it on (the analytics scenario by ~1.5 h); started at the wall time, the run's outcome depended on
// the hour: from ~22:30 UTC the clock crossed midnight during the run, and from 21:00 London the demo shop's quiet
// hours put sends off until the morning. So the runtime starts at a fixed time of day (DEV_CLOCK_START), safely
// inside the shop's working hours, whatever the hour the suite runs at.
//
// E2E_CLOCK_START overrides it: `HH:MM` (the next such time in London) or an ISO instant, e.g.
// `E2E_CLOCK_START=23:55 npx vitest run src/widget-handoff.e2e.ts` to check the specs across midnight.

/** The demo shop's time zone (seed.ts): its quiet hours are 21:00–08:00 there. */
export const SUITE_TIME_ZONE = 'Europe/London'
/** Two hours after the quiet hours end and eleven before they start: room for every clock move the specs make. */
export const DEFAULT_SUITE_START = '10:00'

/** ms to add to UTC to get the wall time in `zone` at `instant`. */
function zoneOffsetMs(instant: number, zone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(instant)
      .map((p) => [p.type, Number(p.value)]),
  )
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!)
  return wall - Math.floor(instant / 1000) * 1000
}

/**
 * The first instant after `now` at which the wall clock in `zone` reads `hh:mm`.
 * @example nextWallTime('10:00', 'Europe/London', Date.parse('2026-11-30T22:30:00Z')) // 2026-12-01T10:00:00Z
 */
export function nextWallTime(hhmm: string, zone: string, now: number): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm)
  if (!match) throw new Error(`Expected a time of day as HH:MM, got "${hhmm}"`)
  for (let day = 0; day <= 2; day++) {
    const date = new Date(now + zoneOffsetMs(now, zone) + day * 86_400_000)
    const wall = Date.UTC(
      date.getUTCFullYear(),
      date.getUTCMonth(),
      date.getUTCDate(),
      Number(match[1]),
      Number(match[2]),
    )
    // The offset at the guess, then at the answer (a daylight-saving change between the two moves it).
    let instant = wall - zoneOffsetMs(wall, zone)
    instant = wall - zoneOffsetMs(instant, zone)
    if (instant > now) return instant
  }
  throw new Error(`No ${hhmm} in ${zone} within two days of ${new Date(now).toISOString()}`)
}

/** DEV_CLOCK_START for the suite's runtime: E2E_CLOCK_START (HH:MM in London, or ISO), else the next 10:00 London. */
export function suiteClockStart(setting = process.env.E2E_CLOCK_START, now = Date.now()): string {
  const wanted = setting?.trim() || DEFAULT_SUITE_START
  if (/^\d{2}:\d{2}$/.test(wanted)) return new Date(nextWallTime(wanted, SUITE_TIME_ZONE, now)).toISOString()
  const instant = Date.parse(wanted)
  if (Number.isNaN(instant))
    throw new Error(`E2E_CLOCK_START: expected HH:MM or an ISO instant, got "${wanted}"`)
  return new Date(instant).toISOString()
}
