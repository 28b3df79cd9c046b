// Catalogue import and search (issue 11): a generated Shopify export of N products × 5 variants (realistic titles,
// HTML bodies with commas and newlines, tags, options, images), uploaded and imported the way the app does it
// (createCsvImport streams the file into the job's chunks, the background worker parses and writes in batches),
// timed end to end, with the process's peak RSS sampled every 20 ms; then catalogue search p50/p95 over the
// imported catalogue (word, prefix, SKU and filtered queries).
//   cd bench && node --import tsx catalogue.bench.ts                      (PGlite)
//   node scripts/with-postgres.mjs sh -c 'cd bench && node --import tsx catalogue.bench.ts'   (Postgres)
// Each size runs in its own child process, so peak RSS belongs to that size alone.
import { execFileSync } from 'node:child_process'
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createTestDatabase } from '@parley/db/testing'
import { searchProducts } from '../apps/runtime/src/catalogue/catalogue-search.ts'
import { createCsvImport, findImport } from '../apps/runtime/src/catalogue/import-jobs.ts'
import { CatalogueImportWorker } from '../apps/runtime/src/catalogue/import-worker.ts'
import { loadConfig } from '../apps/runtime/src/config.ts'
import { createEgress } from '../apps/runtime/src/egress/egress-agent.ts'
import { createLogger } from '../apps/runtime/src/observability/logger.ts'
import { seedMerchant } from '../apps/runtime/src/testing/test-deps.ts'
import { systemClock } from '../apps/runtime/src/time/clock.ts'
import { ADJECTIVES, COLOURS, generateExport, NOUNS, TYPES, VENDORS } from './generate-catalogue-csv.ts'

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}

async function runOne(products: number, file: string) {
  const kind = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'
  const load = (await import('node:os')).loadavg()[0]
  const database = await createTestDatabase(kind)
  const db = database.db
  try {
    const m = await seedMerchant(db)
    const worker = new CatalogueImportWorker({
      db,
      clock: systemClock,
      logger: createLogger('silent'),
      instanceId: 'bench',
      // CSV imports make no outbound calls; a sync would go through this (nothing is allowed beyond the rules).
      egress: createEgress({ allowList: [] }),
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
    })
    if (global.gc) global.gc()
    const baseline = process.memoryUsage().rss
    let peak = baseline
    // What the RSS is made of at its peak: V8's heap (live and not yet collected) and Buffers outside it.
    let peakHeap = 0
    let peakExternal = 0
    const sampler = setInterval(() => {
      const m = process.memoryUsage()
      peak = Math.max(peak, m.rss)
      peakHeap = Math.max(peakHeap, m.heapUsed)
      peakExternal = Math.max(peakExternal, m.external)
    }, 20)
    const cpuStart = process.cpuUsage()
    const started = performance.now()
    const job = await createCsvImport(db, {
      merchantId: m.merchantId,
      createdBy: null,
      fileName: 'bench.csv',
      options: { currency: 'USD', storeUrl: null, channelId: null },
      body: createReadStream(file, { highWaterMark: 64 * 1024 }),
      maxBytes: 200 * 1024 * 1024,
      now: new Date(),
    })
    const uploaded = performance.now()
    worker.kick()
    await worker.idle()
    const finished = performance.now()
    const cpu = process.cpuUsage(cpuStart)
    clearInterval(sampler)
    peak = Math.max(peak, process.memoryUsage().rss)
    if (global.gc) global.gc()
    // What is still held after the import (a leak would show here, garbage would not).
    const heapAfterGc = process.memoryUsage().heapUsed
    const done = await findImport(db, m.merchantId, job.id)
    const variants = await db
      .selectFrom('product_variants')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('merchant_id', '=', m.merchantId)
      .executeTakeFirstOrThrow()

    const queries: Parameters<typeof searchProducts>[2][] = []
    for (let i = 0; i < 200; i++) {
      const word = [ADJECTIVES, NOUNS, COLOURS, VENDORS][i % 4] as string[]
      const q = (word[i % word.length] as string).split(' ')[0] as string
      queries.push({ q: i % 3 === 0 ? q.slice(0, 3) : q, limit: 25, offset: 0 })
      queries.push({ q: `SKU-${(i * 37) % products}`, limit: 25, offset: 0 })
      queries.push({ q, inStock: true, type: TYPES[i % TYPES.length], limit: 25, offset: 0 })
      queries.push({ limit: 25, offset: (i * 25) % Math.max(1, products - 25) })
    }
    for (const q of queries.slice(0, 40)) await searchProducts(db, m.merchantId, q)
    const times: number[] = []
    for (const q of queries) {
      const t0 = performance.now()
      await searchProducts(db, m.merchantId, q)
      times.push(performance.now() - t0)
    }
    return {
      kind,
      loadAverage: load?.toFixed(1),
      products,
      rows: done?.rows_done,
      variants: Number(variants.n),
      created: done?.products_created,
      errors: done?.error_count,
      status: done?.status,
      fileMB: +(statSync(file).size / 1024 / 1024).toFixed(1),
      uploadSeconds: +((uploaded - started) / 1000).toFixed(2),
      importSeconds: +((finished - uploaded) / 1000).toFixed(2),
      totalSeconds: +((finished - started) / 1000).toFixed(2),
      // CPU time of this process (parsing and writing; with PGlite also the database): less load-dependent than wall time.
      importCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
      rowsPerSecond: Math.round((done?.rows_done ?? 0) / ((finished - started) / 1000)),
      baselineRssMB: Math.round(baseline / 1024 / 1024),
      peakRssMB: Math.round(peak / 1024 / 1024),
      peakHeapUsedMB: Math.round(peakHeap / 1024 / 1024),
      peakExternalMB: Math.round(peakExternal / 1024 / 1024),
      heapAfterGcMB: Math.round(heapAfterGc / 1024 / 1024),
      searchP50ms: +percentile(times, 50).toFixed(2),
      searchP95ms: +percentile(times, 95).toFixed(2),
      searches: times.length,
    }
  } finally {
    await database.close()
  }
}

const child = process.argv[2]
if (child) {
  const products = Number(child)
  const dir = mkdtempSync(join(tmpdir(), 'parley-catalogue-bench-'))
  const file = join(dir, 'export.csv')
  generateExport(file, products)
  try {
    console.log(JSON.stringify(await runOne(products, file)))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
} else {
  const sizes = (process.env.CATALOGUE_BENCH_PRODUCTS ?? '1000,10000').split(',').map(Number)
  for (const size of sizes) {
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), String(size)],
      {
        encoding: 'utf8',
        env: process.env,
        maxBuffer: 10 * 1024 * 1024,
      },
    )
    const line = out.trim().split('\n').pop() ?? ''
    console.log(`${size} products × 5 variants:`, line)
  }
}
