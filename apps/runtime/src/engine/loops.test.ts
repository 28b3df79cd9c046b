// When the timer poller looks again after a drain (timerTickAfterDrain): the decision that keeps a timer which came
// due during an empty drain from waiting a whole poll interval, without spinning on one held elsewhere.
import { describe, expect, it } from 'vitest'
import { timerTickAfterDrain } from './loops.ts'

describe('the timer poller after a drain', () => {
  const drainStartedAt = 1_000_000

  it('sleeps until the next due timer when that is sooner than the interval', () => {
    expect(
      timerTickAfterDrain({
        nextDue: drainStartedAt + 90,
        now: drainStartedAt + 40,
        drainStartedAt,
        claimed: 0,
      }),
    ).toEqual({
      more: false,
      nextInMs: 50,
    })
  })

  it('waits the interval when no timer is pending', () => {
    expect(
      timerTickAfterDrain({ nextDue: null, now: drainStartedAt + 5, drainStartedAt, claimed: 3 }),
    ).toEqual({
      more: false,
    })
  })

  it('goes again at once for a timer that came due after an empty drain began (its claims looked too early)', () => {
    expect(
      timerTickAfterDrain({
        nextDue: drainStartedAt + 1,
        now: drainStartedAt + 3,
        drainStartedAt,
        claimed: 0,
      }),
    ).toEqual({
      more: true,
    })
  })

  it('goes again at once when the drain fired something and more is due already', () => {
    expect(
      timerTickAfterDrain({
        nextDue: drainStartedAt - 10,
        now: drainStartedAt + 3,
        drainStartedAt,
        claimed: 7,
      }),
    ).toEqual({
      more: true,
    })
  })

  it('comes back at the interval, not in a spin, for a timer due before the drain that it did not claim (held elsewhere)', () => {
    for (const nextDue of [drainStartedAt, drainStartedAt - 1, drainStartedAt - 60_000]) {
      expect(timerTickAfterDrain({ nextDue, now: drainStartedAt + 3, drainStartedAt, claimed: 0 })).toEqual({
        more: false,
      })
    }
  })
})
