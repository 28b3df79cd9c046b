// Reading the staff inbox: a conversation with its last message and escalation summary (the list's views are
// in inbox-list.ts), and a conversation's full transcript. Staff see everything,
// including skipped sends and system notes. Every query filters by the caller's merchant.

import type { InboxConversation, InboxMessage } from '@parley/api'
import type { Channel, Database, Message } from '@parley/db'
import type { Kysely } from 'kysely'

type Db = Kysely<Database>

const iso = (value: Date | null) => (value ? value.toISOString() : null)

export function baseConversationQuery(db: Db, merchantId: string) {
  return db
    .selectFrom('conversations as c')
    .innerJoin('channels as ch', (j) =>
      j.onRef('ch.merchant_id', '=', 'c.merchant_id').onRef('ch.id', '=', 'c.channel_id'),
    )
    .innerJoin('contacts as ct', (j) =>
      j.onRef('ct.merchant_id', '=', 'c.merchant_id').onRef('ct.id', '=', 'c.contact_id'),
    )
    .leftJoin('users as u', (j) =>
      j.onRef('u.merchant_id', '=', 'c.merchant_id').onRef('u.id', '=', 'c.assigned_user_id'),
    )
    .select([
      'c.id',
      'c.status',
      'c.queue',
      'c.assigned_user_id',
      'u.name as assigned_user_name',
      'c.escalation',
      'c.escalated_at',
      'c.last_message_at',
      'c.last_inbound_at',
      'c.created_at',
      'ch.id as channel_id',
      'ch.kind as channel_kind',
      'ch.name as channel_name',
      'ct.id as contact_id',
      'ct.name as contact_name',
      'ct.email as contact_email',
      'ct.phone as contact_phone',
    ])
    .where('c.merchant_id', '=', merchantId)
}

export type ConversationRow = Awaited<ReturnType<ReturnType<typeof baseConversationQuery>['execute']>>[number]
type LastMessageRow = Pick<Message, 'id' | 'conversation_id' | 'direction' | 'author' | 'body' | 'created_at'>

export async function findInboxConversation(db: Db, merchantId: string, conversationId: string) {
  const row = await baseConversationQuery(db, merchantId)
    .where('c.id', '=', conversationId)
    .executeTakeFirst()
  if (!row) return null
  const last = await lastMessages(db, merchantId, [row.id])
  return toConversation(row, last.get(row.id) ?? null)
}

export async function loadInboxTranscript(
  db: Db,
  merchantId: string,
  conversationId: string,
): Promise<InboxMessage[]> {
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('conversation_id', '=', conversationId)
    // A step writes the shopper's message and its replies with one timestamp: seq keeps the order it wrote them.
    .orderBy('created_at')
    .orderBy('seq')
    .limit(2000)
    .execute()
  return rows.map(toInboxMessage)
}

/** One message of the merchant's, as the inbox shows it; null when there is none. */
export async function findInboxMessage(
  db: Db,
  merchantId: string,
  messageId: string,
): Promise<InboxMessage | null> {
  const row = await db
    .selectFrom('messages')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('id', '=', messageId)
    .executeTakeFirst()
  return row ? toInboxMessage(row) : null
}

/** A message of this conversation with the channel it came in on (whose token fetches its media); null when none. */
export async function findMessageWithChannel(
  db: Db,
  merchantId: string,
  conversationId: string,
  messageId: string,
): Promise<{ body: Message['body']; channel: Channel } | null> {
  const row = await db
    .selectFrom('messages as m')
    .innerJoin('conversations as cv', (j) =>
      j.onRef('cv.merchant_id', '=', 'm.merchant_id').onRef('cv.id', '=', 'm.conversation_id'),
    )
    .innerJoin('channels as ch', (j) =>
      j.onRef('ch.merchant_id', '=', 'cv.merchant_id').onRef('ch.id', '=', 'cv.channel_id'),
    )
    .selectAll('ch')
    .select('m.body as message_body')
    .where('m.merchant_id', '=', merchantId)
    .where('m.conversation_id', '=', conversationId)
    .where('m.id', '=', messageId)
    .executeTakeFirst()
  if (!row) return null
  const { message_body: body, ...channel } = row
  return { body, channel }
}

export function toInboxMessage(row: Message): InboxMessage {
  return {
    id: row.id,
    direction: row.direction,
    author: row.author,
    authorUserId: row.author_user_id,
    body: row.body as Record<string, unknown>,
    status: row.status,
    skipReason: row.skip_reason,
    error: row.error,
    templateName: row.template_name,
    cost: row.cost,
    costCurrency: row.cost_currency,
    createdAt: row.created_at.toISOString(),
    sentAt: iso(row.sent_at),
    deliveredAt: iso(row.delivered_at),
    readAt: iso(row.read_at),
  }
}

/** The newest message of each conversation (one DISTINCT ON query for the page). */
export async function lastMessages(db: Db, merchantId: string, conversationIds: string[]) {
  const byConversation = new Map<string, LastMessageRow>()
  if (conversationIds.length === 0) return byConversation
  const rows = await db
    .selectFrom('messages')
    .distinctOn('conversation_id')
    .select(['id', 'conversation_id', 'direction', 'author', 'body', 'created_at'])
    .where('merchant_id', '=', merchantId)
    .where('conversation_id', 'in', conversationIds)
    .orderBy('conversation_id')
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .execute()
  for (const row of rows) byConversation.set(row.conversation_id, row)
  return byConversation
}

export function toConversation(row: ConversationRow, last: LastMessageRow | null): InboxConversation {
  const escalation = row.escalation as { summary?: unknown; fields?: unknown } | null
  return {
    id: row.id,
    status: row.status,
    queue: row.queue,
    assignedUserId: row.assigned_user_id,
    assignedUserName: row.assigned_user_name ?? null,
    escalation: escalation
      ? {
          summary: typeof escalation.summary === 'string' ? escalation.summary : '',
          fields: stringRecord(escalation.fields),
        }
      : null,
    escalatedAt: iso(row.escalated_at),
    lastMessageAt: iso(row.last_message_at),
    lastInboundAt: iso(row.last_inbound_at),
    createdAt: row.created_at.toISOString(),
    channel: { id: row.channel_id, kind: row.channel_kind, name: row.channel_name },
    contact: {
      id: row.contact_id,
      name: row.contact_name,
      email: row.contact_email,
      phone: row.contact_phone,
    },
    lastMessage: last
      ? {
          id: last.id,
          direction: last.direction,
          author: last.author,
          text: textOf(last.body),
          createdAt: last.created_at.toISOString(),
        }
      : null,
  }
}

function textOf(body: unknown): string {
  const text = (body as { text?: unknown } | null)?.text
  return typeof text === 'string' ? text : ''
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {}
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, typeof v === 'string' ? v : JSON.stringify(v)]),
  )
}
