// One index on a conversation's contact instead of two (issue 9, performance: index entries per message). Every
// message and every timer firing touches its conversation (`last_message_at`, which the inbox orders by, so the
// update is never HOT) and each touch writes a new entry in every index of `conversations`. Two of them held the
// same key in other orders: `conversations_contact_idx` (merchant_id, contact_id, channel_id) for the readers by
// contact (the inbound batch's "is a person on it", opening a conversation, the store events' latest
// conversation, the privacy export, the inbox search, the cascade from `contacts`) and the unique
// `conversations_contact_key` (merchant_id, id, contact_id) that `messages_conversation_contact_fkey` needs. A
// unique index on (merchant_id, contact_id, id) is both: the key's columns in another order (Postgres matches a
// foreign key's columns to a unique index in any order), and led by the contact for the readers. A contact has a
// conversation per channel, so the channel is checked on those few rows.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'create unique index conversations_contact_id_key on conversations (merchant_id, contact_id, id)',
    // The key is re-made after the old index is gone, so it rests on the new one.
    'alter table messages drop constraint messages_conversation_contact_fkey',
    'drop index conversations_contact_key',
    `alter table messages add constraint messages_conversation_contact_fkey
      foreign key (merchant_id, conversation_id, contact_id)
      references conversations (merchant_id, id, contact_id) on delete cascade`,
    'drop index conversations_contact_idx',
  ])
    await sql.raw(statement).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'create index conversations_contact_idx on conversations (merchant_id, contact_id, channel_id)',
    'create unique index conversations_contact_key on conversations (merchant_id, id, contact_id)',
    'alter table messages drop constraint messages_conversation_contact_fkey',
    'drop index conversations_contact_id_key',
    `alter table messages add constraint messages_conversation_contact_fkey
      foreign key (merchant_id, conversation_id, contact_id)
      references conversations (merchant_id, id, contact_id) on delete cascade`,
  ])
    await sql.raw(statement).execute(db)
}
