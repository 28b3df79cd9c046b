// The health check's one query: can this process reach its database and run a statement?
import type { Database } from '@parley/db'
import { type Kysely, sql } from 'kysely'

/** Resolves when the database answers; rejects with the driver's error when it does not. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db)
}
