// Provider contracts (issue 10):
// - `contact_identities.unreachable_at`: the shopper blocked the bot on that channel (Telegram `kicked`, a 403
//   "bot was blocked by the user"); sends there are skipped until they write again. Per identity, because a
//   shopper who blocked the Telegram bot may still be reachable on WhatsApp.
// - `channels.disconnected_at` / `disconnected_reason`: the provider took the connection away (Shopify
//   `app/uninstalled`); the channel is also disabled.
// - `privacy_requests`: Shopify's mandatory privacy webhooks as received, and the export a `customers/data_request`
//   produced for the owner to download. Only Shopify's ids are kept about the shopper, never their name, email or
//   phone (a redacted shopper must leave nothing behind).
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table contact_identities add column unreachable_at timestamptz`.execute(db)
  await sql`alter table channels add column disconnected_at timestamptz`.execute(db)
  await sql`alter table channels add column disconnected_reason text`.execute(db)
  await db.schema
    .createTable('privacy_requests')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('channel_id', 'uuid')
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('shopify_customer_id', 'text')
    .addColumn('shopify_request_id', 'text')
    /** The JSON export of a data request; null for the other topics. */
    .addColumn('export', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('privacy_requests_pkey', ['merchant_id', 'id'])
    .addCheckConstraint(
      'privacy_requests_topic',
      sql`topic in ('customers/data_request', 'customers/redact', 'shop/redact')`,
    )
    .execute()
  await db.schema
    .createIndex('privacy_requests_created_idx')
    .on('privacy_requests')
    .columns(['merchant_id', 'created_at'])
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('privacy_requests').execute()
  await sql`alter table channels drop column disconnected_reason`.execute(db)
  await sql`alter table channels drop column disconnected_at`.execute(db)
  await sql`alter table contact_identities drop column unreachable_at`.execute(db)
}
