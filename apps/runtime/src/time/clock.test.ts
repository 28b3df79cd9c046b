import { describe, expect, it } from 'vitest'
import { ManualClock, VirtualClock } from './clock.ts'

describe('VirtualClock', () => {
  it('adds an offset that only grows', () => {
    const base = new ManualClock(1_000)
    const clock = new VirtualClock(0, base)
    expect(clock.now()).toBe(1_000)
    clock.advance(3_600_000)
    expect(clock.now()).toBe(3_601_000)
    base.advance(10)
    expect(clock.now()).toBe(3_601_010)
    expect(() => clock.advance(-1)).toThrow(RangeError)
    clock.syncOffset(10)
    expect(clock.offsetMs).toBe(3_600_000)
    clock.syncOffset(7_200_000)
    expect(clock.offsetMs).toBe(7_200_000)
  })
})
