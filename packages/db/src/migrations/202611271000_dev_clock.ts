// The dev clock's offset in ms, shared by every replica and kept across restarts (demo and tests only;
// production refuses the virtual clock). A sequence rather than a table: it is one process-wide number that
// only grows (the virtual clock never goes back), and it stays out of the tenant tables, which all lead
// their keys with merchant_id. Read: `select last_value`; write: `setval(greatest(...))`.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence dev_clock_offset_ms as bigint minvalue 0 start with 0`.execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop sequence dev_clock_offset_ms`.execute(db)
}
