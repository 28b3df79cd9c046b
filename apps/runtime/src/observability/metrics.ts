// The runtime's Prometheus metrics, on prom-client with one Registry per process (built in server.ts, or per test),
// never prom-client's global default registry: two runtimes in one process (tests, replicas) keep their own counts.
// Gauges that live in the database (outbox pending, timers due) are read by collectors at scrape time, at most once
// per collector's refresh interval: scrapes (however frequent, from however many scrapers) stay cheap, and the
// database sees one count per interval.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

export interface CollectOptions {
  /** Reuse the last collection for this long (default 0: every scrape). */
  minIntervalMs?: number
  /** Milliseconds now (the runtime's clock); required with minIntervalMs. */
  now?: () => number
}

/** A collector that runs at most once per interval; scrapes meanwhile (or concurrently) share its last run. */
function throttled(collect: () => Promise<void>, options: CollectOptions): () => Promise<void> {
  const interval = options.minIntervalMs ?? 0
  const now = options.now ?? Date.now
  let lastStarted = Number.NEGATIVE_INFINITY
  let inFlight: Promise<void> | undefined
  return () => {
    if (inFlight) return inFlight
    if (interval > 0 && now() - lastStarted < interval) return Promise.resolve()
    lastStarted = now()
    inFlight = collect().finally(() => {
      inFlight = undefined
    })
    return inFlight
  }
}

export interface RuntimeMetricsOptions {
  /** prom-client's process metrics (CPU, memory, event-loop lag, GC): the server turns them on, tests do not. */
  processMetrics?: boolean
}

/** The runtime's own metrics, one set per process. */
export function createRuntimeMetrics(options: RuntimeMetricsOptions = {}) {
  const registry = new Registry()
  const registers = [registry]
  if (options.processMetrics) collectDefaultMetrics({ register: registry })
  const collectors: (() => Promise<void>)[] = []
  return {
    registry,
    /**
     * Runs before a scrape, e.g. to read queue depths from the database into gauges; with `minIntervalMs`, at
     * most once per interval (the gauges keep their last values in between).
     */
    collect(collector: () => Promise<void>, collectOptions: CollectOptions = {}): void {
      collectors.push(throttled(collector, collectOptions))
    },
    /** The text exposition format, after the collectors ran; `contentType` is its media type. */
    async render(): Promise<string> {
      await Promise.all(collectors.map((collect) => collect()))
      return registry.metrics()
    },
    contentType: registry.contentType,
    steps: new Counter({
      name: 'parley_steps_total',
      help: 'Durable steps committed, by trigger (event, timer).',
      labelNames: ['trigger'] as const,
      registers,
    }),
    stepFailures: new Counter({
      name: 'parley_step_failures_total',
      help: 'Steps that failed and were rolled back.',
      registers,
    }),
    timersFired: new Counter({ name: 'parley_timers_fired_total', help: 'Timers fired.', registers }),
    timersDropped: new Counter({
      name: 'parley_timers_dropped_total',
      help: 'Timers dropped because their run moved on.',
      registers,
    }),
    timerLateness: new Histogram({
      name: 'parley_timer_lateness_seconds',
      help: 'How late timers fired after their due time.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    }),
    timersDue: new Gauge({ name: 'parley_timers_due', help: 'Timers due now and not yet fired.', registers }),
    outboxPending: new Gauge({
      name: 'parley_outbox_pending',
      help: 'Outbox rows waiting to be sent.',
      registers,
    }),
    outboxSent: new Counter({
      name: 'parley_outbox_sent_total',
      help: 'Messages handed to a provider, by channel.',
      labelNames: ['channel'] as const,
      registers,
    }),
    outboxFailed: new Counter({
      name: 'parley_outbox_failed_total',
      help: 'Messages that failed for good, by channel.',
      labelNames: ['channel'] as const,
      registers,
    }),
    outboxUnknown: new Counter({
      name: 'parley_outbox_unknown_total',
      help: 'Messages whose delivery is unknown (timeout after write, or lease expired), by channel or reason.',
      labelNames: ['channel', 'reason'] as const,
      registers,
    }),
    httpRequests: new Counter({
      name: 'parley_http_requests_total',
      help: 'HTTP requests, by method and status class.',
      labelNames: ['method', 'status'] as const,
      registers,
    }),
    // ── llm (issue 14): optional AI answers ──
    llmAnswers: new Counter({
      name: 'parley_llm_answers_total',
      help: 'AI answer attempts, by outcome (answered, fallback) and the fallback reason (timeout, rate_limited, ...).',
      labelNames: ['outcome', 'reason'] as const,
      registers,
    }),
  }
}
export type RuntimeMetrics = ReturnType<typeof createRuntimeMetrics>

/** A counter's (or gauge's) current value for these labels (0 when never set): for tests and diagnostics. */
export async function metricValue(
  metric: Counter<string> | Gauge<string>,
  labels: Record<string, string> = {},
): Promise<number> {
  const { values } = await metric.get()
  const wanted = Object.entries(labels)
  const match = values.find(
    (v) =>
      Object.keys(v.labels).length === wanted.length &&
      wanted.every(([k, value]) => String(v.labels[k]) === value),
  )
  return match?.value ?? 0
}
