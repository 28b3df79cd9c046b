// The relay's delivery order and pacing (issue 9) and the HTTP-request lane (issue 8):
// - `seq`: the order a conversation's sends were queued in (assigned at insert, like messages.seq). The claim
//   never takes a conversation's send while an earlier one of it is still pending or sending.
// - `lane`: message sends and merchant HTTP-request jobs are claimed by different loops; derived from the
//   payload so no writer has to set it.
// - `send_pacing`: one token bucket per paced key (a channel: a WhatsApp phone number, a Telegram bot; or a
//   Telegram chat), stored as GCRA's "theoretical arrival time" so every replica shares the same schedule.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox add column seq bigint generated always as identity`.execute(db)
  await sql`alter table outbox add column lane text generated always as
    (case payload->>'kind' when 'http.request' then 'http' else 'message' end) stored`.execute(db)
  // The queue of each lane, per merchant and channel in queue order (the claim walks it lane by lane).
  await db.schema
    .createIndex('outbox_lane_queue_idx')
    .on('outbox')
    .columns(['lane', 'merchant_id', 'channel_id', 'seq'])
    .where(sql.ref('status'), '=', 'pending')
    .execute()
  // The head-of-line check: is an earlier send of this conversation still pending or sending?
  await sql`create index outbox_conversation_head_idx on outbox (merchant_id, conversation_id, seq)
    where status in ('pending', 'sending') and lane = 'message'`.execute(db)
  await db.schema
    .createTable('send_pacing')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    // Epoch milliseconds with a fraction: 1000 / 30 ms per Telegram message does not round to whole ms.
    .addColumn('tat', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('send_pacing_pkey', ['merchant_id', 'key'])
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('send_pacing').execute()
  await sql`drop index outbox_conversation_head_idx`.execute(db)
  await db.schema.dropIndex('outbox_lane_queue_idx').execute()
  await db.schema.alterTable('outbox').dropColumn('lane').execute()
  await db.schema.alterTable('outbox').dropColumn('seq').execute()
}
