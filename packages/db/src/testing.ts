// Helpers for other packages' test suites: which backends to run on, and a fresh migrated database per suite
// (a copy of a template migrated once per run).
//
//   describe.each(testDatabases())('flows on %s', (kind) => {
//     let t: TestDatabase
//     beforeAll(async () => { t = await createTestDatabase(kind) })
//     afterAll(() => t.close())
//   })
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, realpath, rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
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
 *
 * Migrated databases are copies of one migrated template (templates below): a run migrates once per backend,
 * not once per suite. The copy is the migrations' own output, and migrateToLatest still runs on it (a no-op
 * check). `migrate: false` gives an empty database, for tests of the migrations themselves.
 */
export async function createTestDatabase(
  kind: DatabaseKind,
  options: { migrate?: boolean; poolSize?: number; preparedStatements?: boolean } = {},
): Promise<TestDatabase> {
  const migrate = options.migrate ?? true
  if (kind === 'pglite')
    return openDatabase({ migrate, ...(migrate ? { loadDataDir: await pgliteTemplate() } : {}) })

  const adminUrl = testDatabaseUrl()
  const template = migrate ? await postgresTemplate(adminUrl) : undefined
  const name = `parley_test_${randomBytes(6).toString('hex')}`
  await withAdminClient(adminUrl, (client) =>
    client.query(`create database ${name}${template ? ` template ${template}` : ''}`),
  )
  const url = databaseUrl(adminUrl, name)
  let opened: OpenedDatabase
  try {
    opened = await openDatabase({ url, ...preparedFromEnv(), ...options })
  } catch (error) {
    await dropDatabase(adminUrl, name)
    throw error
  }
  let closing: Promise<void> | undefined
  return {
    ...opened,
    url,
    close: () => {
      closing ??= opened.close().finally(() => dropDatabase(adminUrl, name))
      return closing
    },
  }
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

// Templates. Migrating costs a PGlite database ~2 s of CPU on top of its initdb (~3 s), a Postgres one ~0.5 s;
// a run makes a couple of hundred. So each backend migrates once, into a template named by a hash of the
// migration files (a changed migration makes a new one), and every suite's database is a copy of it.

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))

let schemaHash: Promise<string> | undefined
/** sha256 of the migration files and of the PGlite build (its path names its version) that reads the copies. */
function migrationsHash(): Promise<string> {
  schemaHash ??= (async () => {
    const hash = createHash('sha256')
    hash.update(await realpath(createRequire(import.meta.url).resolve('@electric-sql/pglite')))
    for (const file of (await readdir(MIGRATIONS_DIR)).sort()) {
      hash.update(`\0${file}\0`)
      hash.update(await readFile(join(MIGRATIONS_DIR, file)))
    }
    return hash.digest('hex').slice(0, 16)
  })()
  return schemaHash
}

let pgliteData: Promise<Blob> | undefined
/**
 * A migrated PGlite data directory (a `dumpDataDir()` tarball). Every test file runs in its own process, so it
 * is kept as a file in this package's node_modules/.cache, written by whichever process needs it first (to a
 * temporary name, then renamed: a reader never sees half a file, and two writers both write the same thing).
 */
function pgliteTemplate(): Promise<Blob> {
  pgliteData ??= (async () => {
    const dir = fileURLToPath(new URL('../node_modules/.cache/parley-test-db/', import.meta.url))
    const file = join(dir, `pglite-${await migrationsHash()}.tar`)
    try {
      return new Blob([await readFile(file)])
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    const opened = await openDatabase({ migrate: true })
    try {
      // Written out, so a copy starts without replaying the migrations' WAL.
      await opened.pglite?.query('checkpoint')
      const dump = await opened.pglite?.dumpDataDir('none')
      if (!dump) throw new Error('PGlite gave no data directory')
      const bytes = new Uint8Array(await dump.arrayBuffer())
      await mkdir(dir, { recursive: true })
      const partial = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`
      await writeFile(partial, bytes)
      await rename(partial, file)
      return new Blob([bytes])
    } finally {
      await opened.close()
    }
  })()
  // A failure is not kept: the next suite tries again (and reports its own error).
  pgliteData.catch(() => {
    pgliteData = undefined
  })
  return pgliteData
}

const postgresTemplates = new Map<string, Promise<string>>()
/**
 * The name of a migrated template database on the cluster, made by the first suite that asks (under an advisory
 * lock, so concurrent suites wait for it rather than racing). It is marked a template only once migrated, so a
 * build cut off half-way is dropped and redone; `allow_connections false` keeps every session, autovacuum's
 * included, off it (nothing changes in it after the migrations, e.g. no statistics a fresh database lacks).
 */
function postgresTemplate(adminUrl: string): Promise<string> {
  let template = postgresTemplates.get(adminUrl)
  if (!template) {
    template = (async () => {
      const name = `parley_template_${await migrationsHash()}`
      await withAdminClient(adminUrl, async (client) => {
        await client.query('select pg_advisory_lock(hashtext($1))', [name])
        const { rows } = await client.query<{ datistemplate: boolean }>(
          'select datistemplate from pg_database where datname = $1',
          [name],
        )
        if (rows[0]?.datistemplate) return
        if (rows[0]) await client.query(`drop database ${name} with (force)`)
        await client.query(`create database ${name}`)
        try {
          const opened = await openDatabase({ url: databaseUrl(adminUrl, name), migrate: true })
          await opened.close()
          await client.query(`alter database ${name} with is_template true allow_connections false`)
        } catch (error) {
          await client.query(`drop database if exists ${name} with (force)`)
          throw error
        }
        // The lock goes with the session (client.end()).
      })
      return name
    })()
    template.catch(() => postgresTemplates.delete(adminUrl))
    postgresTemplates.set(adminUrl, template)
  }
  return template
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
