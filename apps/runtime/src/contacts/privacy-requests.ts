// Reading the privacy requests a store sent (SQL for routes/privacy.ts).
import type { PrivacyRequestSummary } from '@parley/api'
import type { JsonObject } from '@parley/db'
import type { Db } from '../engine/step-transaction.ts'

export async function listPrivacyRequests(db: Db, merchantId: string): Promise<PrivacyRequestSummary[]> {
  const rows = await db
    .selectFrom('privacy_requests')
    .select((eb) => [
      'id',
      'topic',
      'shopify_customer_id',
      'created_at',
      eb('export', 'is not', null).as('has_export'),
    ])
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(500)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    topic: r.topic,
    shopifyCustomerId: r.shopify_customer_id,
    receivedAt: r.created_at.toISOString(),
    hasExport: Boolean(r.has_export),
  }))
}

/** A data request's export, or null (not this merchant's, not a data request, or erased since). */
export async function findPrivacyExport(db: Db, merchantId: string, id: string): Promise<JsonObject | null> {
  const row = await db
    .selectFrom('privacy_requests')
    .select('export')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row?.export ?? null
}
