// A fingerprint of every table (row count and a hash of all rows), to prove a refused request wrote nothing.
// rate_limits is left out: counting a request (even a refused one) is the limiter's job, not a write of the request.
import type { Database } from '@parley/db'
import { type Kysely, sql } from 'kysely'

export type DbSnapshot = Record<string, { rows: number; hash: string | null }>

export async function snapshotDatabase(db: Kysely<Database>): Promise<DbSnapshot> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
      and table_name <> 'rate_limits'
    order by table_name`.execute(db)
  const parts = tables.rows.map(
    ({ name }) =>
      sql`select ${name}::text as name, count(*)::int as rows, md5(string_agg(t::text, '|' order by t::text)) as hash
          from ${sql.table(name)} t`,
  )
  if (parts.length === 0) return {}
  const result = await sql<{
    name: string
    rows: number
    hash: string | null
  }>`${sql.join(parts, sql` union all `)}`.execute(db)
  return Object.fromEntries(result.rows.map((row) => [row.name, { rows: Number(row.rows), hash: row.hash }]))
}
