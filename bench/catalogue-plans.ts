// Where catalogue search time goes: imports N products × 5 variants (the bench's generated export), then prints
// EXPLAIN (ANALYZE, BUFFERS) of the statements searchProducts runs for each kind of query the bench times, and
// each kind's p50/p95 over 50 runs. Postgres only (the plans are what production runs):
//   node scripts/with-postgres.mjs sh -c 'cd bench && node --import tsx catalogue-plans.ts 10000'
import { createReadStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Database } from '@parley/db'
import { createTestDatabase } from '@parley/db/testing'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { searchProducts } from '../apps/runtime/src/catalogue/catalogue-search.ts'
import { createCsvImport } from '../apps/runtime/src/catalogue/import-jobs.ts'
import { CatalogueImportWorker } from '../apps/runtime/src/catalogue/import-worker.ts'
import { loadConfig } from '../apps/runtime/src/config.ts'
import { createEgress } from '../apps/runtime/src/egress/egress-agent.ts'
import { createLogger } from '../apps/runtime/src/observability/logger.ts'
import { seedMerchant } from '../apps/runtime/src/testing/test-deps.ts'
import { systemClock } from '../apps/runtime/src/time/clock.ts'
import { generateExport } from './generate-catalogue-csv.ts'

const products = Number(process.argv[2] ?? 10000)
if (!process.env.TEST_DATABASE_URL) throw new Error('Run through scripts/with-postgres.mjs')
const database = await createTestDatabase('postgres')
const dir = mkdtempSync(join(tmpdir(), 'parley-catalogue-plans-'))
try {
  const db = database.db
  const m = await seedMerchant(db)
  const file = join(dir, 'export.csv')
  generateExport(file, products)
  await createCsvImport(db, {
    merchantId: m.merchantId,
    createdBy: null,
    fileName: 'plans.csv',
    options: { currency: 'USD', storeUrl: null, channelId: null },
    body: createReadStream(file),
    maxBytes: 200 * 1024 * 1024,
    now: new Date(),
  })
  const worker = new CatalogueImportWorker({
    db,
    clock: systemClock,
    logger: createLogger('silent'),
    instanceId: 'plans',
    egress: createEgress({ allowList: [] }),
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
  })
  worker.kick()
  await worker.idle()
  await sql`analyze`.execute(db)

  const kinds: Record<string, Parameters<typeof searchProducts>[2]> = {
    word: { q: 'Merino', limit: 25, offset: 0 },
    prefix3: { q: 'Mer', limit: 25, offset: 0 },
    shortPrefix: { q: 'co', limit: 25, offset: 0 },
    sku: { q: `SKU-${Math.floor(products / 3)}`, limit: 25, offset: 0 },
    filtered: { q: 'Sand', inStock: true, type: 'Shoes', limit: 25, offset: 0 },
    browse: { limit: 25, offset: Math.floor(products / 2) },
    browseFirst: { limit: 25, offset: 0 },
  }
  // A second Kysely on the same database that records each statement (SQL and parameters) it runs.
  const captured: { sql: string; parameters: readonly unknown[] }[] = []
  const pool = new pg.Pool({ connectionString: database.url, max: 1 })
  const traced = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') captured.push({ sql: event.query.sql, parameters: event.query.parameters })
    },
  })
  for (const [name, query] of Object.entries(kinds)) {
    const times: number[] = []
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now()
      await searchProducts(db, m.merchantId, query)
      times.push(performance.now() - t0)
    }
    times.sort((a, b) => a - b)
    console.log(
      `\n=== ${name} ${JSON.stringify(query)}: p50 ${times[25]?.toFixed(2)} ms, p95 ${times[47]?.toFixed(2)} ms`,
    )
    captured.length = 0
    await searchProducts(traced, m.merchantId, query)
    for (const statement of [...captured]) {
      const plan = await pool.query(
        `explain (analyze, buffers) ${statement.sql}`,
        statement.parameters as unknown[],
      )
      console.log(`--- ${statement.sql.replace(/\s+/g, ' ').slice(0, 160)}`)
      for (const row of plan.rows) console.log(row['QUERY PLAN'])
    }
  }
  await traced.destroy()
} finally {
  rmSync(dir, { recursive: true, force: true })
  await database.close()
}
