// Runtime memory with idle runs (issue 3, acceptance 6c): the real runtime's resident set size on a database with
// no runs, then on the same database with 100,000 idle runs (each resting on a timer a month away). Runs live in
// Postgres, not in memory, so the goal is no growth. Each figure is the median of several fresh processes, each
// sampled after its loops have polled for a while.
//   node scripts/with-postgres.mjs sh -c 'cd bench && node --import tsx runtime-idle-rss.bench.ts'
import { cpus } from 'node:os'
import {
  cloneReminderRuns,
  createBenchDatabase,
  median,
  reminderFlow,
  seedShop,
  startRuntimeChild,
} from './runtime-bench-kit.ts'

const RUNS = Number(process.env.BENCH_PENDING ?? 100_000)
const PROCESSES = Number(process.env.BENCH_ROUNDS ?? 3)
const SETTLE_MS = 8000
const MB = 1024 * 1024

/** Starts a runtime, lets it poll for SETTLE_MS, samples RSS a few times; returns the median sample. */
async function measureRss(url: string): Promise<number> {
  const runtime = await startRuntimeChild(url)
  try {
    await fetch(`${runtime.baseUrl}/healthz`)
    await new Promise((r) => setTimeout(r, SETTLE_MS))
    const samples: number[] = []
    for (let i = 0; i < 5; i++) {
      samples.push(runtime.rss())
      await new Promise((r) => setTimeout(r, 400))
    }
    return median(samples)
  } finally {
    await runtime.stop()
  }
}

async function series(url: string, label: string): Promise<number> {
  const values: number[] = []
  for (let i = 0; i < PROCESSES; i++) values.push(await measureRss(url))
  console.log(`${label}: ${values.map((v) => (v / MB).toFixed(1)).join(', ')} MB`)
  return median(values)
}

const bench = await createBenchDatabase('bench_rss')
try {
  const shop = await seedShop(bench.db, reminderFlow)
  const empty = await series(bench.url, 'no runs')
  const far = new Date(Date.now() + 30 * 24 * 3_600_000)
  await cloneReminderRuns(bench.db, shop, RUNS, {
    dueAt: `'${far.toISOString()}'::timestamptz`,
    templateDueAt: far,
  })
  const full = await series(bench.url, `${RUNS.toLocaleString('en')} idle runs`)
  console.log(
    `\nruntime RSS (${cpus().length} cores, median of ${PROCESSES} processes): no runs ${(empty / MB).toFixed(1)} MB, ` +
      `${RUNS.toLocaleString('en')} idle runs ${(full / MB).toFixed(1)} MB, ` +
      `growth ${((full - empty) / MB).toFixed(1)} MB (${(((full - empty) / empty) * 100).toFixed(1)} %; goal: none)`,
  )
} finally {
  await bench.drop()
}
