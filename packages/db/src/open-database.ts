// Opens the database: Postgres through a pg pool when given a URL, otherwise embedded PGlite (in a data
// directory, or in memory). Both read values the same way (see `columns.ts`) and run the same migrations.
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import pg from 'pg'
import { migrateToLatest } from './migrate.ts'
import {
  type PlanCacheMode,
  PreparedStatements,
  planCacheSettings,
  preparingClient,
} from './prepared-statements.ts'
import type { Database } from './schema/index.ts'

export type DatabaseKind = 'postgres' | 'pglite'

export interface OpenDatabaseOptions {
  /** postgres://... → Postgres through pg. Absent → embedded PGlite. */
  url?: string
  /** PGlite only: where it keeps its files. Absent → in memory (gone on close). */
  dataDir?: string
  /** PGlite only: start from this data directory (a `dumpDataDir()` tarball) instead of an empty cluster. */
  loadDataDir?: Blob
  /** Run migrations up to the latest before returning (default true). */
  migrate?: boolean
  /** Postgres only: pool size (default 10). */
  poolSize?: number
  /** Postgres only: how long a connection stays open unused before the pool closes it (default pg's 10 s). */
  idleTimeoutMs?: number
  /** Postgres only: statements run again and again as named prepared statements (prepared-statements.ts). */
  preparedStatements?: boolean
  /** With preparedStatements: Postgres' plan cache mode (default 'auto'; tests force generic plans). */
  planCacheMode?: PlanCacheMode
}

export interface OpenedDatabase {
  db: Kysely<Database>
  kind: DatabaseKind
  /** The pg pool (postgres only), e.g. for a dedicated LISTEN client. */
  pool?: pg.Pool
  /** The PGlite instance (pglite only), e.g. for `pglite.listen()`. */
  pglite?: PGlite
  /** Destroys the Kysely instance and closes the pool or PGlite. Safe to call twice. */
  close(): Promise<void>
}

const INT8 = 20
const DATE = 1082
const TIMESTAMPTZ = 1184
/** pg asks for a column's parser on every result: one function, not a new one each time. */
const keepText = (value: string) => value

const pgTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ, 'text') as (text: string) => Date

/**
 * timestamptz as Postgres writes it in a UTC session, `2026-11-30 18:33:22.123456+00`: the fields read from the
 * digits into `Date.UTC` (the same Date, microseconds dropped, as the ISO text parsed natively gave, without
 * building that text: slices and a template string per value were most of a timer firing's timestamp parsing;
 * every row a step reads has several). Anything else (another session time zone, BC, infinity, years before 100
 * — `Date.UTC` reads 0–99 as 1900–1999 — or past 9999) goes to pg's own parser.
 */
function parseTimestamptz(text: string): Date {
  const n = text.length
  if (
    n >= 22 &&
    n <= 29 &&
    n !== 23 &&
    text.charCodeAt(10) === 32 && // ' '
    text.charCodeAt(n - 3) === 43 && // '+'
    text.charCodeAt(n - 2) === 48 && // '0'
    text.charCodeAt(n - 1) === 48 // '0'
  ) {
    const year = digits(text, 0, 4)
    if (year >= 100) {
      // `.f` to `.ffffff` between the seconds and `+00`: its first three digits are the milliseconds.
      const fraction = n - 23
      const ms =
        fraction > 0
          ? digits(text, 20, Math.min(fraction, 3)) * (fraction === 1 ? 100 : fraction === 2 ? 10 : 1)
          : 0
      return new Date(
        Date.UTC(
          year,
          digits(text, 5, 2) - 1,
          digits(text, 8, 2),
          digits(text, 11, 2),
          digits(text, 14, 2),
          digits(text, 17, 2),
          ms,
        ),
      )
    }
  }
  return pgTimestamptz(text)
}

/** The number written by `count` decimal digits at `start`. */
function digits(text: string, start: number, count: number): number {
  let value = 0
  for (let i = start; i < start + count; i++) value = value * 10 + text.charCodeAt(i) - 48
  return value
}

/**
 * pg reads int8 (count(*), sums of integers) as a string and date as a local-midnight Date; PGlite reads int8
 * as a number and date as a Date. Read int8 as a number and date as 'YYYY-MM-DD' on both.
 */
const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return Number
    if (oid === DATE) return keepText
    if (oid === TIMESTAMPTZ && format !== 'binary') return parseTimestamptz
    return pg.types.getTypeParser(oid, format)
  }) as pg.CustomTypesConfig['getTypeParser'],
}
const pgliteParsers = { [DATE]: keepText }

/**
 * Opens the database and (by default) migrates it to the latest schema.
 *
 * PGlite is one connection in one process: queries and transactions from concurrent callers run one after
 * another. `FOR UPDATE SKIP LOCKED` is valid there but never skips anything, because no other transaction can
 * hold a lock at the same time; claiming is serialised, which is correct, only not parallel.
 *
 * @example
 * const { db, close } = await openDatabase({ url: process.env.DATABASE_URL, dataDir: '.data/pglite' })
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  const {
    url,
    dataDir,
    loadDataDir,
    migrate = true,
    poolSize = 10,
    idleTimeoutMs,
    preparedStatements = false,
    planCacheMode = 'auto',
  } = options
  let opened: OpenedDatabase
  if (url) {
    const pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMillis: idleTimeoutMs }),
      types: pgTypes,
      // The statements run again and again parsed once per connection (prepared-statements.ts).
      ...(preparedStatements
        ? { Client: preparingClient(new PreparedStatements()), options: planCacheSettings(planCacheMode) }
        : {}),
    })
    // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
    pool.on('error', () => {})
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    opened = { db, kind: 'postgres', pool, close: once(() => db.destroy()) }
  } else {
    // PGlite ignores the options argument when the data dir argument is undefined.
    // pg_trgm: typo-tolerant product retrieval (migration 202611300905_product_retrieval); a contrib module of
    // Postgres itself, so both backends run the same SQL.
    const pgliteOptions = { parsers: pgliteParsers, extensions: { pg_trgm }, loadDataDir }
    const pglite = dataDir ? new PGlite(dataDir, pgliteOptions) : new PGlite(pgliteOptions)
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
    opened = {
      db,
      kind: 'pglite',
      pglite,
      close: once(async () => {
        await db.destroy()
        // destroy() only closes PGlite if Kysely ever used it.
        if (!pglite.closed) await pglite.close()
      }),
    }
  }
  if (migrate) {
    try {
      await migrateToLatest(opened.db)
    } catch (error) {
      await opened.close()
      throw error
    }
  }
  return opened
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined
  return () => {
    done ??= fn()
    return done
  }
}
