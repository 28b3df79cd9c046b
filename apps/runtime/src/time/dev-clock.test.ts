import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDeps, type TestDeps } from '../testing/test-deps.ts'
import { ManualClock, systemClock, VirtualClock } from './clock.ts'
import { loadClockOffset } from './clock-offset.ts'
import { advanceDevClock, canAdvance } from './dev-clock.ts'
import { openDevClock } from './dev-clock-start.ts'

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

describe.each(testDatabases())('openDevClock (DEV_CLOCK_START) on %s', (kind) => {
  let t: TestDeps
  beforeAll(async () => {
    t = await createTestDeps(kind)
  })
  afterAll(() => t?.close())

  it('starts a fresh clock at the chosen instant, stores it, and never moves a clock back to it', async () => {
    const wall = new ManualClock(Date.parse('2026-11-30T22:45:00Z'))
    const start = '2026-12-01T10:00:00Z'
    const first = await openDevClock(t.deps.db, start, wall)
    expect(first.movedToStart).toBe(true)
    expect(new Date(first.clock.now()).toISOString()).toBe('2026-12-01T10:00:00.000Z')
    // Stored: a restart (or another replica) resumes there, and time runs on from it.
    wall.advance(60_000)
    const restarted = await openDevClock(t.deps.db, start, wall)
    expect(restarted.movedToStart).toBe(false)
    expect(new Date(restarted.clock.now()).toISOString()).toBe('2026-12-01T10:01:00.000Z')
    expect(await loadClockOffset(t.deps.db)).toBe(first.clock.offsetMs)
    // Moved on past the start (e.g. "Skip to next message"): the same start leaves the clock where it is.
    await advanceDevClock({ ...t.deps, clock: restarted.clock }, 2 * 3_600_000)
    const later = await openDevClock(t.deps.db, start, wall)
    expect(later.movedToStart).toBe(false)
    expect(new Date(later.clock.now()).toISOString()).toBe('2026-12-01T12:01:00.000Z')
    // A start in the past is not honoured: the clock only moves forward.
    const past = await openDevClock(t.deps.db, '2026-11-01T10:00:00Z', wall)
    expect(past.movedToStart).toBe(false)
    expect(past.clock.now()).toBe(later.clock.now())
    // Without a start: the stored offset, as before.
    expect((await openDevClock(t.deps.db, undefined, wall)).clock.now()).toBe(later.clock.now())
  })
})
