// The lift statistics (issue 13, acceptance 2): worked examples, the small-sample and no-control cases, and a
// simulation — carts assigned to the holdout by the same draw the sweep uses, each ordering with a known
// probability per group — in which the 95 % interval covers the true lift in at least 90 % of 200 seeded trials.
import { describe, expect, it } from 'vitest'
import { drawHoldout } from '../commerce/abandonment-episodes.ts'
import { computeLift, differenceInterval, MIN_CARTS_PER_GROUP, wilsonInterval } from './lift.ts'

/** mulberry32: a small seeded generator, so every trial is reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('wilsonInterval and differenceInterval', () => {
  it('match Newcombe’s worked example (1998, 56/70 vs 48/80: 0.0524 to 0.3339)', () => {
    const w = wilsonInterval(56, 70)
    expect(w.low).toBeCloseTo(0.6918, 3)
    expect(w.high).toBeCloseTo(0.877, 3)
    const d = differenceInterval({ carts: 70, ordered: 56 }, { carts: 80, ordered: 48 })
    expect(d.estimate).toBeCloseTo(0.2, 6)
    expect(d.low).toBeCloseTo(0.0524, 3)
    expect(d.high).toBeCloseTo(0.3339, 3)
  })

  it('stays inside [-1, 1] at the extremes (0 of n and n of n)', () => {
    const d = differenceInterval({ carts: 10, ordered: 10 }, { carts: 10, ordered: 0 })
    expect(d.estimate).toBe(1)
    expect(d.low).toBeGreaterThan(0.6)
    expect(d.high).toBeLessThanOrEqual(1)
  })
})

describe('computeLift', () => {
  it('reports both rates, the incremental rate, orders and revenue per currency with their interval', () => {
    const lift = computeLift({
      messaged: { carts: 900, ordered: 180 },
      control: { carts: 100, ordered: 10 },
      messagedRevenue: [
        { currency: 'USD', orders: 150, amount: 15_000 },
        { currency: 'EUR', orders: 30, amount: 2_400 },
      ],
    })
    expect(lift.messagedRate).toBeCloseTo(0.2)
    expect(lift.controlRate).toBeCloseTo(0.1)
    expect(lift.incrementalRate!.estimate).toBeCloseTo(0.1)
    expect(lift.incrementalRate!.low).toBeGreaterThan(0)
    expect(lift.incrementalOrders!.estimate).toBeCloseTo(90)
    // 90 extra orders: 150/180 of them at the USD average (100), 30/180 at the EUR one (80).
    expect(lift.incrementalRevenue.map((r) => [r.currency, Math.round(r.estimate)])).toEqual([
      ['USD', 7500],
      ['EUR', 1200],
    ])
    expect(lift.incrementalRevenue[0]!.low).toBeCloseTo(lift.incrementalOrders!.low * (15_000 / 180))
    expect(lift.verdict).toBe('lift')
    expect(lift.summary).toMatch(/raised recovery by \+10\.0 points/)
  })

  it('says in words when there are too few carts to tell', () => {
    const lift = computeLift({
      messaged: { carts: 50, ordered: 20 },
      control: { carts: MIN_CARTS_PER_GROUP - 1, ordered: 1 },
    })
    expect(lift.verdict).toBe('too_few_carts')
    expect(lift.summary).toMatch(/^Too few carts to tell yet/)
    // The numbers are still given, with their (wide) interval.
    expect(lift.incrementalRate!.high - lift.incrementalRate!.low).toBeGreaterThan(0.3)
  })

  it('says there is no clear difference when the interval spans zero', () => {
    const lift = computeLift({ messaged: { carts: 300, ordered: 33 }, control: { carts: 300, ordered: 30 } })
    expect(lift.verdict).toBe('no_clear_difference')
    expect(lift.incrementalRate!.low).toBeLessThan(0)
    expect(lift.incrementalRate!.high).toBeGreaterThan(0)
  })

  it('has no lift without a control group (holdout 0 %)', () => {
    const lift = computeLift({ messaged: { carts: 500, ordered: 80 }, control: { carts: 0, ordered: 0 } })
    expect(lift).toMatchObject({ verdict: 'no_control_group', incrementalRate: null, controlRate: null })
    expect(lift.messagedRate).toBeCloseTo(0.16)
  })
})

describe('simulation: the interval recovers a known lift', () => {
  it('covers the true lift in at least 90 % of 200 seeded trials', () => {
    const trueControlRate = 0.1
    const trueLift = 0.05
    const trials = 200
    let covered = 0
    let detected = 0
    for (let trial = 0; trial < trials; trial++) {
      const random = seeded(1_000 + trial)
      const messaged = { carts: 0, ordered: 0 }
      const control = { carts: 0, ordered: 0 }
      for (let cart = 0; cart < 2_000; cart++) {
        // The sweep's own draw, at a 20 % holdout.
        const group = drawHoldout(20, random) ? control : messaged
        group.carts += 1
        const orders = random() < (group === control ? trueControlRate : trueControlRate + trueLift)
        if (orders) group.ordered += 1
      }
      const { incrementalRate, verdict } = computeLift({ messaged, control })
      if (incrementalRate!.low <= trueLift && trueLift <= incrementalRate!.high) covered += 1
      if (verdict === 'lift') detected += 1
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.9)
    // And a lift of this size with ~400 held-out carts is usually told apart from chance.
    expect(detected / trials).toBeGreaterThan(0.5)
  })
})
