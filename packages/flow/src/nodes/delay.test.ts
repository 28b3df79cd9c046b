import { describe, expect, it } from 'vitest'
import { delay, delayDefaults, shopperTimeZone } from './delay.ts'
import { checkNode, HOUR, MINUTE, runNode, T0 } from './node-test-kit.ts'

describe('delay', () => {
  it('parses its defaults: one hour', () => {
    expect(delay.configSchema.parse(delayDefaults)).toEqual(delayDefaults)
    expect(delay.handles(delayDefaults).map((h) => h.id)).toEqual(['next'])
    expect(delay.facts(delayDefaults)).toMatchObject({
      waits: true,
      sends: 0,
      timing: { next: { min: HOUR, max: HOUR } },
    })
  })

  it('bounds a time-of-day wait by a day', () => {
    const facts = delay.facts({ mode: 'time_of_day', time: '09:00', fallbackTimeZone: 'UTC' })
    expect(facts.timing.next!.min).toBe(0)
    expect(facts.timing.next!.max).toBeGreaterThanOrEqual(24 * HOUR)
  })

  it('flags a non-positive delay with the merchant’s name for the step', () => {
    expect(checkNode('delay', { duration: { amount: 0, unit: 'minutes' } }).map((i) => i.message)).toEqual([
      "'Step' must wait longer than 0 minutes",
    ])
    expect(checkNode('delay', { duration: { amount: -2, unit: 'hours' } }).map((i) => i.code)).toEqual([
      'non_positive_delay',
    ])
    expect(
      checkNode('delay', { mode: 'time_of_day', time: '10:00', fallbackTimeZone: 'Mars/Olympus' }).map(
        (i) => i.code,
      ),
    ).toEqual(['unknown_time_zone'])
  })

  it('sets one timer for the duration and moves on when it fires', () => {
    const run = runNode('delay', { duration: { amount: 90, unit: 'minutes' } })
    expect(run.last.timers.set).toEqual([
      {
        id: 'xstate.after.n.wait.flow.n',
        delayMs: 90 * MINUTE,
        dueAt: T0 + 90 * MINUTE,
        event: { type: 'xstate.after.n.wait.flow.n' },
      },
    ])
    expect(run.last.activeNodeIds).toEqual(['n'])
    run.advanceTo(T0 + 89 * MINUTE)
    expect(run.status).toBe('active')
    run.advanceTo(T0 + 90 * MINUTE)
    expect(run.outcome).toBe('next')
  })

  it('ignores shopper messages while waiting', () => {
    const run = runNode('delay')
    const result = run.send({ type: 'message.received', text: 'hello' })
    expect(result).toMatchObject({
      effects: [],
      timers: { set: [], cancel: [] },
      visited: [],
      status: 'active',
    })
  })

  it('waits until the time of day in the shopper’s zone, or the fallback zone', () => {
    // T0 is 08:00 UTC, 10:00 in Berlin (CEST) and 04:00 in New York (EDT).
    const berlin = runNode(
      'delay',
      { mode: 'time_of_day', time: '11:30', fallbackTimeZone: 'America/New_York' },
      {
        vars: { contact: { timezone: 'Europe/Berlin' } },
      },
    )
    expect(berlin.last.timers.set[0]!.delayMs).toBe(90 * MINUTE)
    const unknownZone = runNode(
      'delay',
      { mode: 'time_of_day', time: '05:00', fallbackTimeZone: 'America/New_York' },
      {
        vars: { contact: { timezone: 'Not/AZone' } },
      },
    )
    expect(unknownZone.last.timers.set[0]!.delayMs).toBe(HOUR)
    expect(shopperTimeZone({}, 'Bad/Zone')).toBe('UTC')
  })
})
