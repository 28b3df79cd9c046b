// Receipt retention. A receipt (engine/receipts.ts) exists to turn away a provider's redelivery of an event that
// was already stepped, and providers give up within days: Meta retries a WhatsApp webhook for up to 7 days, Shopify
// 19 times over 48 hours, Telegram for about a day. A receipt older than RECEIPT_RETENTION_DAYS (30 by default,
// never under 7) guards nothing any more, yet without a purge the table grew by a row per inbound message, webhook
// and store event for as long as the shop ran.
// Deleted in chunks, each its own short statement (no long lock, no burst of WAL), found through the BRIN index on
// `received_at` (migration 202612082300). Replicas purging at the same time skip each other's rows.
import { sql } from 'kysely'
import type { Db } from '../engine/step-transaction.ts'

const DAY_MS = 86_400_000
/** Receipts deleted by one statement; a full chunk means more are due and the loop goes again at once. */
export const RECEIPT_PURGE_CHUNK = 5_000

/** The instant before which receipts are kept no longer. */
export function receiptCutoff(now: number, retentionDays: number): Date {
  return new Date(now - retentionDays * DAY_MS)
}

/** Deletes up to `limit` receipts received before `cutoff`; returns how many it deleted. */
export async function purgeReceipts(db: Db, cutoff: Date, limit = RECEIPT_PURGE_CHUNK): Promise<number> {
  const expired = db
    .selectFrom('receipts')
    .select(sql<string>`ctid`.as('ctid'))
    .where('received_at', '<', cutoff)
    .limit(limit)
    .forUpdate()
    .skipLocked()
  const result = await db
    .deleteFrom('receipts')
    .where(sql<boolean>`ctid = any(array(${expired}))`)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
