// Burst merge (issue 14): how long the bot waits for a shopper's follow-up messages before answering, and the
// pending bursts themselves, one row per conversation with a deadline, so a message is never held only in
// memory and whichever process claims the row after the deadline steps the burst exactly once.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('merchants')
    .addColumn('burst_window_ms', 'integer', (c) => c.notNull().defaultTo(2500))
    .execute()
  await db.schema
    .createTable('inbound_bursts')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'uuid', (c) => c.notNull())
    .addColumn('contact_id', 'uuid', (c) => c.notNull())
    .addColumn('channel_id', 'uuid', (c) => c.notNull())
    .addColumn('sender_external_id', 'text', (c) => c.notNull())
    // The held transcript rows, oldest first.
    .addColumn('message_ids', 'jsonb', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('inbound_bursts_pkey', ['merchant_id', 'conversation_id'])
    // A conversation erased (privacy) takes its pending burst with it.
    .addForeignKeyConstraint(
      'inbound_bursts_conversation_fkey',
      ['merchant_id', 'conversation_id'],
      'conversations',
      ['merchant_id', 'id'],
      (f) => f.onDelete('cascade'),
    )
    .execute()
  await db.schema.createIndex('inbound_bursts_due').on('inbound_bursts').column('due_at').execute()
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('inbound_bursts').execute()
  await db.schema.alterTable('merchants').dropColumn('burst_window_ms').execute()
}
