// A store event that names its shopper by address (commerce/store-events.ts → contacts/contact-repository.ts
// `upsertContactByAddress`) looks the contact up by email, then by phone. The email lookup has
// `contacts_email_idx` (merchant_id, email); the phone lookup had no index, so every cart or order event of a
// shopper known by phone only read all of the merchant's contacts: a cost per event that grew with the shop.
// Partial: contacts without a phone (most web-chat visitors) take no entry; `phone = $1` implies the predicate.
import { type Kysely, sql } from 'kysely'

// Built `concurrently`, outside a transaction (migrate.ts), so writes to the table go on during the build; a
// build that failed half way leaves an invalid index, dropped first when the migration runs again.
export const transaction = false

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw('drop index concurrently if exists contacts_phone_idx').execute(db)
  await sql
    .raw(
      'create index concurrently contacts_phone_idx on contacts (merchant_id, phone) where phone is not null',
    )
    .execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop index if exists contacts_phone_idx').execute(db)
}
