// Conversations written straight to the database for the inbox suites: a contact, its conversation in a given
// state, and its messages (timestamps as given, so views and pages have a known order).
import type { ConversationStatus, Database, MessageAuthor } from '@parley/db'
import type { Kysely } from 'kysely'

export interface SeedConversationOptions {
  merchantId: string
  channelId: string
  contact?: { name?: string; email?: string; phone?: string }
  status?: ConversationStatus
  queue?: string | null
  assignedUserId?: string | null
  escalatedAt?: Date | null
  lastMessageAt?: Date | null
  messages?: { author: MessageAuthor; text: string; at: Date }[]
}

let counter = 0

export async function seedInboxConversation(db: Kysely<Database>, options: SeedConversationOptions) {
  counter += 1
  const contact = await db
    .insertInto('contacts')
    .values({
      merchant_id: options.merchantId,
      name: options.contact?.name ?? null,
      email: options.contact?.email ?? null,
      phone: options.contact?.phone ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('contact_identities')
    .values({
      merchant_id: options.merchantId,
      contact_id: contact.id,
      channel_id: options.channelId,
      external_id: `seed-${process.pid}-${counter}`,
    })
    .execute()
  const messages = options.messages ?? []
  const conversation = await db
    .insertInto('conversations')
    .values({
      merchant_id: options.merchantId,
      contact_id: contact.id,
      channel_id: options.channelId,
      status: options.status ?? 'bot',
      queue: options.queue ?? null,
      assigned_user_id: options.assignedUserId ?? null,
      escalated_at: options.escalatedAt ?? null,
      last_message_at: options.lastMessageAt ?? messages.at(-1)?.at ?? null,
      resolved_at: options.status === 'resolved' ? (options.lastMessageAt ?? new Date()) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const message of messages) {
    await addSeedMessage(db, options.merchantId, conversation.id, contact.id, message)
  }
  return { conversationId: conversation.id, contactId: contact.id }
}

export async function addSeedMessage(
  db: Kysely<Database>,
  merchantId: string,
  conversationId: string,
  contactId: string,
  message: { author: MessageAuthor; text: string; at: Date },
) {
  await db
    .insertInto('messages')
    .values({
      merchant_id: merchantId,
      conversation_id: conversationId,
      contact_id: contactId,
      direction: message.author === 'shopper' ? 'in' : 'out',
      author: message.author,
      body: { text: message.text },
      status: message.author === 'shopper' ? 'delivered' : 'sent',
      created_at: message.at,
      updated_at: message.at,
    })
    .execute()
}
