// A transcript order that does not depend on timestamps: the messages one step writes (the shopper's message
// and the replies, two bot messages, an escalation note and the hand-off) share the transaction's `now()` or the
// injected clock's time, so `created_at` alone leaves them in any order. `seq` is assigned at insert, so within
// one timestamp it is the order the step wrote them; transcripts order by (created_at, seq).
// Existing rows get numbers in table-scan order, which only matters between rows with equal timestamps.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table messages add column seq bigint generated always as identity`.execute(db)
  // Replaces messages_transcript_idx (merchant_id, conversation_id, created_at), which is its prefix.
  await db.schema
    .createIndex('messages_transcript_seq_idx')
    .on('messages')
    .columns(['merchant_id', 'conversation_id', 'created_at', 'seq'])
    .execute()
  await db.schema.dropIndex('messages_transcript_idx').execute()
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('messages_transcript_idx')
    .on('messages')
    .columns(['merchant_id', 'conversation_id', 'created_at'])
    .execute()
  await db.schema.dropIndex('messages_transcript_seq_idx').execute()
  await db.schema.alterTable('messages').dropColumn('seq').execute()
}
