// `column = any($1::uuid[])`: one array parameter instead of an IN list with a parameter per value. A batch names
// hundreds of rows; Postgres parses, binds and plans the array form in a fraction of the time.
import { type RawBuilder, sql } from 'kysely'

/** @example query.where('id', '=', anyUuid(runIds)) */
export function anyUuid(values: readonly string[]): RawBuilder<string> {
  return sql<string>`any(${[...values]}::uuid[])`
}
