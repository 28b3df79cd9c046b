// The suite's own clock. The runtime it starts runs the dev clock (wall time plus an offset that only grows) and
// the specs move it on (the analytics scenario by ~1.5 h); started at the wall time, the run's outcome depended on
// the hour: from ~22:30 UTC the clock crossed midnight during the run, and from 21:00 London the demo shop's quiet
// hours put sends off until the morning. So the runtime starts at a fixed time of day (DEV_CLOCK_START), safely
// inside the shop's working hours, whatever the hour the suite runs at.
//
// E2E_CLOCK_START overrides it: `HH:MM` (the next such time in London) or an ISO instant, e.g.
// `E2E_CLOCK_START=23:55 npx vitest run src/widget-handoff.e2e.ts` to check the specs across midnight.

import { msUntilTimeOfDay } from '@parley/flow'

/** The demo shop's time zone (seed.ts): its quiet hours are 21:00–08:00 there. */
export const SUITE_TIME_ZONE = 'Europe/London'
/** Two hours after the quiet hours end and eleven before they start: room for every clock move the specs make. */
export const DEFAULT_SUITE_START = '10:00'

/** DEV_CLOCK_START for the suite's runtime: E2E_CLOCK_START (HH:MM in London, or ISO), else the next 10:00 London. */
export function suiteClockStart(setting = process.env.E2E_CLOCK_START, now = Date.now()): string {
  const wanted = setting?.trim() || DEFAULT_SUITE_START
  // The next such wall time in the shop's zone (the flow package's rule, as quiet hours use it).
  if (/^\d{2}:\d{2}$/.test(wanted))
    return new Date(now + msUntilTimeOfDay(now, wanted, SUITE_TIME_ZONE)).toISOString()
  const instant = Date.parse(wanted)
  if (Number.isNaN(instant))
    throw new Error(`E2E_CLOCK_START: expected HH:MM or an ISO instant, got "${wanted}"`)
  return new Date(instant).toISOString()
}
