// products/create|update|delete webhooks keep a synced catalogue current. The route has verified the HMAC; here
// the delivery is deduplicated (its receipts claimed in the same transaction as the write, so a failed write is
// retried by Shopify and not lost) and written through the catalogue writer the sync and CSV imports use.
// Shopify does not deliver them in order: an update older than the version already applied from a webhook is
// left out (the store's own `updated_at` decides), and so is any update of a product the store deleted.
import type { Channel, Database } from '@parley/db'
import type { Kysely, Transaction } from 'kysely'
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
      const externalId = productGid(id)
      const gone = await trx
        .deleteFrom('products')
        .where('merchant_id', '=', merchantId)
        .where('external_id', '=', externalId)
        .returning('id')
        .execute()
      await trx
        .insertInto('deleted_products')
        .values({ merchant_id: merchantId, external_id: externalId, deleted_at: new Date(now) })
        .onConflict((oc) => oc.columns(['merchant_id', 'external_id']).doNothing())
        .execute()
      return { duplicate: false, written: gone.length > 0 ? 'deleted' : 'absent' }
    }
    const currency = await storeCurrency(trx, merchantId, channel.id)
    const draft = draftFromWebhook(payload, currency)
    if (!draft.ok) return { duplicate: false, ignored: draft.reason }
    const externalId = draft.draft.externalId
    const version = sourceVersionOf(payload)
    if (externalId) {
      const outOfOrder = await outOfOrderReason(trx, merchantId, externalId, version)
      if (outOfOrder) return { duplicate: false, ignored: outOfOrder }
    }
    const counts = await writeProducts(trx, merchantId, [draft.draft], new Date(now))
    if (externalId && version) {
      await trx
        .updateTable('products')
        .set({ source_updated_at: version })
        .where('merchant_id', '=', merchantId)
        .where('external_id', '=', externalId)
        .where((eb) => eb.or([eb('source_updated_at', 'is', null), eb('source_updated_at', '<', version)]))
        .execute()
    }
    return {
      duplicate: false,
      written: counts.created > 0 ? 'created' : counts.updated > 0 ? 'updated' : 'unchanged',
    }
  })
}

/** The store's `updated_at` of the product version in a create/update payload, or null when it has none. */
function sourceVersionOf(payload: unknown): Date | null {
  const value = (payload as { updated_at?: unknown }).updated_at
  if (typeof value !== 'string') return null
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : new Date(at)
}

/** Why this create/update must not be applied, or null: the store deleted the product, or a newer one is in. */
async function outOfOrderReason(
  trx: Transaction<Database>,
  merchantId: string,
  externalId: string,
  version: Date | null,
): Promise<string | null> {
  const deleted = await trx
    .selectFrom('deleted_products')
    .select('deleted_at')
    .where('merchant_id', '=', merchantId)
    .where('external_id', '=', externalId)
    .executeTakeFirst()
  if (deleted) return 'the store deleted this product; a late update does not bring it back'
  if (!version) return null
  // Locked: a concurrent delivery of the same product waits here and then compares with what this one wrote.
  const current = await trx
    .selectFrom('products')
    .select('source_updated_at')
    .where('merchant_id', '=', merchantId)
    .where('external_id', '=', externalId)
    .forUpdate()
    .executeTakeFirst()
  if (current?.source_updated_at && current.source_updated_at.getTime() > version.getTime()) {
    return 'a newer version of this product is already in the catalogue'
  }
  return null
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
