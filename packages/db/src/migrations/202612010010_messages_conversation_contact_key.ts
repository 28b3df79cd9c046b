// A transcript row's conversation and contact checked with one key instead of two (issue 9, performance: Postgres
// cost per message). Each message insert ran two foreign-key checks, `select … from conversations … for key share`
// and the same on `contacts` (two messages an inbound web-chat message, one a timer firing). A message's contact is
// its conversation's (the engine, the inbox and the relay all take it from the conversation, and a conversation
// never changes contact), so one composite key to (merchant_id, id, contact_id) of the conversation checks both and
// says so: a message naming another contact than its conversation's is now refused. A contact's deletion still
// takes its messages, through its conversations (conversations_contact_fkey and this key cascade).
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'create unique index conversations_contact_key on conversations (merchant_id, id, contact_id)',
    `alter table messages add constraint messages_conversation_contact_fkey
      foreign key (merchant_id, conversation_id, contact_id)
      references conversations (merchant_id, id, contact_id) on delete cascade`,
    'alter table messages drop constraint messages_conversation_fkey',
    'alter table messages drop constraint messages_contact_fkey',
  ])
    await sql.raw(statement).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `alter table messages add constraint messages_contact_fkey
      foreign key (merchant_id, contact_id) references contacts (merchant_id, id) on delete cascade`,
    `alter table messages add constraint messages_conversation_fkey
      foreign key (merchant_id, conversation_id) references conversations (merchant_id, id) on delete cascade`,
    'alter table messages drop constraint messages_conversation_contact_fkey',
    'drop index conversations_contact_key',
  ])
    await sql.raw(statement).execute(db)
}
