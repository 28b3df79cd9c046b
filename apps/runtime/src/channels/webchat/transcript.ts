// The visitor's view of their conversation: only their own messages, and only bot/staff messages that were
// actually delivered (a queued or skipped send is not shown, so policy can still stop it unseen). Staff notes
// stay staff-only; the handoff's notices to the shopper ("Sam … joined the chat") are shown.
import type { VisitorMessage, VisitorMessageBody } from '@parley/api'
import type { ConversationStatus, Database, Message, MessageStatus, User } from '@parley/db'
import type { Kysely } from 'kysely'
import { toStaffIdentity } from '../../inbox/staff-identity.ts'

export type { VisitorMessage }

const VISIBLE_OUTBOUND: MessageStatus[] = ['sent', 'delivered', 'read']

/** A system message the shopper was sent (a handoff notice), as opposed to a note for staff. */
function isShopperNotice(message: Pick<Message, 'author' | 'body'>): boolean {
  return message.author === 'system' && typeof (message.body as { notice?: unknown }).notice === 'string'
}

/** The shopper's own messages, and bot/staff messages and notices once delivered; never staff-only notes. */
export function isVisibleToVisitor(
  message: Pick<Message, 'direction' | 'status' | 'author' | 'body'>,
): boolean {
  if (message.author === 'system' && !isShopperNotice(message)) return false
  return message.direction === 'in' || VISIBLE_OUTBOUND.includes(message.status)
}

/** The author's user row, when the message has one (staff replies and notices). */
export type MessageAuthorUser = Pick<User, 'display_name' | 'name' | 'avatar_url'> | null

export function toVisitorMessage(message: Message, user: MessageAuthorUser = null): VisitorMessage {
  const showsWho =
    message.author === 'staff' || (message.body as VisitorMessageBody).notice === 'staff_joined'
  return {
    id: message.id,
    conversationId: message.conversation_id,
    direction: message.direction,
    author: message.author,
    body: message.body as VisitorMessageBody,
    status: message.status,
    createdAt: message.created_at.toISOString(),
    seq: message.seq,
    ...(showsWho && user ? { staff: toStaffIdentity(user) } : {}),
  }
}

/** Messages with their author's user row (one join, for the staff name and avatar). */
export function selectMessagesWithAuthor(db: Kysely<Database>) {
  return db
    .selectFrom('messages')
    .leftJoin('users', (join) =>
      join
        .onRef('users.merchant_id', '=', 'messages.merchant_id')
        .onRef('users.id', '=', 'messages.author_user_id'),
    )
    .selectAll('messages')
    .select(['users.display_name', 'users.name', 'users.avatar_url'])
}

export type MessageWithAuthor = Message & {
  display_name: string | null
  name: string | null
  avatar_url: string | null
}

export function toVisitorMessageWithAuthor(row: MessageWithAuthor): VisitorMessage {
  const { display_name, name, avatar_url, ...message } = row
  return toVisitorMessage(message, name === null ? null : { display_name, name, avatar_url })
}

/** The visitor's conversations on this channel (newest first), found through their contact identity. */
export async function findVisitorConversations(
  db: Kysely<Database>,
  merchantId: string,
  channelId: string,
  visitorId: string,
) {
  return db
    .selectFrom('conversations as c')
    .innerJoin('contact_identities as ci', (join) =>
      join
        .onRef('ci.merchant_id', '=', 'c.merchant_id')
        .onRef('ci.contact_id', '=', 'c.contact_id')
        .onRef('ci.channel_id', '=', 'c.channel_id'),
    )
    .select(['c.id', 'c.status', 'c.updated_at'])
    .where('c.merchant_id', '=', merchantId)
    .where('c.channel_id', '=', channelId)
    .where('ci.external_id', '=', visitorId)
    .orderBy('c.created_at', 'desc')
    .execute()
}

/**
 * The latest `limit` visible messages of the visitor's conversations, oldest first. A reconnecting widget reads
 * this again and merges by id: a message delivered late keeps the seq of its insert, so "after the newest seq I
 * have" could miss one; the whole window cannot.
 */
export async function listVisitorTranscript(
  db: Kysely<Database>,
  merchantId: string,
  channelId: string,
  visitorId: string,
  limit = 200,
): Promise<{ messages: VisitorMessage[]; status: ConversationStatus | null }> {
  const conversations = await findVisitorConversations(db, merchantId, channelId, visitorId)
  if (conversations.length === 0) return { messages: [], status: null }
  const rows = await selectMessagesWithAuthor(db)
    .where('messages.merchant_id', '=', merchantId)
    .where(
      'messages.conversation_id',
      'in',
      conversations.map((conversation) => conversation.id),
    )
    .where((eb) =>
      eb.or([
        eb('messages.author', '!=', 'system'),
        eb(eb.ref('messages.body', '->>').key('notice'), 'is not', null),
      ]),
    )
    .where((eb) =>
      eb.or([eb('messages.direction', '=', 'in'), eb('messages.status', 'in', VISIBLE_OUTBOUND)]),
    )
    // A step writes the shopper's message and its replies with one timestamp: seq keeps the order it wrote them.
    .orderBy('messages.created_at', 'desc')
    .orderBy('messages.seq', 'desc')
    .limit(limit)
    .execute()
  return {
    messages: rows.reverse().map((row) => toVisitorMessageWithAuthor(row as MessageWithAuthor)),
    status: conversations[0]?.status ?? null,
  }
}
