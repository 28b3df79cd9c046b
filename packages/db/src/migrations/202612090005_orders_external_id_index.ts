// A privacy request (customers/redact, customers/data_request) names the store's order ids: `orders.external_id`,
// which had no index, so finding their contacts read every one of the merchant's orders (contacts/shopper-privacy.ts).
// Partial: orders made without a store id (the demo's, imports) take no entry; `external_id = any(...)` is strict
// in the column, so it implies the predicate. Orders are written once per purchase and per status change: a
// small index on a table that grows slowly.
import { type Kysely, sql } from 'kysely'

// Built `concurrently`, outside a transaction (migrate.ts), so orders keep arriving during the build; a build that
// failed half way leaves an invalid index, dropped first when the migration runs again.
export const transaction = false

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw('drop index concurrently if exists orders_external_id_idx').execute(db)
  await sql
    .raw(
      'create index concurrently orders_external_id_idx on orders (merchant_id, external_id) where external_id is not null',
    )
    .execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop index if exists orders_external_id_idx').execute(db)
}
