// Burst merge (issue 14): "hi" and two quick questions are one thing to answer, not three. A shopper's free-text
// messages that come within the merchant's quiet window are held in one `inbound_bursts` row per conversation
// (each message is in the transcript, durable, the moment it is accepted) and stepped together, texts joined with
// newlines, once the window has been quiet (engine/burst-poller.ts). The row is the deadline: whichever process
// claims it after a crash or on another replica steps it, exactly once, and deletes it in the same transaction.
// Latency is added only while a burst can still grow: a window of 0 holds nothing, and a message that is a
// complete answer on its own (a button tap, a photo, /start) is never held: it ends the burst and is stepped
// with what was held.
import { BURST_MAX_WAIT_MS, TYPING_EXPIRES_MS } from '@parley/api'
import { type Conversation, jsonb, type Merchant } from '@parley/db'
import { sql } from 'kysely'
import type { InboundMessage } from '../channels/types.ts'
import { optInKeywordsOf, optOutKeywordsOf } from '../policy/keyword-packs.ts'
import { isOptInMessage, isOptOutMessage } from '../policy/keywords.ts'
import type { Db } from './step-transaction.ts'

/** A pending burst as claimed (its row already deleted in the claiming transaction). */
export interface TakenBurst {
  merchantId: string
  conversationId: string
  contactId: string
  channelId: string
  senderExternalId: string
  /** The held transcript rows, oldest first. */
  messageIds: string[]
}

/** What the inbound path does with a fresh message (`settleInBurst`). */
export type BurstDecision =
  /** Held: the burst's deadline steps it later. */
  | { held: true }
  /** Step now, with this message (the held texts joined before its own when it ended a burst). */
  | { held: false; message: InboundMessage }

type Shopper = Pick<Conversation, 'merchant_id' | 'id' | 'status' | 'contact_id' | 'channel_id'>

/**
 * The one rule for whether a message may wait for the shopper's next words: only typed text to the bot. A button
 * tap, a photo or /start is a complete answer; opt-out/opt-in keywords act at once (compliance); a conversation
 * staff have is not stepped by the bot anyway.
 */
export function mayWaitForMore(merchant: Merchant, conversation: Shopper, msg: InboundMessage): boolean {
  if (merchant.burst_window_ms <= 0) return false
  if (msg.buttonId !== undefined || msg.command !== undefined || (msg.media?.length ?? 0) > 0) return false
  if (msg.text.trim() === '') return false
  if (conversation.status === 'assigned' || conversation.status === 'waiting') return false
  return !isKeyword(merchant, msg.text)
}

function isKeyword(merchant: Merchant, text: string): boolean {
  return isOptOutMessage(text, optOutKeywordsOf(merchant)) || isOptInMessage(text, optInKeywordsOf(merchant))
}

/**
 * Holds a fresh message in its conversation's burst, or tells the caller to step it now. A message that may not
 * wait ends a pending burst: the held texts come first in the one event stepped now (so the bot answers what the
 * shopper wrote, in order, with one step per shopper per transaction); an opt-out or opt-in keyword instead
 * drops what was held (it stays in the transcript) and acts alone. A window of 0 costs no statement.
 * @example const decision = await settleInBurst(trx, merchant, conversation, msg, messageId, now)
 */
export async function settleInBurst(
  trx: Db,
  merchant: Merchant,
  conversation: Shopper,
  msg: InboundMessage,
  messageId: string,
  now: number,
): Promise<BurstDecision> {
  // A merchant who switched the window off may still have a burst from before: the poller steps it on time.
  if (merchant.burst_window_ms <= 0) return { held: false, message: msg }
  if (mayWaitForMore(merchant, conversation, msg)) {
    await holdInBurst(trx, conversation, msg.sender.externalId, messageId, now, merchant.burst_window_ms)
    return { held: true }
  }
  const pending = await takeBurst(trx, conversation.merchant_id, conversation.id)
  if (!pending || isKeyword(merchant, msg.text)) return { held: false, message: msg }
  const texts = await heldTexts(trx, pending)
  return { held: false, message: { ...msg, text: joinTexts([...texts, msg.text]) } }
}

/** The texts of a burst as one message: one line each, empty ones (a photo's) left out. */
export function joinTexts(texts: readonly string[]): string {
  return texts
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .join('\n')
}

/**
 * Adds a message to the conversation's burst, starting one if none is pending. The deadline moves to a window
 * after this message (a message sent ends the typing that may have extended it), but never past
 * BURST_MAX_WAIT_MS after the burst's first message.
 */
export async function holdInBurst(
  trx: Db,
  conversation: Shopper,
  senderExternalId: string,
  messageId: string,
  now: number,
  windowMs: number,
): Promise<void> {
  await trx
    .insertInto('inbound_bursts')
    .values({
      merchant_id: conversation.merchant_id,
      conversation_id: conversation.id,
      contact_id: conversation.contact_id,
      channel_id: conversation.channel_id,
      sender_external_id: senderExternalId,
      message_ids: jsonb([messageId]),
      started_at: new Date(now),
      due_at: new Date(now + windowMs),
      updated_at: new Date(now),
    })
    .onConflict((oc) =>
      oc.columns(['merchant_id', 'conversation_id']).doUpdateSet({
        message_ids: sql<string[]>`inbound_bursts.message_ids || excluded.message_ids`,
        due_at: sql`least(excluded.due_at, inbound_bursts.started_at + ${BURST_MAX_WAIT_MS} * interval '1 millisecond')`,
        updated_at: sql`excluded.updated_at`,
      }),
    )
    .execute()
}

/**
 * The shopper is typing in the conversation (web chat): a pending burst waits as long as a typing indicator
 * shows, bounded by BURST_MAX_WAIT_MS after its first message. Nothing pending, nothing changes. Returns whether a
 * burst was extended.
 */
export async function extendBurstWhileTyping(
  db: Db,
  merchantId: string,
  conversationId: string,
  now: number,
): Promise<boolean> {
  const typingUntil = new Date(now + TYPING_EXPIRES_MS)
  const result = await db
    .updateTable('inbound_bursts')
    .set({
      due_at: sql`greatest(due_at, least(${typingUntil}, started_at + ${BURST_MAX_WAIT_MS} * interval '1 millisecond'))`,
      updated_at: new Date(now),
    })
    .where('merchant_id', '=', merchantId)
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Claims and deletes the conversation's pending burst (the caller holds the shopper's contact lock). */
async function takeBurst(trx: Db, merchantId: string, conversationId: string): Promise<TakenBurst | null> {
  const row = await trx
    .deleteFrom('inbound_bursts')
    .where('merchant_id', '=', merchantId)
    .where('conversation_id', '=', conversationId)
    .returningAll()
    .executeTakeFirst()
  return row ? takenBurstOf(row) : null
}

function takenBurstOf(row: {
  merchant_id: string
  conversation_id: string
  contact_id: string
  channel_id: string
  sender_external_id: string
  message_ids: string[]
}): TakenBurst {
  return {
    merchantId: row.merchant_id,
    conversationId: row.conversation_id,
    contactId: row.contact_id,
    channelId: row.channel_id,
    senderExternalId: row.sender_external_id,
    messageIds: row.message_ids,
  }
}

/** Bursts whose deadline has passed, at most one per contact (one step per shopper per transaction). */
export async function findDueBursts(
  db: Db,
  now: number,
  limit: number,
): Promise<{ merchantId: string; conversationId: string; contactId: string }[]> {
  const rows = await db
    .selectFrom('inbound_bursts')
    .select(['merchant_id', 'conversation_id', 'contact_id'])
    .where('due_at', '<=', new Date(now))
    .orderBy('due_at')
    .limit(limit)
    .execute()
  const seen = new Set<string>()
  return rows.flatMap((r) => {
    const contact = `${r.merchant_id}:${r.contact_id}`
    if (seen.has(contact)) return []
    seen.add(contact)
    return [{ merchantId: r.merchant_id, conversationId: r.conversation_id, contactId: r.contact_id }]
  })
}

/**
 * Claims due bursts of one merchant's conversations and deletes their rows. Rows another process holds are
 * skipped (SKIP LOCKED): two replicas never step the same burst. The caller locks the shoppers' contacts first,
 * in the order the inbound path takes them (contact, then burst), so the two never deadlock.
 */
export async function claimDueBursts(
  trx: Db,
  merchantId: string,
  conversationIds: readonly string[],
  now: number,
): Promise<TakenBurst[]> {
  if (conversationIds.length === 0) return []
  const claimed = await trx
    .selectFrom('inbound_bursts')
    .select('conversation_id')
    .where('merchant_id', '=', merchantId)
    .where('conversation_id', 'in', [...conversationIds])
    .where('due_at', '<=', new Date(now))
    .orderBy('conversation_id')
    .forUpdate()
    .skipLocked()
    .execute()
  if (claimed.length === 0) return []
  const rows = await trx
    .deleteFrom('inbound_bursts')
    .where('merchant_id', '=', merchantId)
    .where(
      'conversation_id',
      'in',
      claimed.map((r) => r.conversation_id),
    )
    .returningAll()
    .execute()
  return rows.map(takenBurstOf)
}

/**
 * The conversations among these that hold a shopper's words in a burst, each with the burst's deadline (ms): a
 * wait for their reply that runs out meanwhile was answered, and waits for the burst instead (engine/timer-poller.ts).
 */
export async function heldBurstDeadlines(
  trx: Db,
  merchantId: string,
  conversationIds: readonly string[],
): Promise<Map<string, number>> {
  if (conversationIds.length === 0) return new Map()
  const rows = await trx
    .selectFrom('inbound_bursts')
    .select(['conversation_id', 'due_at'])
    .where('merchant_id', '=', merchantId)
    .where('conversation_id', 'in', [...conversationIds])
    .execute()
  return new Map(rows.map((r) => [r.conversation_id, r.due_at.getTime()]))
}

/** The held messages' texts, oldest first (a row erased meanwhile is left out). */
export async function heldTexts(trx: Db, burst: TakenBurst): Promise<string[]> {
  if (burst.messageIds.length === 0) return []
  const rows = await trx
    .selectFrom('messages')
    .select(['id', 'body'])
    .where('merchant_id', '=', burst.merchantId)
    .where('id', 'in', burst.messageIds)
    .execute()
  const byId = new Map(rows.map((r) => [r.id, r.body]))
  return burst.messageIds.flatMap((id) => {
    const text = (byId.get(id) as { text?: unknown } | undefined)?.text
    return typeof text === 'string' ? [text] : []
  })
}
