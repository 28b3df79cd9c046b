// The write path's keys (issue 9, performance): foreign keys to rows every step shares, and the timer claim's index.
// Each inserted row's foreign key is checked with `select … for key share` on the row it names: a node visit
// locked its merchant's row and its flow version's, a transcript row its merchant's, an outbox row its channel's —
// the same few rows, share-locked by every concurrent step (MultiXacts) — 7 of the 15 checks a timer firing cost.
// Each of these is implied by another key of the same row, which is kept:
// - node_visits.merchant_id and .flow_version_id: the visit's run (node_visits_run_fkey, on delete cascade) has
//   both, and the engine writes the run's own version; a merchant's deletion reaches the visits through the runs.
// - messages.merchant_id: the message's conversation (messages_conversation_fkey, cascade) is the merchant's.
// - outbox.channel_id: the conversation's channel, copied from it when the send is queued (outbox_conversation_fkey).
// Also node_visits_run_idx (merchant_id, run_id), a prefix of node_visits_run_seq_idx: one index less per visit.
// And the timer claim's order, (due_at, run_id, timer_id), in its index: on `timers_due_idx` (due_at) alone every
// claim of 200 read and sorted all the timers due at that instant (10,000 due at once: 64 ms a claim, 50 claims;
// now 0.5 ms, an ordered index scan that stops at 200). The next-due probe and the due count use its prefix.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'alter table node_visits drop constraint node_visits_merchant_id_fkey',
    'alter table node_visits drop constraint node_visits_flow_version_fkey',
    'alter table messages drop constraint messages_merchant_id_fkey',
    'alter table outbox drop constraint outbox_channel_fkey',
    'drop index node_visits_run_idx',
    'create index timers_due_order_idx on timers (due_at, run_id, timer_id)',
    'drop index timers_due_idx',
  ])
    await sql.raw(statement).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'create index timers_due_idx on timers (due_at)',
    'drop index timers_due_order_idx',
    'create index node_visits_run_idx on node_visits (merchant_id, run_id)',
    `alter table outbox add constraint outbox_channel_fkey
      foreign key (merchant_id, channel_id) references channels (merchant_id, id)`,
    `alter table messages add constraint messages_merchant_id_fkey
      foreign key (merchant_id) references merchants (id) on delete cascade`,
    `alter table node_visits add constraint node_visits_flow_version_fkey
      foreign key (merchant_id, flow_version_id) references flow_versions (merchant_id, id)`,
    `alter table node_visits add constraint node_visits_merchant_id_fkey
      foreign key (merchant_id) references merchants (id) on delete cascade`,
  ])
    await sql.raw(statement).execute(db)
}
