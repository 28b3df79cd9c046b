// The handoff to a person: per-merchant escalation queues (business hours, the acknowledgement the shopper gets,
// how long an escalation may wait unclaimed and what is said then), the times analytics reports per conversation,
// and the outbox's `held` state: a marketing send waiting for staff to hand the conversation back.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('conversations')
    .addColumn('first_staff_reply_at', 'timestamptz')
    .addColumn('unclaimed_at', 'timestamptz')
    .execute()

  await db.schema
    .createTable('escalation_queues')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    /** What an escalate node names (`conversations.queue`), e.g. 'support'. */
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    // null = the store's business hours
    .addColumn('business_hours', 'jsonb')
    .addColumn('reply_within_minutes', 'integer', (c) => c.notNull())
    .addColumn('acknowledgement', 'text', (c) => c.notNull())
    .addColumn('acknowledgement_closed', 'text', (c) => c.notNull())
    .addColumn('unclaimed_timeout_minutes', 'integer', (c) => c.notNull())
    .addColumn('fallback_message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('escalation_queues_pkey', ['merchant_id', 'key'])
    .addCheckConstraint('escalation_queues_reply_within', sql`reply_within_minutes > 0`)
    .addCheckConstraint('escalation_queues_unclaimed_timeout', sql`unclaimed_timeout_minutes > 0`)
    .execute()

  await sql`alter table outbox drop constraint outbox_status`.execute(db)
  await sql`alter table outbox add constraint outbox_status
    check (status in ('pending', 'sending', 'sent', 'failed', 'unknown', 'held'))`.execute(db)
  // Hand-back releases a conversation's held sends: found by conversation, only among the few held rows.
  await sql`create index outbox_held_idx on outbox (merchant_id, conversation_id) where status = 'held'`.execute(
    db,
  )
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index outbox_held_idx`.execute(db)
  await sql`update outbox set status = 'pending' where status = 'held'`.execute(db)
  await sql`alter table outbox drop constraint outbox_status`.execute(db)
  await sql`alter table outbox add constraint outbox_status
    check (status in ('pending', 'sending', 'sent', 'failed', 'unknown'))`.execute(db)
  await db.schema.dropTable('escalation_queues').execute()
  await db.schema
    .alterTable('conversations')
    .dropColumn('first_staff_reply_at')
    .dropColumn('unclaimed_at')
    .execute()
}
