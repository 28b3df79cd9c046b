// One index entry fewer per run started and per run update that is not HOT (issue 9, performance: a timer
// firing's write). `runs_started_idx` (merchant_id, started_at) was made for a report's range scan of the runs
// started in a period, but no query reads runs by `started_at` any more: the flow report counts starts from the
// rollup (analytics_hourly 'run.started', which the runs triggers fill from their transition tables), and the
// inbox's latest run of a conversation (`where conversation_id = … order by started_at desc limit 1`) was planned
// as a scan of the runs with or without it (BENCHMARKS.md "Timer firings, session 12"). Every firing that ends a
// run rewrites its row without HOT (`status` is in partial-index predicates, `ended_at` in `runs_ended_idx`), and
// each such update, like each insert, wrote an entry here that nothing read.
// A plain `drop index`, not `concurrently`: the migrator runs each migration in a transaction, where
// `concurrently` is not allowed. Dropping holds the table's lock only for the catalogue change (no scan).
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw('drop index runs_started_idx').execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('create index runs_started_idx on runs (merchant_id, started_at)').execute(db)
}
