// products/create|update|delete webhooks keep a synced catalogue current. The route has verified the HMAC; here
// the delivery is deduplicated (its receipts claimed in the same transaction as the write, so a failed write is
// retried by Shopify and not lost) and written through the catalogue writer the sync and CSV imports use.
import type { Channel, Database } from '@parley/db'
import type { Kysely } from 'kysely'
import { claimReceipts } from '../engine/receipts.ts'
import { writeProducts } from './catalogue-writer.ts'
import { lastSyncedCurrency } from './import-jobs.ts'
import { draftFromWebhook, productGid } from './shopify-products.ts'

export const SHOPIFY_PRODUCT_TOPICS = ['products/create', 'products/update', 'products/delete'] as const

export function isShopifyProductTopic(topic: string): boolean {
  return (SHOPIFY_PRODUCT_TOPICS as readonly string[]).includes(topic)
}

export type ProductWebhookResult =
  | { duplicate: true }
  | { duplicate: false; ignored: string }
  | { duplicate: false; written: 'created' | 'updated' | 'unchanged' | 'deleted' | 'absent' }

/**
 * @example await handleShopifyProductWebhook(deps, channel, 'products/update', payload, raw, { source, keys })
 */
export async function handleShopifyProductWebhook(
  deps: { db: Kysely<Database>; clock: { now(): number } },
  channel: Pick<Channel, 'id' | 'merchant_id'>,
  topic: string,
  payload: unknown,
  raw: Buffer,
  dedupe: { source: string; keys: readonly string[] },
): Promise<ProductWebhookResult> {
  const merchantId = channel.merchant_id
  const now = deps.clock.now()
  return deps.db.transaction().execute(async (trx): Promise<ProductWebhookResult> => {
    if (!(await claimReceipts(trx, merchantId, dedupe.source, dedupe.keys, now))) return { duplicate: true }
    if (topic === 'products/delete') {
      const id = deletedProductId(payload, raw)
      if (!id) return { duplicate: false, ignored: 'the deletion does not name a product' }
      const gone = await trx
        .deleteFrom('products')
        .where('merchant_id', '=', merchantId)
        .where('external_id', '=', productGid(id))
        .returning('id')
        .execute()
      return { duplicate: false, written: gone.length > 0 ? 'deleted' : 'absent' }
    }
    const currency = await storeCurrency(trx, merchantId, channel.id)
    const draft = draftFromWebhook(payload, currency)
    if (!draft.ok) return { duplicate: false, ignored: draft.reason }
    const counts = await writeProducts(trx, merchantId, [draft.draft], new Date(now))
    return {
      duplicate: false,
      written: counts.created > 0 ? 'created' : counts.updated > 0 ? 'updated' : 'unchanged',
    }
  })
}

/**
 * The deleted product's id. Read from the raw body when it is a bare number there: Shopify's ids can exceed
 * what a JSON number holds exactly, and the delete payload carries no admin_graphql_api_id.
 */
function deletedProductId(payload: unknown, raw: Buffer): string | null {
  const body = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {}
  if (typeof body.admin_graphql_api_id === 'string' && body.admin_graphql_api_id !== '') {
    return body.admin_graphql_api_id
  }
  if (typeof body.id === 'string' && /^\d+$/.test(body.id)) return body.id
  if (typeof body.id !== 'number') return null
  // The payload is `{"id":788032119674292922}`: its only id is the top-level one.
  const exact = /"id"\s*:\s*(\d+)/.exec(raw.toString('utf8'))?.[1]
  return exact ?? String(body.id)
}

/** The store's currency: as its last sync read it, else the merchant's. */
async function storeCurrency(db: Kysely<Database>, merchantId: string, channelId: string): Promise<string> {
  const synced = await lastSyncedCurrency(db, merchantId, channelId)
  if (synced) return synced
  const merchant = await db
    .selectFrom('merchants')
    .select('budget_currency')
    .where('id', '=', merchantId)
    .executeTakeFirstOrThrow()
  return merchant.budget_currency
}
