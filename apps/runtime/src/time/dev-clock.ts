// The one way the dev clock moves: POST /api/dev/clock/advance and the demo store's buttons both call
// advanceDevClock. It adopts any larger offset another replica stored, moves the clock, stores the new offset
// (so every replica and a restarted process agree), and runs everything that came due.
import type { RuntimeDeps } from '../deps.ts'
import { saveClockOffset, syncClockOffset } from '../engine/clock-offset.ts'
import { type DueWorkResult, runDueWork } from '../engine/due-work.ts'
import { VirtualClock } from './clock.ts'

/** A clock that can be moved: the virtual clock (dev) or a test's manual clock. */
interface MovableClock {
  advance(ms: number): number
}

export function canAdvance(clock: RuntimeDeps['clock']): clock is RuntimeDeps['clock'] & MovableClock {
  return typeof (clock as Partial<MovableClock>).advance === 'function'
}

/**
 * Moves the dev clock forward by `ms` and runs what came due; throws when the clock cannot move (dev clock off).
 * @example const due = await advanceDevClock(deps, 3_600_000) // +1 h: fires the hour's timers
 */
export async function advanceDevClock(deps: RuntimeDeps, ms: number): Promise<DueWorkResult> {
  const { clock } = deps
  if (!canAdvance(clock)) throw new Error('The dev clock is off: this clock cannot be advanced')
  await syncClockOffset(deps.db, clock)
  clock.advance(ms)
  if (clock instanceof VirtualClock) clock.syncOffset(await saveClockOffset(deps.db, clock.offsetMs))
  return runDueWork(deps)
}
