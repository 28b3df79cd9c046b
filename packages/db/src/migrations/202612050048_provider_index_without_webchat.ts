// One index entry fewer per web-chat send (issue 9, performance: Postgres CPU and WAL per inbound message and per
// timer firing). `messages_provider_idx` is read by one statement, WhatsApp's delivery receipts
// (`channels/delivery-status.ts`: our send by the wamid the receipt names). A web-chat send's provider id is
// `webchat:<its own row id>`, written when it is delivered (in the step, or by the relay), and no receipt ever
// names it: web chat has no delivery webhooks. Every bot reply in a web chat still wrote an entry (44 bytes of
// key) that nothing read. The reader says `provider_message_id not like 'webchat:%'` as a literal, so a prepared
// statement's generic plan proves the predicate (as 202612010100's readers do).
// Drop and create in the migrator's transaction (no `concurrently` there): the build holds `messages`' share lock
// for one scan of the table, as 202612010100's rebuild of this index did.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'drop index messages_provider_idx',
    `create index messages_provider_idx on messages (merchant_id, provider_message_id)
      where provider_message_id is not null and direction = 'out' and provider_message_id not like 'webchat:%'`,
  ])
    await sql.raw(statement).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'drop index messages_provider_idx',
    `create index messages_provider_idx on messages (merchant_id, provider_message_id)
      where provider_message_id is not null and direction = 'out'`,
  ])
    await sql.raw(statement).execute(db)
}
