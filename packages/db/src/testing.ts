// Helpers for other packages' test suites: which backends to run on, and a fresh migrated database per suite.
//
//   describe.each(testDatabases())('flows on %s', (kind) => {
//     let t: TestDatabase
//     beforeAll(async () => { t = await createTestDatabase(kind) })
//     afterAll(() => t.close())
//   })
import { randomBytes } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import pg from 'pg'
import { type DatabaseKind, type OpenedDatabase, openDatabase } from './open-database.ts'
import type { PlanCacheMode } from './prepared-statements.ts'
import type { Database, Merchant, NewMerchant } from './schema/index.ts'

export type TestDatabase = OpenedDatabase & {
  /** postgres only: the database's own URL, for another process (a runtime started as a child) to connect. */
  url?: string
}

let noticeShown = false

/**
 * The backends a suite must run on: always 'pglite'; 'postgres' too when TEST_DATABASE_URL is set (an admin URL
 * to a throwaway cluster, as `node scripts/with-postgres.mjs` provides). Under CI=true a missing
 * TEST_DATABASE_URL is an error, so the real-Postgres suites can never be skipped there silently.
 */
export function testDatabases(): DatabaseKind[] {
  if (process.env.TEST_DATABASE_URL) return ['pglite', 'postgres']
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(
      'TEST_DATABASE_URL is not set but CI=true: real-Postgres suites must run in CI. ' +
        'Run the tests through `node scripts/with-postgres.mjs ...` (root `pnpm test` does).',
    )
  }
  if (!noticeShown) {
    noticeShown = true
    console.warn(
      '\n[@parley/db] TEST_DATABASE_URL is not set: SKIPPING the real-Postgres suites (PGlite only). ' +
        'Run through `node scripts/with-postgres.mjs` to include them.\n',
    )
  }
  return ['pglite']
}

/** The admin URL for real-Postgres tests; throws when absent. */
export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL
  if (!url) throw new Error('TEST_DATABASE_URL is not set')
  return url
}

/**
 * A fresh, migrated, isolated database. pglite: in memory. postgres: CREATE DATABASE parley_test_<random> on the
 * TEST_DATABASE_URL cluster, dropped again by close(), so suites can run in parallel.
 */
export async function createTestDatabase(
  kind: DatabaseKind,
  options: { migrate?: boolean; poolSize?: number; preparedStatements?: boolean } = {},
): Promise<TestDatabase> {
  if (kind === 'pglite') return openDatabase({ migrate: options.migrate ?? true })

  const adminUrl = testDatabaseUrl()
  const name = `parley_test_${randomBytes(6).toString('hex')}`
  await withAdminClient(adminUrl, (client) => client.query(`create database ${name}`))
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  let opened: OpenedDatabase
  try {
    opened = await openDatabase({ url: url.toString(), ...preparedFromEnv(), ...options })
  } catch (error) {
    await dropDatabase(adminUrl, name)
    throw error
  }
  let closing: Promise<void> | undefined
  return {
    ...opened,
    url: url.toString(),
    close: () => {
      closing ??= opened.close().finally(() => dropDatabase(adminUrl, name))
      return closing
    },
  }
}

/**
 * The Postgres suites run as production runs its pool (named prepared statements, prepared-statements.ts), with
 * every plan generic from the first execution: the strictest check that no statement needs its parameters'
 * values to be planned (a partial index's predicate, an ON CONFLICT arbiter), which production's plan cache meets
 * after a statement's fifth execution. TEST_DATABASE_PREPARED_STATEMENTS=auto keeps Postgres' own choice of plan,
 * =off sends unnamed statements (no plan cache at all).
 */
function preparedFromEnv(): { preparedStatements?: boolean; planCacheMode?: PlanCacheMode } {
  const mode = process.env.TEST_DATABASE_PREPARED_STATEMENTS ?? 'generic'
  if (mode === 'off' || mode === '0' || mode === 'false') return { preparedStatements: false }
  if (mode === 'auto' || mode === '1' || mode === 'true') return { preparedStatements: true }
  if (mode === 'generic') return { preparedStatements: true, planCacheMode: 'force_generic_plan' }
  throw new Error(`TEST_DATABASE_PREPARED_STATEMENTS=${mode}: expected generic, auto or off`)
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdminClient(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`))
}

async function withAdminClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** Inserts a merchant with defaults (tests only). */
export async function insertMerchant(
  db: Kysely<Database> | Transaction<Database>,
  values: Partial<NewMerchant> = {},
): Promise<Merchant> {
  return db
    .insertInto('merchants')
    .values({ name: `Test shop ${randomBytes(3).toString('hex')}`, ...values })
    .returningAll()
    .executeTakeFirstOrThrow()
}
