// Dedupe: the provider's event id is recorded in the same transaction as the step it causes, so a
// redelivered webhook (or a retried POST) finds it and ends there.
import type { Db } from './step-transaction.ts'

/** True when this is the first time (merchant, source, external id) is seen; false for a duplicate. */
export async function claimReceipt(
  trx: Db,
  merchantId: string,
  source: string,
  externalId: string,
  now: number,
): Promise<boolean> {
  const inserted = await trx
    .insertInto('receipts')
    .values({ merchant_id: merchantId, source, external_id: externalId, received_at: new Date(now) })
    .onConflict((oc) => oc.columns(['merchant_id', 'source', 'external_id']).doNothing())
    .returning('external_id')
    .executeTakeFirst()
  return inserted !== undefined
}

/**
 * Several names for one event (a provider's delivery id and a key from its signed body): true when none was
 * seen before. All are recorded either way, so a later delivery under any of them is a duplicate too.
 */
export async function claimReceipts(
  trx: Db,
  merchantId: string,
  source: string,
  externalIds: readonly string[],
  now: number,
): Promise<boolean> {
  const ids = [...new Set(externalIds)]
  const inserted = await trx
    .insertInto('receipts')
    .values(
      ids.map((externalId) => ({
        merchant_id: merchantId,
        source,
        external_id: externalId,
        received_at: new Date(now),
      })),
    )
    .onConflict((oc) => oc.columns(['merchant_id', 'source', 'external_id']).doNothing())
    .returning('external_id')
    .execute()
  return inserted.length === ids.length
}
