// The dev clock at start-up: the stored offset (a restart resumes at the same virtual time), moved on to
// DEV_CLOCK_START when that is still ahead, so demos and the browser tests run at a chosen time of day instead of
// whatever hour they happen to start at. Like every other move, it only goes forward and is stored for the
// other replicas.
import type { Db } from '../engine/step-transaction.ts'
import { type Clock, systemClock, VirtualClock } from './clock.ts'
import { loadClockOffset, saveClockOffset } from './clock-offset.ts'

export interface OpenedDevClock {
  clock: VirtualClock
  /** False when DEV_CLOCK_START is unset or the clock was already at or past it (it never moves back). */
  movedToStart: boolean
}

/**
 * @example const { clock } = await openDevClock(db, config.DEV_CLOCK_START) // '2026-12-01T10:00:00Z' → 10:00 UTC
 */
export async function openDevClock(
  db: Db,
  start?: string,
  base: Clock = systemClock,
): Promise<OpenedDevClock> {
  const clock = new VirtualClock(await loadClockOffset(db), base)
  if (start === undefined) return { clock, movedToStart: false }
  const ahead = Date.parse(start) - clock.now()
  if (!(ahead > 0)) return { clock, movedToStart: false }
  clock.advance(ahead)
  // Another replica starting at once may have stored a larger offset: adopt it, never go back.
  clock.syncOffset(await saveClockOffset(db, clock.offsetMs))
  return { clock, movedToStart: true }
}
