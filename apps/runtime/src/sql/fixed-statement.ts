// Statements whose SQL text never changes, built and compiled by Kysely once per process instead of on every
// execution. A query builder makes a tree of frozen operation nodes and compiles it to text each time it runs
// (5–25 µs a statement: ~4 % of the runtime's CPU per inbound message, issue 9), though the hot statements' text
// is the same every time and only their values differ. Here the text is compiled once, by a Kysely that only
// compiles, with `$n` placeholders where the values go; executing it binds the values and runs it in the caller's
// `db | trx`. The same string each time also makes the prepared-statement registry's lookup a cached-hash hit.
import type { Database } from '@parley/db'
import {
  type Compilable,
  CompiledQuery,
  DummyDriver,
  Kysely,
  NoResultError,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryNode,
  type RawBuilder,
  sql,
} from 'kysely'

/** Compiles only (no connection): Postgres' and PGlite's dialects compile with the same Postgres compiler. */
const compiler = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})

/** A statement's placeholders, `$1` … `$n` in the order of the values `execute` is given. */
type Placeholders<P extends readonly unknown[]> = { [K in keyof P]: RawBuilder<P[K]> }

export interface FixedStatement<P extends readonly unknown[], R> {
  /** The compiled text (tests and plans read it). */
  readonly sql: string
  /** Every row it returns. */
  execute(db: Kysely<Database>, ...values: P): Promise<R[]>
  /** Its first row; throws NoResultError when there is none (as Kysely's `executeTakeFirstOrThrow`). */
  executeTakeFirstOrThrow(db: Kysely<Database>, ...values: P): Promise<R>
}

/**
 * A statement built once from `build` (a query builder or a raw `sql` template), which gets a compile-only Kysely
 * and one placeholder per value (`$1` …); it may hold no values of its own (literals go through `sql.lit`).
 * @example
 * const merchantById = fixedStatement(1, (db, id) => db.selectFrom('merchants').selectAll().where('id', '=', id))
 * const merchant = await merchantById.executeTakeFirstOrThrow(trx, merchantId)
 */
export function fixedStatement<P extends readonly unknown[], R>(
  arity: P['length'],
  build: (db: Kysely<Database>, ...placeholders: Placeholders<P>) => Compilable<R> | RawBuilder<R>,
): FixedStatement<P, R> {
  // A query builder compiles with the Kysely that built it; a raw `sql` template with the one it is given.
  const compileWith = (db: Kysely<Database>, placeholders: RawBuilder<unknown>[]) =>
    build(db, ...(placeholders as Placeholders<P>)).compile(db)
  const compiled = compileWith(
    compiler,
    Array.from({ length: arity }, (_, i) => sql.raw(`$${i + 1}`)),
  )
  const text = compiled.sql
  if (compiled.parameters.length > 0)
    throw new Error(`a fixed statement takes its values as placeholders only: ${text}`)
  // Built with the values themselves, Kysely numbers them in the order they appear: the same text only when the
  // placeholders appear in order, which keeps the path below the same statement.
  const withValues = (db: Kysely<Database>, values: readonly unknown[]) =>
    compileWith(
      db,
      values.map((value) => sql.val(value)),
    )
  if (withValues(compiler, Array.from({ length: arity })).sql !== text)
    throw new Error(`a fixed statement's placeholders must appear in the order $1, $2, …: ${text}`)
  const run = (db: Kysely<Database>, values: P) =>
    db.executeQuery(
      // A handle with plugins (tests watching statements) sees the statement built as any other query.
      db.getExecutor().plugins.length > 0
        ? (withValues(db, values) as CompiledQuery<R>)
        : (CompiledQuery.raw(text, [...values]) as CompiledQuery<R>),
    )
  return {
    sql: text,
    async execute(db, ...values) {
      return (await run(db, values)).rows
    },
    async executeTakeFirstOrThrow(db, ...values) {
      const [row] = (await run(db, values)).rows
      if (row === undefined) throw new NoResultError(compiled.query as QueryNode)
      return row
    },
  }
}
