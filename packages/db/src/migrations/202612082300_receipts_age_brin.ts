// Receipts are now deleted once they are older than the runtime's RECEIPT_RETENTION_DAYS
// (apps/runtime/src/maintenance/receipt-retention.ts): before, the table grew by a row per inbound message,
// webhook and store event for ever. The purge finds old receipts by `received_at`, which no index covered: the
// b-tree `receipts_age_idx` was dropped in 202612050040 because it cost an index entry on every receipt.
// A BRIN index costs almost nothing per insert (receipts arrive in time order, so a new row lands in the
// table's last, not yet summarised block range, and BRIN writes nothing for it; vacuum summarises full ranges)
// and lets the purge skip every range whose receipts are all younger than the cutoff: on a shop that has
// nothing to purge it reads a few index pages instead of the whole table.
import { type Kysely, sql } from 'kysely'

// Built `concurrently`, outside a transaction (migrate.ts), so writes to the table go on during the build; a
// build that failed half way leaves an invalid index, dropped first when the migration runs again.
export const transaction = false

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw('drop index concurrently if exists receipts_received_brin').execute(db)
  await sql
    .raw('create index concurrently receipts_received_brin on receipts using brin (received_at)')
    .execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop index if exists receipts_received_brin').execute(db)
}
