// The visitor's view of their conversation: only their own messages, and only bot/staff messages that were
// actually delivered (a queued or skipped send is not shown, so policy can still stop it unseen).
import type { VisitorMessage, VisitorMessageBody } from '@parley/api'
import type { ConversationStatus, Database, Message, MessageStatus } from '@parley/db'
import type { Kysely } from 'kysely'

export type { VisitorMessage }

const VISIBLE_OUTBOUND: MessageStatus[] = ['sent', 'delivered', 'read']

/** The shopper's own messages, and bot/staff messages once delivered; never staff-only system notes. */
export function isVisibleToVisitor(message: Pick<Message, 'direction' | 'status' | 'author'>): boolean {
  if (message.author === 'system') return false
  return message.direction === 'in' || VISIBLE_OUTBOUND.includes(message.status)
}

export function toVisitorMessage(message: Message): VisitorMessage {
  return {
    id: message.id,
    conversationId: message.conversation_id,
    direction: message.direction,
    author: message.author,
    body: message.body as VisitorMessageBody,
    status: message.status,
    createdAt: message.created_at.toISOString(),
  }
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

/** The latest `limit` visible messages of the visitor's conversations, oldest first. */
export async function listVisitorTranscript(
  db: Kysely<Database>,
  merchantId: string,
  channelId: string,
  visitorId: string,
  limit = 200,
): Promise<{ messages: VisitorMessage[]; status: ConversationStatus | null }> {
  const conversations = await findVisitorConversations(db, merchantId, channelId, visitorId)
  if (conversations.length === 0) return { messages: [], status: null }
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where(
      'conversation_id',
      'in',
      conversations.map((conversation) => conversation.id),
    )
    .where('author', '!=', 'system')
    .where((eb) => eb.or([eb('direction', '=', 'in'), eb('status', 'in', VISIBLE_OUTBOUND)]))
    // A step writes the shopper's message and its replies with one timestamp: seq keeps the order it wrote them.
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute()
  return { messages: rows.reverse().map(toVisitorMessage), status: conversations[0]?.status ?? null }
}
