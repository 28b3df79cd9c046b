// Fewer index entries per inbound message and per timer firing (issue 9, performance). An insert, or an update
// that is not HOT, adds an entry to every index of the table except a partial index whose predicate is false for
// the new row. Each index below keeps exactly the rows its readers ask for, and each reader's condition implies
// the predicate with its values written as literals (or by a strict `=`, which implies `is not null`), so a
// prepared statement's generic plan still uses it:
// - conversations_assignee_idx: the inbox's "mine" view and count name one assignee (`assigned_user_id = $1`).
//   A conversation with the bot has none, and every message in it rewrote the row (`last_message_at` is
//   indexed, so the touch is never HOT): one entry fewer per touch.
// - runs_flow_version_idx → runs_flow_version_active_idx: its one reader, the flow report, counts the active
//   runs of a flow's versions (status 'active'). A run that ends wrote a new entry (its update is not HOT:
//   `status` and `ended_at` are indexed); an ended run now writes none. (No flow version is ever deleted on its
//   own, so `runs_flow_version_fkey` needs no index over every run.)
// - messages_run_idx: read by a run's id (the inbox context, `messages_run_fkey` when a run is deleted); a
//   shopper's message has no run.
// - messages_provider_idx: delivery receipts find our own sends by the provider's id; a shopper's message
//   carries the provider's id of what they sent, which no receipt names.
// - messages_contact_out_idx → messages_marketing_sends_idx: its one reader, the frequency cap, counts the bot's
//   marketing sends of a contact; every other reply wrote an entry it never read. `author`, `direction` and
//   `is_marketing` never change after the insert, so the predicate makes no later update non-HOT.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'drop index conversations_assignee_idx',
    `create index conversations_assignee_idx on conversations
      (merchant_id, assigned_user_id, (coalesce(last_message_at, created_at)) desc, id desc)
      where status <> 'resolved' and assigned_user_id is not null`,
    'drop index runs_flow_version_idx',
    `create index runs_flow_version_active_idx on runs (merchant_id, flow_version_id) where status = 'active'`,
    'drop index messages_run_idx',
    'create index messages_run_idx on messages (merchant_id, run_id) where run_id is not null',
    'drop index messages_provider_idx',
    `create index messages_provider_idx on messages (merchant_id, provider_message_id)
      where provider_message_id is not null and direction = 'out'`,
    'drop index messages_contact_out_idx',
    `create index messages_marketing_sends_idx on messages (merchant_id, contact_id, created_at)
      where direction = 'out' and author = 'bot' and is_marketing`,
  ])
    await sql.raw(statement).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'drop index messages_marketing_sends_idx',
    `create index messages_contact_out_idx on messages (merchant_id, contact_id, created_at)
      where direction = 'out'`,
    'drop index messages_provider_idx',
    `create index messages_provider_idx on messages (merchant_id, provider_message_id)
      where provider_message_id is not null`,
    'drop index messages_run_idx',
    'create index messages_run_idx on messages (merchant_id, run_id)',
    'drop index runs_flow_version_active_idx',
    'create index runs_flow_version_idx on runs (merchant_id, flow_version_id, status)',
    'drop index conversations_assignee_idx',
    `create index conversations_assignee_idx on conversations
      (merchant_id, assigned_user_id, (coalesce(last_message_at, created_at)) desc, id desc)
      where status <> 'resolved'`,
  ])
    await sql.raw(statement).execute(db)
}
