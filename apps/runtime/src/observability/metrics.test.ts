import { register as globalRegistry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { createRuntimeMetrics, metricValue } from './metrics.ts'

describe('createRuntimeMetrics', () => {
  it('renders counters, gauges and histograms in Prometheus text format', async () => {
    const metrics = createRuntimeMetrics()
    metrics.steps.inc({ trigger: 'timer' })
    metrics.steps.inc({ trigger: 'timer' }, 2)
    metrics.outboxUnknown.inc({ reason: 'lease_expired' }, 4)
    metrics.timerLateness.observe(0.07)
    metrics.timerLateness.observe(0.5)
    metrics.collect(async () => metrics.outboxPending.set(7))
    const text = await metrics.render()
    expect(text).toContain('# TYPE parley_steps_total counter\nparley_steps_total{trigger="timer"} 3')
    expect(text).toContain('parley_outbox_unknown_total{reason="lease_expired"} 4')
    expect(text).toContain('parley_outbox_pending 7')
    expect(text).toContain('parley_timer_lateness_seconds_bucket{le="0.05"} 0')
    expect(text).toContain('parley_timer_lateness_seconds_bucket{le="0.1"} 1')
    expect(text).toContain('parley_timer_lateness_seconds_bucket{le="1"} 2')
    expect(text).toContain('parley_timer_lateness_seconds_bucket{le="+Inf"} 2')
    expect(text).toContain('parley_timer_lateness_seconds_count 2')
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(await metricValue(metrics.steps, { trigger: 'timer' })).toBe(3)
    expect(await metricValue(metrics.steps, { trigger: 'event' })).toBe(0)
  })

  it('keeps each process its own registry: two sets of metrics count apart, the global registry stays empty', async () => {
    const a = createRuntimeMetrics()
    const b = createRuntimeMetrics()
    a.timersFired.inc(5)
    b.timersFired.inc(2)
    expect(await metricValue(a.timersFired)).toBe(5)
    expect(await metricValue(b.timersFired)).toBe(2)
    expect(await globalRegistry.metrics()).not.toContain('parley_')
  })

  it('adds process metrics (memory, event-loop lag) only when asked', async () => {
    expect(await createRuntimeMetrics().render()).not.toContain('process_resident_memory_bytes')
    const server = createRuntimeMetrics({ processMetrics: true })
    expect(await server.render()).toContain('nodejs_eventloop_lag_seconds')
  })

  it('runs a throttled collector at most once per interval, however many scrapes (even concurrent ones)', async () => {
    const metrics = createRuntimeMetrics()
    let now = 1_000
    let runs = 0
    metrics.collect(
      async () => {
        runs += 1
        metrics.timersDue.set(runs)
      },
      { minIntervalMs: 10_000, now: () => now },
    )
    await Promise.all([metrics.render(), metrics.render(), metrics.render()])
    expect(runs).toBe(1)
    now += 9_999
    expect(await metrics.render()).toContain('parley_timers_due 1')
    expect(runs).toBe(1)
    now += 1
    expect(await metrics.render()).toContain('parley_timers_due 2')
    expect(runs).toBe(2)
  })
})
