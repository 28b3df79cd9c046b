import { describe, expect, it } from 'vitest'
import { MetricsRegistry } from './metrics.ts'

describe('MetricsRegistry', () => {
  it('renders counters, gauges and histograms in Prometheus text format', async () => {
    const registry = new MetricsRegistry()
    const steps = registry.counter('steps_total', 'Steps.')
    const pending = registry.gauge('pending', 'Pending.')
    const lateness = registry.histogram('lateness_seconds', 'Lateness.', [0.1, 1])
    steps.inc({ source: 'timer' })
    steps.inc({ source: 'timer' }, 2)
    lateness.observe(0.05)
    lateness.observe(0.5)
    registry.collect(async () => pending.set(7))
    const text = await registry.render()
    expect(text).toContain('# TYPE steps_total counter\nsteps_total{source="timer"} 3')
    expect(text).toContain('pending 7')
    expect(text).toContain('lateness_seconds_bucket{le="0.1"} 1')
    expect(text).toContain('lateness_seconds_bucket{le="1"} 2')
    expect(text).toContain('lateness_seconds_bucket{le="+Inf"} 2')
    expect(text).toContain('lateness_seconds_count 2')
  })

  it('runs a throttled collector at most once per interval, however many scrapes (even concurrent ones)', async () => {
    const registry = new MetricsRegistry()
    const pending = registry.gauge('pending', 'Pending.')
    let now = 1_000
    let runs = 0
    registry.collect(
      async () => {
        runs += 1
        pending.set(runs)
      },
      { minIntervalMs: 10_000, now: () => now },
    )
    await Promise.all([registry.render(), registry.render(), registry.render()])
    expect(runs).toBe(1)
    now += 9_999
    expect(await registry.render()).toContain('pending 1')
    expect(runs).toBe(1)
    now += 1
    expect(await registry.render()).toContain('pending 2')
    expect(runs).toBe(2)
  })

  it('refuses to register a name twice', () => {
    const registry = new MetricsRegistry()
    registry.counter('a', 'A.')
    expect(() => registry.gauge('a', 'A.')).toThrow(/twice/)
  })
})
