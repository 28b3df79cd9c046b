// The runtime's CPU per inbound message in the engine alone (group commit, step, write; no HTTP), in-process on real
// Postgres: 32 shoppers of the inbound bench's chat flow send one message each per wave, waves back to back, so the
// batches a wave makes are the same however busy the machine is (1 at once, 16, then 15); process.cpuUsage over the
// measured waves. A probe for A/B comparisons of engine changes (BENCHMARKS.md "Runtime CPU per message, session
// 13"): the HTTP bench's CPU per message moves with its batch sizes, which move with the machine's load.
//   node scripts/with-postgres.mjs sh -c 'cd bench && node --import tsx inbound-engine-cpu.ts'
// PROBE_WAVES (250) and PROBE_WARM (60) waves; PROBE_ALS=1 runs each wave in an AsyncLocalStorage context.
import { AsyncLocalStorage } from 'node:async_hooks'
import { openDatabase } from '@parley/db'
import { processInboundMessage } from '../apps/runtime/src/engine/inbound.ts'
import { benchDeps, chatFlow, createBenchDatabase, seedShop } from './runtime-bench-kit.ts'

const VISITORS = 32
const WARM = Number(process.env.PROBE_WARM ?? 60)
const WAVES = Number(process.env.PROBE_WAVES ?? 250)
const bench = await createBenchDatabase('probe_inbound')
try {
  const shop = await seedShop(bench.db, chatFlow)
  await bench.db
    .updateTable('merchants')
    .set({ burst_window_ms: 0 })
    .where('id', '=', shop.merchantId)
    .execute()
  const opened = await openDatabase({ url: bench.url, preparedStatements: true })
  const deps = benchDeps(opened.db)
  let n = 0
  const plainWave = () =>
    Promise.all(
      Array.from({ length: VISITORS }, (_, v) => {
        n += 1
        return processInboundMessage(deps, {
          merchantId: shop.merchantId,
          channelId: shop.channelId,
          externalId: `v${v}:${n}`,
          sender: { externalId: `v${v}` },
          text: `question ${n}`,
        })
      }),
    )
  // PROBE_ALS=1: every wave inside an AsyncLocalStorage context, as the app's logger puts each request (its
  // promise hooks then run for every promise of the process).
  const als = new AsyncLocalStorage<{ requestId: string }>()
  const inContext = process.env.PROBE_ALS === '1'
  const wave = () => (inContext ? als.run({ requestId: `r${n}` }, plainWave) : plainWave())
  for (let i = 0; i < WARM; i++) await wave()
  const started = process.cpuUsage()
  const t0 = performance.now()
  for (let i = 0; i < WAVES; i++) await wave()
  const used = process.cpuUsage(started)
  const msgs = WAVES * VISITORS
  console.log(
    `engine probe: ${msgs} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s; CPU per message ` +
      `${((used.user + used.system) / 1000 / msgs).toFixed(4)} ms (user ${(used.user / 1000 / msgs).toFixed(4)})`,
  )
  await opened.close()
} finally {
  await bench.drop()
}
process.exit(0)
