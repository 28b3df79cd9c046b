// Inbound web chat (issue 3 acceptance 6a, issue 9 "Performance"): 32 concurrent visitors POST messages to the
// real runtime over HTTP; each message is a full durable step (receipt, contact, conversation, transcript row,
// the visitor's run stepped, a reply written: delivered in the step, or queued in the outbox behind an earlier
// send). Each round first runs the same 32 clients on GET /healthz (the runtime's HTTP stack and one
// `select 1`, no step), then on the messages: the ratio of the two is per round, so the machine's noise hits
// both. Also per round: p50/p99 latency, the CPU milliseconds per message of the runtime process and of the
// Postgres cluster (from /proc); over all rounds, the rows written per message (pg_stat_user_tables). BENCH_PGBENCH=1 adds pgbench TPC-B (the retired goal) per round.
//   node scripts/with-postgres.mjs sh -c 'cd bench && node --import tsx runtime-inbound.bench.ts'
import { execFileSync } from 'node:child_process'
import { cpus } from 'node:os'
import { sql } from 'kysely'
import {
  chatFlow,
  createBenchDatabase,
  median,
  percentile,
  perUnit,
  postgresCpuMeter,
  rowsDelta,
  rowsWritten,
  runtimeCpuMs,
  seedShop,
  startRuntimeChild,
  statementCounter,
} from './runtime-bench-kit.ts'

const CLIENTS = 32
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15)
const PGBENCH_SCALE = 32

function pgbench(url: string, args: string[]): string {
  const bin = process.env.PGBENCH_PATH || 'pgbench'
  return execFileSync(bin, [...args, url], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

function pgbenchTps(url: string): number {
  const out = pgbench(url, ['-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), '-n'])
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1]
  if (!tps) throw new Error(`cannot read pgbench output:\n${out}`)
  return Number(tps)
}

interface Visitor {
  token: string
  sent: number
}

async function openVisitor(baseUrl: string, channelId: string): Promise<Visitor> {
  const res = await fetch(`${baseUrl}/api/webchat/${channelId}/session`, { method: 'POST' })
  if (!res.ok) throw new Error(`session: ${res.status} ${await res.text()}`)
  const { token } = (await res.json()) as { token: string }
  return { token, sent: 0 }
}

let messageCounter = 0
/** Requests sent again after the server closed a kept-alive socket under them (same id: processed once). */
let resent = 0

async function say(baseUrl: string, channelId: string, visitor: Visitor): Promise<number> {
  const started = performance.now()
  const body = JSON.stringify({ clientMessageId: `m${++messageCounter}`, text: `question ${visitor.sent}` })
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${baseUrl}/api/webchat/${channelId}/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${visitor.token}`, 'Content-Type': 'application/json' },
        body,
      })
      const text = await res.text()
      if (res.status !== 202) throw new Error(`message: ${res.status} ${text}`)
      break
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET' || attempt === 3)
        throw error
      resent += 1
    }
  }
  visitor.sent += 1
  return performance.now() - started
}

/**
 * Ceilings for any HTTP work here: the same 32 clients, back to back, on a GET that answers `status`. Requests
 * per second.
 */
async function getRate(url: string, status: number, seconds: number): Promise<number> {
  let count = 0
  const deadline = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const res = await fetch(url)
        await res.text()
        if (res.status !== status) throw new Error(`${url}: ${res.status}`)
        count += 1
      }
    }),
  )
  return count / ((performance.now() - started) / 1000)
}

/** Every visitor sends back to back for `seconds`; returns messages per second and the latencies. */
async function httpRound(baseUrl: string, channelId: string, visitors: Visitor[], seconds: number) {
  const latencies: number[] = []
  const deadline = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    visitors.map(async (visitor) => {
      while (performance.now() < deadline) latencies.push(await say(baseUrl, channelId, visitor))
    }),
  )
  return { rate: latencies.length / ((performance.now() - started) / 1000), latencies }
}

const bench = await createBenchDatabase('bench_inbound')
const withPgbench = process.env.BENCH_PGBENCH === '1'
const tpcb = withPgbench ? await createBenchDatabase('bench_pgbench', false) : null
try {
  if (tpcb) pgbench(tpcb.url, ['-i', '-q', '-s', String(PGBENCH_SCALE)])
  const shop = await seedShop(bench.db, chatFlow)
  // Burst merge off, explicitly: each shopper waits for its reply before writing again, so a new store's 2.5 s
  // quiet window would be measured as latency, not throughput (BENCHMARKS.md, "Burst merge").
  await bench.db
    .updateTable('merchants')
    .set({ burst_window_ms: 0 })
    .where('id', '=', shop.merchantId)
    .execute()
  const runtime = await startRuntimeChild(bench.url)
  const postgresCpuMs = await postgresCpuMeter(bench.db)
  try {
    const visitors = await Promise.all(
      Array.from({ length: CLIENTS }, () => openVisitor(runtime.baseUrl, shop.channelId)),
    )
    // Warm-up: every visitor's run starts (first message) and the compiled flow is cached.
    await httpRound(runtime.baseUrl, shop.channelId, visitors, 3)
    // Statistics for the tables the warm-up filled, as autovacuum keeps them in a live shop: without them the
    // planner takes the transcript for empty and checks foreign keys with sequential scans.
    await sql`analyze`.execute(bench.db)
    // And `/healthz` warmed as the messages were: measured cold, round 1's ceiling came out the lowest of its run
    // in all 13 runs of session 14, which raised round 1's ratio and with it each run's median (BENCHMARKS.md).
    await getRate(`${runtime.baseUrl}/healthz`, 200, 3)
    const rowsBefore = await rowsWritten(bench.db)
    const statements = await statementCounter(bench.db)
    await statements?.reset()
    const sentBefore = visitors.reduce((n, v) => n + v.sent, 0)
    const ratios: number[] = []
    const rates: number[] = []
    const ceilings: number[] = []
    const p50s: number[] = []
    const p99s: number[] = []
    const runtimeCpu: number[] = []
    const postgresCpu: number[] = []
    for (let round = 1; round <= ROUNDS; round++) {
      const tps = tpcb ? pgbenchTps(tpcb.url) : null
      // The runtime's HTTP stack and one `select 1`; then HTTP alone (middleware and a 404 answer, no database).
      const ceiling = await getRate(`${runtime.baseUrl}/healthz`, 200, Math.min(SECONDS, 5))
      const httpOnly = await getRate(`${runtime.baseUrl}/api/no-such-route`, 404, Math.min(SECONDS, 5))
      const cpuStart = { runtime: runtimeCpuMs(runtime), postgres: postgresCpuMs() }
      const roundStart = process.hrtime.bigint() / 1000n
      const { rate, latencies } = await httpRound(runtime.baseUrl, shop.channelId, visitors, SECONDS)
      // The message round's span on the monotonic clock (µs), the clock of --cpu-prof's sample times: a profile
      // read can keep only the samples of the message rounds.
      if (process.env.BENCH_VERBOSE)
        console.log(`round ${round} messages monotonic µs ${roundStart}–${process.hrtime.bigint() / 1000n}`)
      const perMessage = {
        runtime: (runtimeCpuMs(runtime) - cpuStart.runtime) / latencies.length,
        postgres: (postgresCpuMs() - cpuStart.postgres) / latencies.length,
      }
      ceilings.push(ceiling)
      ratios.push(rate / ceiling)
      rates.push(rate)
      p50s.push(percentile(latencies, 50))
      p99s.push(percentile(latencies, 99))
      runtimeCpu.push(perMessage.runtime)
      postgresCpu.push(perMessage.postgres)
      console.log(
        `round ${round}: GET /healthz ${ceiling.toFixed(0)} req/s, a 404 ${httpOnly.toFixed(0)} req/s; ` +
          `inbound ${rate.toFixed(0)} msg/s (${latencies.length} in ${SECONDS} s) → ratio to /healthz ` +
          `${(rate / ceiling).toFixed(3)}; latency p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
          `p99 ${percentile(latencies, 99).toFixed(1)} ms; CPU per message: runtime ` +
          `${perMessage.runtime.toFixed(2)} ms, Postgres ${perMessage.postgres.toFixed(2)} ms` +
          (tps ? `; pgbench TPC-B ${tps.toFixed(0)} tps → ratio ${(rate / tps).toFixed(3)}` : ''),
      )
    }
    const sent = visitors.reduce((n, v) => n + v.sent, 0)
    // After the relay delivered the replies (as the rows are): every statement of the rounds, /healthz's included.
    await new Promise((r) => setTimeout(r, 11_000))
    const counted = await statements?.read()
    const rows = rowsDelta(rowsBefore, await rowsWritten(bench.db, 0))
    const measured = sent - sentBefore
    const replies = await bench.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('direction', '=', 'out')
      .executeTakeFirst()
    // Web chat delivers a reply in the step itself unless an earlier send of its conversation still waits.
    const queued = await bench.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirst()
    console.log(
      `${sent} messages sent (${measured} in the rounds, ${resent} resent after a closed socket), ${replies?.n} replies (one per message ` +
        `expected), ${queued?.n} of them through the outbox`,
    )
    console.log(
      `rows written per message (the step and the relay's delivery): ${(rows.total / measured).toFixed(2)} — ${perUnit(rows.byTable, measured)}`,
    )
    if (counted) {
      // GET /healthz runs one `select $1` each: not the messages'.
      const healthz = counted.top.find((t) => t.toplevel && /^select \$1$/i.test(t.query.trim()))?.calls ?? 0
      console.log(
        `statements per message (pg_stat_statements, the rounds' /healthz checks left out): ` +
          `${((counted.calls - healthz) / measured).toFixed(2)} (+ ${(counted.nested / measured).toFixed(2)} nested: foreign-key checks, triggers)`,
      )
      if (process.env.BENCH_VERBOSE) console.table(counted.top)
    }
    console.log(
      `\ninbound web chat (${cpus().length} cores, ${CLIENTS} clients, ${ROUNDS} rounds of ${SECONDS} s): ` +
        `median ${median(rates).toFixed(0)} msg/s, GET /healthz ${median(ceilings).toFixed(0)} req/s, ` +
        `median ratio ${median(ratios).toFixed(3)} (goal ≥ 0.35), latency p50 ${median(p50s).toFixed(1)} ms, ` +
        `p99 ${median(p99s).toFixed(1)} ms; CPU per message: runtime ${median(runtimeCpu).toFixed(2)} ms, ` +
        `Postgres ${median(postgresCpu).toFixed(2)} ms; rows written per message ${(rows.total / measured).toFixed(2)}`,
    )
  } catch (error) {
    console.error(`runtime output:\n${runtime.output()}`)
    throw error
  } finally {
    await runtime.stop()
  }
} finally {
  await bench.drop()
  await tpcb?.drop()
}
