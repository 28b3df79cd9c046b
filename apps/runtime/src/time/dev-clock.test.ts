import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadClockOffset } from '../engine/clock-offset.ts'
import { createTestDeps, type TestDeps } from '../testing/test-deps.ts'
import { systemClock, VirtualClock } from './clock.ts'
import { advanceDevClock, canAdvance } from './dev-clock.ts'

describe.each(testDatabases())('advanceDevClock on %s', (kind) => {
  let t: TestDeps
  beforeAll(async () => {
    t = await createTestDeps(kind)
  })
  afterAll(() => t?.close())

  it('moves the virtual clock, stores the offset for other replicas, and adopts a larger stored one first', async () => {
    const clock = new VirtualClock()
    const replica = new VirtualClock()
    const due = await advanceDevClock({ ...t.deps, clock }, 3_600_000)
    expect(due).toEqual({ cartsAbandoned: 0, timersFired: 0, timersDropped: 0, messagesSent: 0 })
    expect(clock.offsetMs).toBe(3_600_000)
    expect(await loadClockOffset(t.deps.db)).toBe(3_600_000)
    // Another replica, an hour behind, first catches up with the stored offset, then moves on from there.
    await advanceDevClock({ ...t.deps, clock: replica }, 60_000)
    expect(replica.offsetMs).toBe(3_660_000)
    expect(await loadClockOffset(t.deps.db)).toBe(3_660_000)
  })

  it('refuses a clock that cannot move (the dev clock off)', async () => {
    const wall = systemClock
    expect(canAdvance(wall)).toBe(false)
    await expect(advanceDevClock({ ...t.deps, clock: wall }, 1000)).rejects.toThrow(/dev clock is off/)
  })
})
