// One index entry fewer per receipt, i.e. per inbound message, webhook and store event (issue 9, performance:
// Postgres CPU and WAL per inbound message). `receipts_age_idx` (merchant_id, received_at) was made with the table
// for a purge of old receipts by age that was never written: no statement reads receipts by `received_at`. Every
// reader and writer names the key: the dedupe claim (`engine/receipts.ts`, `engine/inbound.ts`: `on conflict` on
// `receipts_pkey`), the shop erase and the merchant-deleted trigger (`where merchant_id = …`: the key's first
// column). A purge by age, when there is one, brings the index it needs with it.
// A plain `drop index`, not `concurrently`: the migrator runs each migration in a transaction, where
// `concurrently` is not allowed. Dropping holds the table's lock only for the catalogue change (no scan).
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw('drop index receipts_age_idx').execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('create index receipts_age_idx on receipts (merchant_id, received_at)').execute(db)
}
