// A store event that names its shopper by address (commerce/store-events.ts → contacts/contact-repository.ts
// `upsertContactByAddress`) looks the contact up by email, then by phone. The email lookup has
// `contacts_email_idx` (merchant_id, email); the phone lookup had no index, so every cart or order event of a
// shopper known by phone only read all of the merchant's contacts: a cost per event that grew with the shop.
// Partial: contacts without a phone (most web-chat visitors) take no entry; `phone = $1` implies the predicate.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw('create index contacts_phone_idx on contacts (merchant_id, phone) where phone is not null')
    .execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop index contacts_phone_idx').execute(db)
}
