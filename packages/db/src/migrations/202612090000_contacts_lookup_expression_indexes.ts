// A shopper's privacy request (contacts/shopper-privacy.ts `findShopperContactIds`: Shopify's customers/redact and
// customers/data_request, GDPR requests) finds the merchant's contacts by `lower(email)` and by the digits of the
// phone. Neither `contacts_email_idx` (merchant_id, email) nor `contacts_phone_idx` (merchant_id, phone) matched
// those expressions, so each request read every one of the merchant's contacts and ran a regexp per row.
// The two indexes are replaced, not joined, by expression indexes every reader can use: the address lookup of a
// store event (contact-repository.ts `upsertContactByAddress`) and the order lookup (effects/order-lookup.ts) ask
// for the same expression and keep their exact match as a filter on the few rows it finds.
// Partial: contacts without an email or a phone (most web-chat visitors) take no entry; `lower(email) = $1` and
// `regexp_replace(phone, …) = $1` are strict in the column, so they imply the predicate.
import { type Kysely, sql } from 'kysely'

// Built `concurrently`, outside a transaction (migrate.ts), so writes to the table go on during the build; a
// build that failed half way leaves an invalid index, dropped first when the migration runs again. The old
// indexes are dropped only once the new ones are built.
export const transaction = false

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw('drop index concurrently if exists contacts_email_lower_idx').execute(db)
  await sql
    .raw(
      'create index concurrently contacts_email_lower_idx on contacts (merchant_id, lower(email)) where email is not null',
    )
    .execute(db)
  await sql.raw('drop index concurrently if exists contacts_phone_digits_idx').execute(db)
  await sql
    .raw(
      `create index concurrently contacts_phone_digits_idx on contacts (merchant_id, regexp_replace(phone, '[^0-9]', '', 'g')) where phone is not null`,
    )
    .execute(db)
  await sql.raw('drop index concurrently if exists contacts_email_idx').execute(db)
  await sql.raw('drop index concurrently if exists contacts_phone_idx').execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('create index if not exists contacts_email_idx on contacts (merchant_id, email)').execute(db)
  await sql
    .raw(
      'create index if not exists contacts_phone_idx on contacts (merchant_id, phone) where phone is not null',
    )
    .execute(db)
  await sql.raw('drop index if exists contacts_email_lower_idx').execute(db)
  await sql.raw('drop index if exists contacts_phone_digits_idx').execute(db)
}
