// Due → delivered (issue 9, "Performance"): 1,000 runs whose delays end within the same 10 s, each then calling
// the provider — an HTTP-request step to a loopback listener — through the real runtime (its own timer poller,
// outbox relay and HTTP-request lane). Measures the time from each run's due instant to the listener receiving
// its request: p50, p99, max. Every run carries its number in its variables (`bench.n`) and puts it in the URL,
// so each request is matched to its own due time. 100,000 more runs rest on timers a month away.
//   node scripts/with-postgres.mjs sh -c 'cd bench && node --import tsx runtime-due-delivered.bench.ts'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus } from 'node:os'
import { sql } from 'kysely'
import {
  cloneReminderRuns,
  createBenchDatabase,
  median,
  percentile,
  seedShop,
  startRuntimeChild,
} from './runtime-bench-kit.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const DUE_PER_ROUND = Number(process.env.BENCH_DUE ?? 1_000)
const SPREAD_MS = 10_000
const IDLE = Number(process.env.BENCH_PENDING ?? 100_000)
const HOUR = 3_600_000

// The provider: answers at once and notes when each run's request arrived.
const arrivals = new Map<number, number>()
const listener = createServer((req, res) => {
  const n = Number(/\/due\/(\d+)/.exec(req.url ?? '')?.[1])
  if (Number.isInteger(n) && !arrivals.has(n)) arrivals.set(n, Date.now())
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
})
await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve))
const port = (listener.address() as AddressInfo).port

const at = (y: number) => ({ x: 0, y })
/** Any message → wait an hour → call the provider with the run's number → end. */
const callLaterFlow = {
  version: 1,
  name: 'Bench call later',
  nodes: [
    { id: 'start', kind: 'trigger-message', position: at(0), config: {} },
    {
      id: 'later',
      kind: 'delay',
      position: at(100),
      config: { mode: 'duration', duration: { amount: 1, unit: 'hours' } },
    },
    {
      id: 'call',
      kind: 'http-request',
      position: at(200),
      config: {
        method: 'GET',
        url: `http://127.0.0.1:${port}/due/{{bench.n}}`,
        headers: [],
        body: '',
        timeoutSeconds: 10,
        saveAs: 'response',
      },
    },
    { id: 'done', kind: 'end', position: at(300), config: {} },
    { id: 'failed', kind: 'end', position: at(300), config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'later' },
    { id: 'e2', source: 'later', sourceHandle: 'next', target: 'call' },
    { id: 'e3', source: 'call', sourceHandle: 'ok', target: 'done' },
    { id: 'e4', source: 'call', sourceHandle: 'error', target: 'failed' },
  ],
}

const bench = await createBenchDatabase('bench_due')
try {
  const shop = await seedShop(bench.db, callLaterFlow)
  const far = Date.now() + 30 * 24 * HOUR
  const total = IDLE + ROUNDS * DUE_PER_ROUND
  // Clone n ≤ ROUNDS × DUE_PER_ROUND belongs to round ⌈n / DUE_PER_ROUND⌉ and rests at far − round hours.
  await cloneReminderRuns(bench.db, shop, total, {
    dueAt: `to_timestamp((${far} - case when m.n <= ${ROUNDS * DUE_PER_ROUND}
      then ((m.n - 1) / ${DUE_PER_ROUND} + 1) * ${HOUR} else 0 end) / 1000.0)`,
    templateDueAt: new Date(far),
    snapshot: `jsonb_set(t.snapshot, '{context,vars,bench}', jsonb_build_object('n', m.n))`,
  })
  console.log(`seeded ${total.toLocaleString('en')} runs resting on a timer`)
  // The 1,000 runs stand for many merchants' (they are one merchant's here): the per-merchant cap on requests in
  // flight (HTTP_JOBS_PER_MERCHANT, 4 by default) would otherwise be what this measures. BENCH_HTTP_PER_MERCHANT
  // sets it (e.g. 4 to see the cap).
  const runtime = await startRuntimeChild(bench.url, {
    EGRESS_ALLOW_LIST: `127.0.0.1:${port}`,
    HTTP_JOBS_PER_MERCHANT: process.env.BENCH_HTTP_PER_MERCHANT ?? '64',
  })
  const p50s: number[] = []
  const p99s: number[] = []
  try {
    await new Promise((r) => setTimeout(r, 2000))
    for (let round = 1; round <= ROUNDS; round++) {
      // Run n comes due at start + (n mod DUE_PER_ROUND) × SPREAD_MS / DUE_PER_ROUND: all within SPREAD_MS.
      const start = Date.now() + 2000
      const step = SPREAD_MS / DUE_PER_ROUND
      await sql`update timers t set due_at = to_timestamp((${start}::bigint
          + ((r.snapshot #>> '{context,vars,bench,n}')::int % ${DUE_PER_ROUND}) * ${step}) / 1000.0)
        from runs r
        where r.merchant_id = t.merchant_id and r.id = t.run_id and t.due_at = ${new Date(far - round * HOUR)}`.execute(
        bench.db,
      )
      const first = (round - 1) * DUE_PER_ROUND + 1
      const ns = Array.from({ length: DUE_PER_ROUND }, (_, i) => first + i)
      const deadline = start + SPREAD_MS + 120_000
      while (ns.some((n) => !arrivals.has(n))) {
        if (Date.now() > deadline) throw new Error('requests still missing 2 minutes after the last due time')
        await new Promise((r) => setTimeout(r, 100))
      }
      const lateness = ns.map((n) => (arrivals.get(n) as number) - (start + (n % DUE_PER_ROUND) * step))
      p50s.push(percentile(lateness, 50))
      p99s.push(percentile(lateness, 99))
      console.log(
        `round ${round}: ${DUE_PER_ROUND.toLocaleString('en')} runs due within ${SPREAD_MS / 1000} s → every ` +
          `request received; due → request p50 ${percentile(lateness, 50).toFixed(0)} ms, ` +
          `p99 ${percentile(lateness, 99).toFixed(0)} ms, max ${Math.max(...lateness).toFixed(0)} ms, ` +
          `min ${Math.min(...lateness).toFixed(0)} ms`,
      )
    }
  } catch (error) {
    console.error(`runtime output:\n${runtime.output()}`)
    throw error
  } finally {
    await runtime.stop()
  }
  console.log(
    `\ndue → delivered (${cpus().length} cores, ${ROUNDS} rounds of ${DUE_PER_ROUND.toLocaleString('en')} runs ` +
      `due within ${SPREAD_MS / 1000} s, ${IDLE.toLocaleString('en')} idle): median p50 ${median(p50s).toFixed(0)} ms, ` +
      `median p99 ${median(p99s).toFixed(0)} ms (goal p99 ≤ 250 ms)`,
  )
} finally {
  listener.close()
  await bench.drop()
}
