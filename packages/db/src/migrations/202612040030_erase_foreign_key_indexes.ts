// Erasing a shopper or a shop reads each row a bounded number of times (issue 9: one tenant can never slow down
// another). `contacts/shopper-privacy.ts` and `contacts/shop-redaction.ts` delete contacts and let the foreign keys
// do the rest: per contact deleted Postgres deletes its runs (runs_contact_fkey, cascade), nulls its carts'
// episodes (cart_episodes_contact_fkey) and checks its carts (carts_contact_fkey); per conversation it checks runs
// and the outbox (runs_conversation_fkey, outbox_conversation_fkey); per run it nulls the outbox's run
// (outbox_run_fkey); per cart deleted it deletes the cart's episodes (cart_episodes_cart_fkey). Each is one
// statement keyed by the referencing columns, and none of those had an index leading with them that such a
// statement can use (a partial index only when its predicate follows from the key: `x is not null` does, `status =
// 'active'` does not), so each was a scan of the whole table, every tenant's rows, once per row deleted: O(rows²),
// for hours under lock for a shop of 100,000 shoppers (contacts/erase-work.test.ts counts the rows read).
// - runs_contact_active_idx (merchant_id, contact_id) where status = 'active' → runs_contact_status_idx (merchant_id,
//   contact_id, status): the cascade uses its prefix, and the inbound batch's waiting runs of a contact
//   (`status = 'active' and waiting_for = 'reply'`) still reach only the active ones through `status` in the key.
//   One index instead of two: its only extra entry is the one written when a run ends (that update is not HOT
//   anyway, `status` being indexed), where the partial one took none.
// - runs_conversation_idx (merchant_id, conversation_id): the conversations' check, and the inbox's latest run of
//   a conversation (inbox-context.ts loadBotActivity), which read every run of the merchant without it.
// - outbox_conversation_idx (merchant_id, conversation_id) and outbox_run_idx (merchant_id, run_id) where run_id is
//   not null: the outbox keeps every send, so it is as big as the outbound transcript; a staff send has no run.
// - carts_contact_idx, cart_episodes_contact_idx where contact_id is not null (an anonymous checkout has none), and
//   cart_episodes_cart_idx (merchant_id, cart_id) (the unique open-episode key is partial on status).
// `messages_run_fkey` needs nothing: messages_run_idx is partial on `run_id is not null`, which the check's
// `run_id = $2` implies. Plain `create index`, not `concurrently`: the migrator runs each migration in a
// transaction, where `concurrently` is not allowed; each build holds the table's share lock (writes wait, reads
// do not) for one scan of it.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'create index runs_contact_status_idx on runs (merchant_id, contact_id, status)',
    'drop index runs_contact_active_idx',
    'create index runs_conversation_idx on runs (merchant_id, conversation_id)',
    'create index outbox_conversation_idx on outbox (merchant_id, conversation_id)',
    'create index outbox_run_idx on outbox (merchant_id, run_id) where run_id is not null',
    'create index carts_contact_idx on carts (merchant_id, contact_id) where contact_id is not null',
    'create index cart_episodes_contact_idx on cart_episodes (merchant_id, contact_id) where contact_id is not null',
    'create index cart_episodes_cart_idx on cart_episodes (merchant_id, cart_id)',
  ])
    await sql.raw(statement).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'drop index cart_episodes_cart_idx',
    'drop index cart_episodes_contact_idx',
    'drop index carts_contact_idx',
    'drop index outbox_run_idx',
    'drop index outbox_conversation_idx',
    'drop index runs_conversation_idx',
    `create index runs_contact_active_idx on runs (merchant_id, contact_id) where status = 'active'`,
    'drop index runs_contact_status_idx',
  ])
    await sql.raw(statement).execute(db)
}
