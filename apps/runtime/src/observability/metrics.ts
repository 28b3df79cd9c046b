// A small Prometheus registry: counters, gauges and histograms rendered in the text exposition format.
// Gauges that live in the database (outbox pending, timers due) are read through collectors at scrape time,
// at most once per collector's refresh interval: scrapes (however frequent, from however many scrapers) stay
// cheap, and the database sees one count per interval.

type Labels = Record<string, string>

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort()
  return keys
    .map((k) => `${k}="${String(labels[k]).replace(/["\\\n]/g, (ch) => (ch === '\n' ? '\\n' : `\\${ch}`))}"`)
    .join(',')
}

interface Metric {
  name: string
  help: string
  type: 'counter' | 'gauge' | 'histogram'
  render(): string[]
}

export class Counter implements Metric {
  readonly type = 'counter'
  readonly #values = new Map<string, number>()
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels)
    this.#values.set(key, (this.#values.get(key) ?? 0) + by)
  }
  get(labels: Labels = {}): number {
    return this.#values.get(labelKey(labels)) ?? 0
  }
  render(): string[] {
    return [...this.#values].map(([key, value]) => `${this.name}${key ? `{${key}}` : ''} ${value}`)
  }
}

export class Gauge implements Metric {
  readonly type = 'gauge'
  readonly #values = new Map<string, number>()
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  set(value: number, labels: Labels = {}): void {
    this.#values.set(labelKey(labels), value)
  }
  render(): string[] {
    return [...this.#values].map(([key, value]) => `${this.name}${key ? `{${key}}` : ''} ${value}`)
  }
}

export class Histogram implements Metric {
  readonly type = 'histogram'
  readonly #counts: number[]
  #sum = 0
  #count = 0
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[],
  ) {
    this.#counts = buckets.map(() => 0)
  }
  observe(value: number): void {
    this.#sum += value
    this.#count += 1
    this.buckets.forEach((bound, i) => {
      if (value <= bound) this.#counts[i] = (this.#counts[i] ?? 0) + 1
    })
  }
  render(): string[] {
    const lines = this.buckets.map((bound, i) => `${this.name}_bucket{le="${bound}"} ${this.#counts[i]}`)
    lines.push(
      `${this.name}_bucket{le="+Inf"} ${this.#count}`,
      `${this.name}_sum ${this.#sum}`,
      `${this.name}_count ${this.#count}`,
    )
    return lines
  }
}

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

export class MetricsRegistry {
  readonly #metrics: Metric[] = []
  readonly #collectors: (() => Promise<void>)[] = []

  counter(name: string, help: string): Counter {
    return this.#register(new Counter(name, help))
  }
  gauge(name: string, help: string): Gauge {
    return this.#register(new Gauge(name, help))
  }
  histogram(name: string, help: string, buckets: number[]): Histogram {
    return this.#register(new Histogram(name, help, buckets))
  }
  /**
   * Runs before a scrape, e.g. to read queue depths from the database into gauges; with `minIntervalMs`, at
   * most once per interval (the gauges keep their last values in between).
   */
  collect(collector: () => Promise<void>, options: CollectOptions = {}): void {
    this.#collectors.push(throttled(collector, options))
  }

  async render(): Promise<string> {
    await Promise.all(this.#collectors.map((collect) => collect()))
    const out: string[] = []
    for (const metric of this.#metrics) {
      out.push(
        `# HELP ${metric.name} ${metric.help}`,
        `# TYPE ${metric.name} ${metric.type}`,
        ...metric.render(),
      )
    }
    return `${out.join('\n')}\n`
  }

  #register<M extends Metric>(metric: M): M {
    if (this.#metrics.some((m) => m.name === metric.name))
      throw new Error(`Metric ${metric.name} registered twice`)
    this.#metrics.push(metric)
    return metric
  }
}

/** The runtime's own metrics, one set per process. */
export function createRuntimeMetrics(registry = new MetricsRegistry()) {
  return {
    registry,
    steps: registry.counter('parley_steps_total', 'Durable steps committed, by trigger (event, timer).'),
    stepFailures: registry.counter('parley_step_failures_total', 'Steps that failed and were rolled back.'),
    timersFired: registry.counter('parley_timers_fired_total', 'Timers fired.'),
    timersDropped: registry.counter(
      'parley_timers_dropped_total',
      'Timers dropped because their run moved on.',
    ),
    timerLateness: registry.histogram(
      'parley_timer_lateness_seconds',
      'How late timers fired after their due time.',
      [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    ),
    timersDue: registry.gauge('parley_timers_due', 'Timers due now and not yet fired.'),
    outboxPending: registry.gauge('parley_outbox_pending', 'Outbox rows waiting to be sent.'),
    outboxSent: registry.counter('parley_outbox_sent_total', 'Messages handed to a provider.'),
    outboxFailed: registry.counter('parley_outbox_failed_total', 'Messages that failed for good.'),
    outboxUnknown: registry.counter(
      'parley_outbox_unknown_total',
      'Messages whose delivery is unknown (timeout after write).',
    ),
    httpRequests: registry.counter(
      'parley_http_requests_total',
      'HTTP requests, by method and status class.',
    ),
  }
}
export type RuntimeMetrics = ReturnType<typeof createRuntimeMetrics>
