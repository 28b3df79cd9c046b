// Provider delivery receipts → messages.status. Statuses only move forward (a late "delivered" after "read"
// changes nothing); "failed" is kept unless the message was already delivered or read.
import type { Database, MessageStatus } from '@parley/db'
import { type Kysely, sql } from 'kysely'
import type { Realtime } from '../realtime/realtime.ts'

const RANK: Record<MessageStatus, number> = {
  queued: 0,
  unknown: 0,
  skipped: 0,
  sent: 1,
  failed: 1,
  delivered: 2,
  read: 3,
}

export interface DeliveryStatusUpdate {
  providerMessageId: string
  status: 'sent' | 'delivered' | 'read' | 'failed'
  error?: string
}

/** Applies one receipt; returns true when a transcript row changed (and was announced on realtime). */
export async function applyDeliveryStatus(
  deps: { db: Kysely<Database>; realtime: Realtime },
  merchantId: string,
  update: DeliveryStatusUpdate,
  nowMs: number,
): Promise<boolean> {
  const row = await deps.db
    .selectFrom('messages')
    .select(['id', 'status', 'conversation_id'])
    .where('merchant_id', '=', merchantId)
    .where('provider_message_id', '=', update.providerMessageId)
    // Receipts are for our own sends; messages_provider_idx holds only those (a literal, for generic plans).
    .where('direction', '=', sql.lit('out'))
    // No receipt names a web-chat send (`webchat:<row id>`, web chat has no delivery webhooks): the index leaves
    // them out (migration 202612050048), and the statement says so for its generic plan.
    .where('provider_message_id', 'not like', sql.lit('webchat:%'))
    .executeTakeFirst()
  if (!row) return false
  const current = row.status
  const moves =
    update.status === 'failed'
      ? RANK[current] < RANK.delivered && current !== 'failed'
      : RANK[update.status] > RANK[current]
  if (!moves) return false
  const now = new Date(nowMs)
  const changed = await deps.db
    .updateTable('messages')
    .set((eb) => ({
      status: update.status,
      updated_at: now,
      ...(update.status === 'delivered' || update.status === 'read'
        ? { delivered_at: eb.fn.coalesce('delivered_at', eb.val(now)) }
        : {}),
      ...(update.status === 'read' ? { read_at: now } : {}),
      ...(update.status === 'failed' ? { error: update.error ?? 'failed' } : {}),
    }))
    .where('merchant_id', '=', merchantId)
    .where('id', '=', row.id)
    // Guard against a concurrent receipt having moved it meanwhile.
    .where('status', '=', current)
    .executeTakeFirst()
  if (Number(changed.numUpdatedRows) === 0) return false
  await deps.realtime
    .publish({ merchantId, conversationId: row.conversation_id, kind: 'message', id: row.id })
    .catch(() => {})
  return true
}
