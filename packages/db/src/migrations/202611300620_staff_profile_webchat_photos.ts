// What shoppers see of a staff member (the first name they chose, an avatar picture) and the photos web-chat
// visitors upload (returns: "a picture of the damage"). Web chat has no provider to hold the bytes the way
// WhatsApp and Telegram do, so the runtime keeps them, capped in size by the route.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('display_name', 'text')
    .addColumn('avatar_url', 'text')
    .execute()
  await db.schema
    .createTable('webchat_photos')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('channel_id', 'uuid', (c) => c.notNull())
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('webchat_photos_pkey', ['merchant_id', 'id'])
    .addCheckConstraint(
      'webchat_photos_type',
      sql`content_type in ('image/jpeg', 'image/png', 'image/webp', 'image/heic')`,
    )
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webchat_photos').execute()
  await db.schema.alterTable('users').dropColumn('avatar_url').dropColumn('display_name').execute()
}
