// Attribution (issue 13): abandonment episodes — one per time a cart is abandoned, ending in an order or expiry —
// with the holdout draw recorded when the episode opens; the per-message redirect links that record clicks; and
// the merchant's two measurement settings (holdout share, attribution window).
import { type Kysely, sql } from 'kysely'

const episodeStatuses = ['open', 'recovered', 'ordered_without_messages', 'ordered_after_window', 'expired']

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('merchants')
    .addColumn('holdout_percent', 'smallint', (c) => c.notNull().defaultTo(10))
    .addColumn('attribution_window_days', 'integer', (c) => c.notNull().defaultTo(7))
    .execute()
  await sql`alter table merchants add constraint merchants_holdout_percent
    check (holdout_percent between 0 and 50)`.execute(db)
  await sql`alter table merchants add constraint merchants_attribution_window_days
    check (attribution_window_days between 1 and 30)`.execute(db)

  await db.schema
    .createTable('cart_episodes')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('cart_id', 'uuid', (c) => c.notNull())
    .addColumn('contact_id', 'uuid')
    .addColumn('abandoned_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('holdout', 'boolean', (c) => c.notNull())
    .addColumn('messages_sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_message_at', 'timestamptz')
    .addColumn('last_message_at', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('order_id', 'uuid')
    .addColumn('ordered_at', 'timestamptz')
    .addColumn('order_total', sql`numeric(14, 2)`)
    .addColumn('order_currency', 'text')
    .addColumn('flow_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('cart_episodes_pkey', ['merchant_id', 'id'])
    .addForeignKeyConstraint(
      'cart_episodes_cart_fkey',
      ['merchant_id', 'cart_id'],
      'carts',
      ['merchant_id', 'id'],
      (c) => c.onDelete('cascade'),
    )
    .addCheckConstraint(
      'cart_episodes_status',
      sql.raw(`status in (${episodeStatuses.map((s) => `'${s}'`).join(', ')})`),
    )
    .execute()
  // Erasing a shopper or an order keeps the episode (it is a count, not personal data) without the pointer.
  await sql`alter table cart_episodes add constraint cart_episodes_contact_fkey
    foreign key (merchant_id, contact_id) references contacts (merchant_id, id) on delete set null (contact_id)`.execute(
    db,
  )
  await sql`alter table cart_episodes add constraint cart_episodes_order_fkey
    foreign key (merchant_id, order_id) references orders (merchant_id, id) on delete set null (order_id)`.execute(
    db,
  )
  await db.schema
    .createIndex('cart_episodes_abandoned_idx')
    .on('cart_episodes')
    .columns(['merchant_id', 'abandoned_at'])
    .execute()
  // At most one open episode per cart: a second abandonment opens a new one only after the first ended.
  await sql`create unique index cart_episodes_open_cart_key on cart_episodes (merchant_id, cart_id)
    where status = 'open'`.execute(db)
  // Orders without a cart token are matched to the shopper's open episodes.
  await sql`create index cart_episodes_open_contact_idx on cart_episodes (merchant_id, contact_id)
    where status = 'open'`.execute(db)
  // The expiry sweep, across merchants.
  await sql`create index cart_episodes_expiry_idx on cart_episodes (expires_at) where status = 'open'`.execute(
    db,
  )

  await db.schema
    .createTable('message_links')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'uuid', (c) => c.notNull())
    .addColumn('episode_id', 'uuid')
    .addColumn('target_url', 'text', (c) => c.notNull())
    .addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_clicked_at', 'timestamptz')
    .addColumn('last_clicked_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('message_links_pkey', ['merchant_id', 'id'])
    // The link goes with its message (erasure deletes a shopper's transcript).
    .addForeignKeyConstraint(
      'message_links_message_fkey',
      ['merchant_id', 'message_id'],
      'messages',
      ['merchant_id', 'id'],
      (c) => c.onDelete('cascade'),
    )
    .execute()
  // `/r/<id>` knows only the id: a cross-merchant lookup (like sign-in by email). Ids are 128 random bits, so the
  // index needs no uniqueness of its own (which Citus could not enforce across shards anyway).
  await db.schema.createIndex('message_links_id_idx').on('message_links').column('id').execute()
  await db.schema
    .createIndex('message_links_message_idx')
    .on('message_links')
    .columns(['merchant_id', 'message_id'])
    .execute()
  await db.schema
    .createIndex('message_links_episode_idx')
    .on('message_links')
    .columns(['merchant_id', 'episode_id'])
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('message_links').ifExists().execute()
  await db.schema.dropTable('cart_episodes').ifExists().execute()
  await sql`alter table merchants drop constraint if exists merchants_attribution_window_days`.execute(db)
  await sql`alter table merchants drop constraint if exists merchants_holdout_percent`.execute(db)
  await db.schema
    .alterTable('merchants')
    .dropColumn('holdout_percent')
    .dropColumn('attribution_window_days')
    .execute()
}
