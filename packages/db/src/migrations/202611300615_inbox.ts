// The staff inbox: keyset indexes for its views, search indexes (shopper name / email / phone, message text),
// each agent's read marker per conversation (unread counts), and the merchant's canned replies.
// The search expressions here are repeated, character for character, by apps/runtime/src/inbox/inbox-search.ts:
// Postgres uses an expression index only for the same expression.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  // Views: all open and mine newest activity first, resolved newest first, waiting oldest escalation first.
  await sql`create index conversations_open_activity_idx on conversations
    (merchant_id, (coalesce(last_message_at, created_at)) desc, id desc) where status <> 'resolved'`.execute(
    db,
  )
  await sql`create index conversations_resolved_activity_idx on conversations
    (merchant_id, (coalesce(last_message_at, created_at)) desc, id desc) where status = 'resolved'`.execute(
    db,
  )
  await sql`create index conversations_waiting_idx on conversations
    (merchant_id, (coalesce(escalated_at, created_at)), id) where status = 'waiting'`.execute(db)
  await sql`create index conversations_assignee_idx on conversations
    (merchant_id, assigned_user_id, (coalesce(last_message_at, created_at)) desc, id desc)
    where status <> 'resolved'`.execute(db)

  // 'simple': names, emails and numbers keep their form (no stemming). Email punctuation becomes spaces so
  // "lee" finds sam.lee@example.com; the phone is indexed as its digits and its last ten digits, so both
  // "+44 7700 900123" and "07700 900123" find it.
  await sql`create index contacts_search_idx on contacts using gin (to_tsvector('simple',
    coalesce(name, '') || ' ' || translate(coalesce(email, ''), '@._+-', '     ') || ' ' ||
    regexp_replace(coalesce(phone, ''), '\\D', '', 'g') || ' ' ||
    right(regexp_replace(coalesce(phone, ''), '\\D', '', 'g'), 10)))`.execute(db)
  await sql`create index messages_search_idx on messages using gin
    (to_tsvector('simple', coalesce(body ->> 'text', '')))`.execute(db)

  await db.schema
    .createTable('conversation_reads')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('conversation_id', 'uuid', (c) => c.notNull())
    /** The transcript's seq up to which this agent has read. */
    .addColumn('read_seq', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('conversation_reads_pkey', ['merchant_id', 'conversation_id', 'user_id'])
    .addForeignKeyConstraint(
      'conversation_reads_user_fkey',
      ['merchant_id', 'user_id'],
      'users',
      ['merchant_id', 'id'],
      (c) => c.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'conversation_reads_conversation_fkey',
      ['merchant_id', 'conversation_id'],
      'conversations',
      ['merchant_id', 'id'],
      (c) => c.onDelete('cascade'),
    )
    .execute()

  await db.schema
    .createTable('canned_replies')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('canned_replies_pkey', ['merchant_id', 'id'])
    .execute()
  await sql`create unique index canned_replies_title_key on canned_replies (merchant_id, lower(title))`.execute(
    db,
  )
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('canned_replies').execute()
  await db.schema.dropTable('conversation_reads').execute()
  for (const index of [
    'messages_search_idx',
    'contacts_search_idx',
    'conversations_assignee_idx',
    'conversations_waiting_idx',
    'conversations_resolved_activity_idx',
    'conversations_open_activity_idx',
  ])
    await sql`drop index ${sql.raw(index)}`.execute(db)
}
