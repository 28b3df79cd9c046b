// The dev clock's offset in the database (a sequence that only grows), so every replica and a restarted
// process agree on the virtual time.
import { sql } from 'kysely'
import type { Db } from '../engine/step-transaction.ts'
import type { Clock } from './clock.ts'
import { VirtualClock } from './clock.ts'

/** The persisted offset in ms (0 when never advanced). Call at start-up: `clock.syncOffset(await loadClockOffset(db))`. */
export async function loadClockOffset(db: Db): Promise<number> {
  const { rows } = await sql<{
    last_value: string | number
  }>`select last_value from dev_clock_offset_ms`.execute(db)
  return Number(rows[0]?.last_value ?? 0)
}

/** Stores the offset unless a larger one is stored already; returns the stored (largest) offset. */
export async function saveClockOffset(db: Db, offsetMs: number): Promise<number> {
  const value = Math.max(0, Math.floor(offsetMs))
  const { rows } = await sql<{ offset: string | number }>`
    select setval('dev_clock_offset_ms', greatest((select last_value from dev_clock_offset_ms), ${value}::bigint)) as offset`.execute(
    db,
  )
  return Number(rows[0]?.offset ?? value)
}

/** Adopts a larger offset another replica stored. No-op for clocks that are not virtual. */
export async function syncClockOffset(db: Db, clock: Clock): Promise<void> {
  if (clock instanceof VirtualClock) clock.syncOffset(await loadClockOffset(db))
}
