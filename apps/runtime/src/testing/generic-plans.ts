// The plans a statement gets once it runs as a prepared statement's generic plan (what packages/db
// prepared-statements.ts makes of the statements a process repeats): a partial index is usable only when the
// statement's text proves its predicate, never a parameter's value. Tests run the real repository functions on a
// capturing handle, then explain each statement they sent.
import type { Database } from '@parley/db'
import { type CompiledQuery, type Kysely, sql } from 'kysely'

/** A handle that runs every query as `db` does and keeps each one compiled, in the order sent. */
export function capturingDb(db: Kysely<Database>): { db: Kysely<Database>; sent: CompiledQuery[] } {
  const sent: CompiledQuery[] = []
  const capturing = db.withPlugin({
    transformQuery: ({ node, queryId }) => {
      sent.push(db.getExecutor().compileQuery(node, queryId))
      return node
    },
    transformResult: async ({ result }) => result,
  })
  return { db: capturing, sent }
}

let prepared = 0

/**
 * The text plan of `query` as a generic plan (planned without its parameters' values). Sequential scans are
 * priced out, so an index the plan could use shows up even on a table of a few rows.
 */
export async function genericPlan(db: Kysely<Database>, query: CompiledQuery): Promise<string> {
  const name = `generic_plan_${++prepared}`
  return db.transaction().execute(async (trx) => {
    await sql`set local plan_cache_mode = force_generic_plan`.execute(trx)
    await sql`set local enable_seqscan = off`.execute(trx)
    await sql.raw(`prepare ${name} as ${query.sql}`).execute(trx)
    // EXPLAIN takes no bound parameters: the values go in as literals of unknown type, which EXECUTE casts to the
    // statement's parameter types (the plan is generic whatever they are).
    const args = query.parameters.map((p) => sql.raw(literal(p)))
    const { rows } = await sql<{ 'QUERY PLAN': string }>`explain (costs off) execute ${sql.raw(name)}${
      args.length > 0 ? sql`(${sql.join(args)})` : sql``
    }`.execute(trx)
    await sql.raw(`deallocate ${name}`).execute(trx)
    return rows.map((r) => r['QUERY PLAN']).join('\n')
  })
}

/** A parameter as the text pg would send, quoted as a SQL literal. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  const quote = (text: string) => `'${text.replaceAll("'", "''")}'`
  if (value instanceof Date) return quote(value.toISOString())
  if (Array.isArray(value)) {
    const items = value.map((v) =>
      v === null ? 'NULL' : `"${String(v).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`,
    )
    return quote(`{${items.join(',')}}`)
  }
  if (typeof value === 'object') return quote(JSON.stringify(value))
  return quote(String(value))
}
