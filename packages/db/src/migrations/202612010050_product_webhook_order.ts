// Shopify does not promise that products/* webhooks arrive in the order they happened. The catalogue keeps
// the store's own `updated_at` of the version it last applied from a webhook, so an older update arriving late
// is recognised and left out, and a tombstone for each deleted product, so an update sent before the deletion
// but delivered after it does not bring the product back.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('products').addColumn('source_updated_at', 'timestamptz').execute()
  await db.schema
    .createTable('deleted_products')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('deleted_products_pkey', ['merchant_id', 'external_id'])
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('deleted_products').execute()
  await db.schema.alterTable('products').dropColumn('source_updated_at').execute()
}
