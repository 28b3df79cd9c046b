// When the timer poller looks again after a drain (timerTickAfterDrain): the decision that keeps a timer which came
// due during an empty drain from waiting a whole poll interval, without spinning on one held elsewhere.
import { describe, expect, it } from 'vitest'
import { timerTickAfterDrain } from './loops.ts'

describe('the timer poller after a drain', () => {
  const drainStartedAt = 1_000_000
  /** The decision for the next due time and now, both in ms after the drain started (null: nothing pending). */
  const tick = (nextDue: number | null, now: number, claimed: number) =>
    timerTickAfterDrain({
      nextDue: nextDue === null ? null : drainStartedAt + nextDue,
      now: drainStartedAt + now,
      drainStartedAt,
      claimed,
    })

  it.each([
    [
      'sleeps until the next due timer when that is sooner than the interval',
      90,
      40,
      0,
      { more: false, nextInMs: 50 },
    ],
    ['waits the interval when no timer is pending', null, 5, 3, { more: false }],
    [
      'goes again at once for a timer that came due after an empty drain began (its claims looked too early)',
      1,
      3,
      0,
      { more: true },
    ],
    ['goes again at once when the drain fired something and more is due already', -10, 3, 7, { more: true }],
  ] as const)('%s', (_, nextDue, now, claimed, expected) => {
    expect(tick(nextDue, now, claimed)).toEqual(expected)
  })

  it('comes back at the interval, not in a spin, for a timer due before the drain that it did not claim (held elsewhere)', () => {
    for (const nextDue of [0, -1, -60_000]) expect(tick(nextDue, 3, 0)).toEqual({ more: false })
  })
})
