// The inbox list: a view (waiting for a person, mine, all open, resolved), filters (queue, channel), a search,
// keyset pages, and the caller's unread count per conversation. Waiting is oldest escalation first (the one
// waiting longest is answered first); the others newest activity first. Each order has its own index.

import type { InboxList, InboxListQuery, InboxView } from '@parley/api'
import type { ConversationStatus, Database } from '@parley/db'
import { type Kysely, sql } from 'kysely'
import { ValidationError } from '../domain-errors.ts'
import { baseConversationQuery, lastMessages, toConversation } from './inbox-queries.ts'
import { parseSearch, searchCondition } from './inbox-search.ts'

type Db = Kysely<Database>

const waitingKey = sql<string>`coalesce(c.escalated_at, c.created_at)`
const activityKey = sql<string>`coalesce(c.last_message_at, c.created_at)`
const resolved = sql.lit<ConversationStatus>('resolved')

interface Cursor {
  /** The sort key as Postgres printed it (text keeps its microseconds, which a JS Date would drop). */
  key: string
  id: string
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id])).toString('base64url')
}

/** Null for anything that is not a cursor this list wrote. */
export function decodeCursor(text: string): Cursor | null {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown
    if (!Array.isArray(value) || value.length !== 2) return null
    const [key, id] = value
    if (typeof key !== 'string' || typeof id !== 'string') return null
    // As Postgres prints a timestamptz, e.g. 2026-11-30 09:00:00.123456+00.
    if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d)?$/.test(key)) return null
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null
    return { key, id }
  } catch {
    return null
  }
}

export async function listInbox(
  db: Db,
  merchantId: string,
  userId: string,
  query: InboxListQuery,
): Promise<InboxList> {
  // A view, when given, replaces the older status/assigned parameters (kept for API callers).
  const view: InboxView | null = query.view ?? null
  const { status } = query
  const waitingOrder = view ? view === 'waiting' : status === 'waiting'
  const key = waitingOrder ? waitingKey : activityKey

  let q = baseConversationQuery(db, merchantId).select(sql<string>`${key}::text`.as('sort_key'))
  // Statuses as literals: each view's index is partial on its status, which a prepared statement's generic plan
  // can only use when it reads the value in the text.
  if (view === 'waiting') q = q.where('c.status', '=', sql.lit('waiting'))
  else if (view === 'mine') q = q.where('c.status', '<>', resolved).where('c.assigned_user_id', '=', userId)
  else if (view === 'open') q = q.where('c.status', '<>', resolved)
  else if (view === 'resolved') q = q.where('c.status', '=', resolved)
  else {
    if (status === 'open') q = q.where('c.status', '<>', resolved)
    else if (status !== 'all') q = q.where('c.status', '=', sql.lit(status))
    if (query.assigned === 'me') q = q.where('c.assigned_user_id', '=', userId)
  }
  if (query.queue) q = q.where('c.queue', '=', query.queue)
  if (query.channelId) q = q.where('c.channel_id', '=', query.channelId)
  const search = query.q ? searchCondition(merchantId, parseSearch(query.q)) : null
  if (search) q = q.where(search)

  const cursor = query.cursor ? decodeCursor(query.cursor) : null
  if (query.cursor && !cursor)
    throw new ValidationError('This page of the list is no longer valid; start from the top')
  if (cursor) {
    q = waitingOrder
      ? q.where(sql<boolean>`(${key}, c.id) > (${cursor.key}::timestamptz, ${cursor.id}::uuid)`)
      : q.where(sql<boolean>`(${key}, c.id) < (${cursor.key}::timestamptz, ${cursor.id}::uuid)`)
  }
  const direction = waitingOrder ? sql`asc` : sql`desc`
  const rows = await q
    .orderBy(sql`${key} ${direction}`)
    .orderBy(sql`c.id ${direction}`)
    .limit(query.limit + 1)
    .execute()
  const page = rows.slice(0, query.limit)
  const ids = page.map((row) => row.id)
  const [last, unread, counts] = await Promise.all([
    lastMessages(db, merchantId, ids),
    unreadCounts(db, merchantId, userId, ids),
    inboxCounts(db, merchantId, userId),
  ])
  const tail = page.at(-1)
  return {
    conversations: page.map((row) => ({
      ...toConversation(row, last.get(row.id) ?? null),
      unread: unread.get(row.id) ?? 0,
    })),
    nextCursor: rows.length > query.limit && tail ? encodeCursor({ key: tail.sort_key, id: tail.id }) : null,
    counts,
  }
}

/** The shopper's messages past each conversation's read marker of this user (no marker: all of them). */
async function unreadCounts(db: Db, merchantId: string, userId: string, conversationIds: string[]) {
  const counts = new Map<string, number>()
  if (conversationIds.length === 0) return counts
  const rows = await db
    .selectFrom('messages as m')
    .leftJoin('conversation_reads as r', (j) =>
      j
        .onRef('r.merchant_id', '=', 'm.merchant_id')
        .onRef('r.conversation_id', '=', 'm.conversation_id')
        .on('r.user_id', '=', userId),
    )
    .select(['m.conversation_id', (eb) => eb.fn.countAll<number>().as('unread')])
    .where('m.merchant_id', '=', merchantId)
    .where('m.conversation_id', 'in', conversationIds)
    .where('m.direction', '=', 'in')
    .where(sql<boolean>`m.seq > coalesce(r.read_seq, 0)`)
    .groupBy('m.conversation_id')
    .execute()
  for (const row of rows) counts.set(row.conversation_id, Number(row.unread))
  return counts
}

/** Waiting for a person, and open ones assigned to this user: each an index-only count. */
async function inboxCounts(db: Db, merchantId: string, userId: string) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('conversations')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('merchant_id', '=', merchantId)
        .where('status', '=', sql.lit('waiting'))
        .as('waiting'),
      eb
        .selectFrom('conversations')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('merchant_id', '=', merchantId)
        .where('status', '<>', resolved)
        .where('assigned_user_id', '=', userId)
        .as('mine'),
    ])
    .executeTakeFirstOrThrow()
  return { waiting: Number(row.waiting), mine: Number(row.mine) }
}

/** Marks the conversation read for this user up to its newest message (never moves the marker back). */
export async function markConversationRead(
  db: Db,
  merchantId: string,
  userId: string,
  conversationId: string,
  now: Date,
): Promise<void> {
  await db
    .insertInto('conversation_reads')
    .columns(['merchant_id', 'user_id', 'conversation_id', 'read_seq', 'updated_at'])
    .expression((eb) =>
      eb
        .selectFrom('messages')
        .select([
          sql<string>`${merchantId}::uuid`.as('merchant_id'),
          sql<string>`${userId}::uuid`.as('user_id'),
          sql<string>`${conversationId}::uuid`.as('conversation_id'),
          sql<number>`coalesce(max(seq), 0)`.as('read_seq'),
          sql<Date>`${now}::timestamptz`.as('updated_at'),
        ])
        .where('merchant_id', '=', merchantId)
        .where('conversation_id', '=', conversationId),
    )
    .onConflict((oc) =>
      oc.columns(['merchant_id', 'conversation_id', 'user_id']).doUpdateSet({
        read_seq: sql`greatest(conversation_reads.read_seq, excluded.read_seq)`,
        updated_at: sql`excluded.updated_at`,
      }),
    )
    .execute()
}
