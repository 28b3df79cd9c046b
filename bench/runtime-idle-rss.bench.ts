// Runtime memory with idle runs (issue 3, acceptance 6c): the real runtime's memory on a database with no runs,
// with 100,000 and with 200,000 idle runs (each resting on a timer a month away). Runs live in Postgres, not in
// memory, so the goal is no growth.
//
// One database per size, all seeded up front; then rounds of fresh runtime processes, one per size in each round
// (the order rotates per round, so a change in machine load hits every size alike). Each process runs its
// timer poller and outbox relay for SETTLE_MS (every 250 ms by default: ~60 polls each; /metrics is scraped
// every 5 s, so its due-timer and pending-outbox counts run too), then reports, through
// bench/runtime-memory-probe.ts: RSS and V8 heapUsed (median of 5 samples), then heapUsed and RSS after a forced
// full GC (what the process keeps alive). A per-run term shows as growth proportional to the runs (0 → N → 2N);
// noise shows as growth no larger than the spread between processes of one size.
//   node scripts/with-postgres.mjs sh -c 'cd bench && node --import tsx runtime-idle-rss.bench.ts'
import { cpus } from 'node:os'
import { sql } from 'kysely'
import {
  BENCH_METRICS_TOKEN,
  type BenchDatabase,
  cloneReminderRuns,
  createBenchDatabase,
  median,
  reminderFlow,
  seedShop,
  startProbedRuntimeChild,
} from './runtime-bench-kit.ts'

const STEP = Number(process.env.BENCH_PENDING ?? 100_000)
const SIZES = [0, STEP, 2 * STEP]
const PROCESSES = Number(process.env.BENCH_ROUNDS ?? 5)
const SETTLE_MS = Number(process.env.BENCH_SECONDS ?? 15) * 1000
const MB = 1024 * 1024

interface Measurement {
  /** Median of 5 samples after SETTLE_MS, no GC forced. */
  rss: number
  heapUsed: number
  /** After a forced full GC. */
  rssAfterGc: number
  heapAfterGc: number
  external: number
  /** Transactions committed on the database while the process ran (its loops' polls; stats lag ~1 s). */
  transactions: number
}

async function transactionCount(bench: BenchDatabase): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`.execute(
    bench.db,
  )
  return Number(rows[0]?.n ?? Number.NaN)
}

async function measure(bench: BenchDatabase): Promise<Measurement> {
  const before = await transactionCount(bench)
  const runtime = await startProbedRuntimeChild(bench.url)
  try {
    const health = await fetch(`${runtime.baseUrl}/healthz`)
    if (!health.ok) throw new Error(`runtime unhealthy: ${health.status}\n${runtime.output()}`)
    const trajectory: number[] = []
    for (let waited = 0; waited < SETTLE_MS; waited += 1000) {
      // A Prometheus scrape every 5 s, as in production: its collectors count due timers and pending outbox rows.
      if (waited % 5000 === 0) {
        const metrics = await (
          await fetch(`${runtime.baseUrl}/metrics`, {
            headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` },
          })
        ).text()
        const due = /^parley_timers_due (\d+)$/m.exec(metrics)?.[1]
        if (due !== '0') throw new Error(`expected no due timers, /metrics says ${due}`)
      }
      trajectory.push(runtime.rss())
      await new Promise((r) => setTimeout(r, 1000))
    }
    if (process.env.BENCH_VERBOSE)
      console.log(`    RSS each second: ${trajectory.map((v) => (v / MB).toFixed(0)).join(' ')} MB`)
    const rss: number[] = []
    const heap: number[] = []
    for (let i = 0; i < 5; i++) {
      const sample = await runtime.memory({ gc: false })
      rss.push(runtime.rss())
      heap.push(sample.heapUsed)
      await new Promise((r) => setTimeout(r, 400))
    }
    const collected = await runtime.memory({ gc: true })
    const after = runtime.rss()
    const errors = runtime.output().match(/"level":"error".*/g)
    if (errors) throw new Error(`runtime logged errors:\n${errors.join('\n')}`)
    return {
      rss: median(rss),
      heapUsed: median(heap),
      rssAfterGc: after,
      heapAfterGc: collected.heapUsed,
      external: collected.external,
      transactions: (await transactionCount(bench)) - before,
    }
  } finally {
    await runtime.stop()
  }
}

const mb = (bytes: number) => (bytes / MB).toFixed(1)
const range = (values: number[]) => `${mb(Math.min(...values))}–${mb(Math.max(...values))}`
const runs = (n: number) => n.toLocaleString('en')

const databases: BenchDatabase[] = []
try {
  for (const size of SIZES) {
    const bench = await createBenchDatabase('bench_rss')
    databases.push(bench)
    const shop = await seedShop(bench.db, reminderFlow)
    if (size > 0) {
      const started = Date.now()
      const far = new Date(Date.now() + 30 * 24 * 3_600_000)
      await cloneReminderRuns(bench.db, shop, size, {
        dueAt: `'${far.toISOString()}'::timestamptz`,
        templateDueAt: far,
      })
      const { rows } = await sql<{ runs: string; timers: string }>`
        select (select count(*) from runs) as runs, (select count(*) from timers) as timers`.execute(bench.db)
      console.log(
        `seeded ${runs(Number(rows[0]?.runs))} runs, ${runs(Number(rows[0]?.timers))} timers in ${((Date.now() - started) / 1000).toFixed(0)} s`,
      )
    }
  }

  const results = new Map<number, Measurement[]>(SIZES.map((size) => [size, []]))
  for (let round = 0; round < PROCESSES; round++) {
    for (let k = 0; k < SIZES.length; k++) {
      const index = (k + round) % SIZES.length
      const size = SIZES[index]!
      const m = await measure(databases[index]!)
      results.get(size)!.push(m)
      console.log(
        `round ${round + 1}, ${runs(size).padStart(7)} runs: RSS ${mb(m.rss)} MB, heapUsed ${mb(m.heapUsed)} MB; ` +
          `after GC: heapUsed ${mb(m.heapAfterGc)} MB, RSS ${mb(m.rssAfterGc)} MB, external ${mb(m.external)} MB ` +
          `(${m.transactions} transactions)`,
      )
    }
  }

  const rows = SIZES.map((size) => {
    const series = results.get(size)!
    const pick = (key: keyof Measurement) => series.map((m) => m[key])
    return {
      size,
      rss: median(pick('rss')),
      rssRange: range(pick('rss')),
      heap: median(pick('heapUsed')),
      heapRange: range(pick('heapUsed')),
      heapGc: median(pick('heapAfterGc')),
      heapGcRange: range(pick('heapAfterGc')),
      rssGc: median(pick('rssAfterGc')),
      rssGcRange: range(pick('rssAfterGc')),
    }
  })
  console.log(
    `\nruntime memory (${cpus().length} cores, median of ${PROCESSES} fresh processes per size, ${SETTLE_MS / 1000} s of polling each):`,
  )
  console.log(
    '| idle runs | RSS MB (range) | heapUsed MB (range) | after GC: heapUsed MB (range) | RSS MB (range) |',
  )
  for (const r of rows) {
    console.log(
      `| ${runs(r.size)} | ${mb(r.rss)} (${r.rssRange}) | ${mb(r.heap)} (${r.heapRange}) | ` +
        `${mb(r.heapGc)} (${r.heapGcRange}) | ${mb(r.rssGc)} (${r.rssGcRange}) |`,
    )
  }
  const growth = (label: string, key: 'rss' | 'heap' | 'heapGc' | 'rssGc') => {
    const [a, b, c] = rows.map((r) => r[key]) as [number, number, number]
    const step = (from: number, to: number) =>
      `${to - from >= 0 ? '+' : ''}${((to - from) / MB).toFixed(2)} MB (${(((to - from) / from) * 100).toFixed(1)} %)`
    console.log(
      `${label}: 0 → ${runs(STEP)} ${step(a, b)}, ${runs(STEP)} → ${runs(2 * STEP)} ${step(b, c)}; ` +
        `per run (0 → ${runs(2 * STEP)}): ${((c - a) / (2 * STEP)).toFixed(1)} bytes`,
    )
  }
  console.log('')
  growth('RSS', 'rss')
  growth('heapUsed', 'heap')
  growth('heapUsed after GC', 'heapGc')
  growth('RSS after GC', 'rssGc')
  console.log('goal: no growth')
} finally {
  for (const bench of databases) await bench.drop()
}
