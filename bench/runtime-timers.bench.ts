// Timer firing (issue 3, acceptance 6b): 100,000+ pending timers in Postgres, of which 10,000 come due at the
// same instant; the real runtime (one process, its own poller and outbox relay) fires them. Each firing is a full
// durable step of a reminder run with a send queued. Reports firings per second (10,000 / time from the due
// instant until no due timer is left) and the lateness of each firing (the step's clock, written on its
// transcript row, minus the due time): p50, p99, max; per firing, the CPU milliseconds of the runtime process and
// of the Postgres cluster (from /proc, from the due instant until none is left) and the rows written (the step
// and the relay's sending of its reminder, pg_stat_user_tables). BENCH_PENDING=1000000 for the million.
//   node scripts/with-postgres.mjs sh -c 'cd bench && node --import tsx runtime-timers.bench.ts'
import { cpus } from 'node:os'
import type { Database } from '@parley/db'
import { type Kysely, sql } from 'kysely'
import {
  cloneReminderRuns,
  createBenchDatabase,
  median,
  percentile,
  perUnit,
  postgresCpuMeter,
  reminderFlow,
  rowsDelta,
  rowsWritten,
  runtimeCpuMs,
  runtimeThreadCpuMs,
  seedShop,
  startRuntimeChild,
  statementCounter,
} from './runtime-bench-kit.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const DUE_PER_ROUND = Number(process.env.BENCH_DUE ?? 10_000)
/**
 * Fired before round 1 and not reported: a live runtime is warm. Cold, round 1 charged V8's compiler threads to
 * the firings (runtime CPU 0.24 ms a firing against 0.14–0.18 in rounds 2 and 3, "other threads" 0.10 against
 * 0.04) and was the slowest round of every run, as the inbound bench's cold `/healthz` was (d084285).
 */
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? DUE_PER_ROUND)
/** Seeded: 100,000 left pending in every round, plus the rounds still to come and the warm-up. */
const PENDING = Number(process.env.BENCH_PENDING ?? 100_000) + (ROUNDS - 1) * DUE_PER_ROUND + WARM_UP
const HOUR = 3_600_000

/**
 * Polls until no timer due by `dueAt` is left; returns when that was seen and how many polls it took. Whether any
 * is left, not how many: a count walked every due timer's index entry and heap row (the deleted ones too, until
 * vacuumed) every 25 ms, and that Postgres CPU was charged to the firings (1.9 M buffer hits in a 10,000 round,
 * more than the steps' own writes).
 */
async function untilNoneDue(db: Kysely<Database>, dueAt: Date): Promise<{ doneAt: number; polls: number }> {
  for (let polls = 1; ; polls++) {
    const left = await sql<{
      due: boolean
    }>`select exists (select 1 from timers where due_at <= ${dueAt}) as due`.execute(db)
    if (!left.rows[0]?.due) return { doneAt: Date.now(), polls }
    if (Date.now() - dueAt.getTime() > 300_000) throw new Error('timers still due after 5 minutes')
    await new Promise((r) => setTimeout(r, 25))
  }
}

const bench = await createBenchDatabase('bench_timers')
try {
  const shop = await seedShop(bench.db, reminderFlow)
  // Round g's timers rest at far - g hours until the round makes them due, the warm-up's at far - (ROUNDS + 1)
  // hours; the rest at far.
  const far = Date.now() + 30 * 24 * HOUR
  const warmUpAt = new Date(far - (ROUNDS + 1) * HOUR)
  const seedStart = Date.now()
  await cloneReminderRuns(bench.db, shop, PENDING, {
    dueAt: `to_timestamp((${far} - case when m.n <= ${ROUNDS * DUE_PER_ROUND}
      then ((m.n - 1) / ${DUE_PER_ROUND} + 1) * ${HOUR}
      when m.n <= ${ROUNDS * DUE_PER_ROUND + WARM_UP} then ${(ROUNDS + 1) * HOUR} else 0 end) / 1000.0)`,
    templateDueAt: new Date(far),
    // Each shopper's transcript holds the message that started their run, as a live shop's would.
    transcript: true,
  })
  console.log(
    `seeded ${PENDING.toLocaleString('en')} reminder runs with one timer and one transcript message each in ${Date.now() - seedStart} ms`,
  )

  // The tables as a live shop's autovacuum keeps them: right after a bulk load of a million rows, autovacuum and
  // autoanalyze would otherwise run during the rounds, and their CPU was charged to the firings.
  const vacuumStart = Date.now()
  await sql`vacuum analyze`.execute(bench.db)
  console.log(`vacuum analyze after the seeding: ${Date.now() - vacuumStart} ms`)

  const runtime = await startRuntimeChild(bench.url)
  const postgresCpuMs = await postgresCpuMeter(bench.db)
  const statements = await statementCounter(bench.db)
  /** Sessions opened to the bench's database so far (pg_stat_database, Postgres 14+). */
  const sessionsOpened = async () =>
    Number(
      (
        await sql<{
          n: string
        }>`select sessions as n from pg_stat_database where datname = current_database()`.execute(bench.db)
      ).rows[0]?.n ?? 0,
    )
  const rates: number[] = []
  const p99s: number[] = []
  const cpu = { runtime: [] as number[], postgres: [] as number[], rows: [] as number[] }
  try {
    await new Promise((r) => setTimeout(r, 2000))
    if (WARM_UP > 0) {
      const warmUpStart = Date.now()
      const due = new Date()
      await sql`update timers set due_at = ${due} where due_at = ${warmUpAt}`.execute(bench.db)
      await untilNoneDue(bench.db, due)
      console.log(
        `warm-up: ${WARM_UP.toLocaleString('en')} fired in ${Date.now() - warmUpStart} ms (not reported)`,
      )
      // The relay's deliveries of the warm-up's sends finish before round 1 begins.
      await new Promise((r) => setTimeout(r, 2000))
    }
    for (let round = 1; round <= ROUNDS; round++) {
      const rowsBefore = await rowsWritten(bench.db)
      const pending = await sql<{ n: string }>`select count(*) as n from timers`.execute(bench.db)
      const dueAt = new Date(Date.now() + 1500)
      await sql`update timers set due_at = ${dueAt} where due_at = ${new Date(far - round * HOUR)}`.execute(
        bench.db,
      )
      await new Promise((r) => setTimeout(r, Math.max(0, dueAt.getTime() - Date.now())))
      const cpuStart = { runtime: runtimeCpuMs(runtime), postgres: postgresCpuMs() }
      const threadsStart = runtimeThreadCpuMs(runtime)
      const sessionsStart = process.env.BENCH_VERBOSE ? await sessionsOpened() : 0
      await statements?.reset()
      // The bench's own statements in the round (its polls), not counted as the runtime's.
      const { doneAt, polls } = await untilNoneDue(bench.db, dueAt)
      let benchStatements = polls
      const perFiring = {
        runtime: (runtimeCpuMs(runtime) - cpuStart.runtime) / DUE_PER_ROUND,
        postgres: (postgresCpuMs() - cpuStart.postgres) / DUE_PER_ROUND,
      }
      const threadsEnd = runtimeThreadCpuMs(runtime)
      const sessions = process.env.BENCH_VERBOSE ? (await sessionsOpened()) - sessionsStart : 0
      if (process.env.BENCH_VERBOSE) benchStatements += 1
      // After the relay delivered the reminders (as the rows are): the step's statements and the delivery's.
      await new Promise((r) => setTimeout(r, 11_000))
      const counted = await statements?.read()
      // The lateness is read after the counter: a scan of the transcript is the bench's, not the firings'
      // (at a million pending it read 16,000–24,000 pages, more than the firings themselves).
      const sent = await sql<{ lateness: number }>`
        select extract(epoch from (created_at - ${dueAt}::timestamptz)) * 1000 as lateness
        from messages where direction = 'out' and created_at >= ${dueAt}`.execute(bench.db)
      const lateness = sent.rows.map((r) => Number(r.lateness))
      const seconds = (doneAt - dueAt.getTime()) / 1000
      const rate = DUE_PER_ROUND / seconds
      rates.push(rate)
      p99s.push(percentile(lateness, 99))
      console.log(
        `round ${round}: ${Number(pending.rows[0]?.n).toLocaleString('en')} pending, ${DUE_PER_ROUND.toLocaleString('en')} due → ` +
          `all fired in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} firings/s; ${lateness.length} sends queued; ` +
          `lateness p50 ${percentile(lateness, 50).toFixed(0)} ms, p99 ${percentile(lateness, 99).toFixed(0)} ms, ` +
          `max ${Math.max(...lateness).toFixed(0)} ms`,
      )
      if (lateness.length !== DUE_PER_ROUND) console.log(`  (expected ${DUE_PER_ROUND} sends)`)
      // The round's span on the wall clock (to line up with a profile of the runtime child), and the connections
      // opened to the database in it (the runtime's pool, the bench's own).
      if (process.env.BENCH_VERBOSE)
        console.log(`  span: due ${dueAt.getTime()} → done ${doneAt} (epoch ms); ${sessions} sessions opened`)
      const rows = rowsDelta(rowsBefore, await rowsWritten(bench.db, 0))
      // Not the runtime's: the bench's own update that made them due.
      rows.byTable.timers = (rows.byTable.timers ?? 0) - DUE_PER_ROUND
      rows.total -= DUE_PER_ROUND
      cpu.runtime.push(perFiring.runtime)
      cpu.postgres.push(perFiring.postgres)
      cpu.rows.push(rows.total / DUE_PER_ROUND)
      console.log(
        `  per firing: CPU runtime ${perFiring.runtime.toFixed(2)} ms (main thread ` +
          `${((threadsEnd.main - threadsStart.main) / DUE_PER_ROUND).toFixed(3)}, other threads ` +
          `${((threadsEnd.others - threadsStart.others) / DUE_PER_ROUND).toFixed(3)}), Postgres ${perFiring.postgres.toFixed(2)} ms ` +
          `(until the last fired); rows written ${(rows.total / DUE_PER_ROUND).toFixed(2)} (the step and the ` +
          `reminder's delivery) — ${perUnit(rows.byTable, DUE_PER_ROUND)}` +
          (counted
            ? `; statements ${((counted.calls - benchStatements) / DUE_PER_ROUND).toFixed(2)} (+ ${(counted.nested / DUE_PER_ROUND).toFixed(2)} nested: foreign-key checks, triggers); ` +
              `shared buffers hit ${(counted.hits / DUE_PER_ROUND).toFixed(1)}, read ${(counted.reads / DUE_PER_ROUND).toFixed(2)}, ` +
              `WAL records ${(counted.wal / DUE_PER_ROUND).toFixed(2)} (all statements, the bench's polls included)`
            : ''),
      )
      if (counted && process.env.BENCH_VERBOSE) {
        console.table(counted.top)
        console.table(counted.topReads)
      }
    }
  } finally {
    await runtime.stop()
  }
  if (process.env.BENCH_VERBOSE) {
    const scans = await sql`select relname, seq_scan, seq_tup_read, idx_scan from pg_stat_user_tables
      order by seq_tup_read desc limit 8`.execute(bench.db)
    console.table(scans.rows)
  }
  console.log(
    `\ntimers (${cpus().length} cores, ${ROUNDS} rounds): median ${median(rates).toFixed(0)} firings/s, ` +
      `median p99 lateness ${median(p99s).toFixed(0)} ms; per firing: CPU runtime ${median(cpu.runtime).toFixed(2)} ms, ` +
      `Postgres ${median(cpu.postgres).toFixed(2)} ms, rows written ${median(cpu.rows).toFixed(2)} (goal ≥ 5,000/s)`,
  )
} finally {
  await bench.drop()
}
