// The initial import from a connected Shopify store: the Admin GraphQL API's products, a page at a time
// (pageInfo.endCursor), each page handed to the catalogue writer before the next is fetched, so memory holds one
// page. It runs as a catalogue import job (import-worker.ts): progress is products read of the store's count, and
// a restart re-runs it from the first page (the writes are idempotent). Calls go through the egress policy.
import type { CatalogueImport, CatalogueImportError, Database } from '@parley/db'
import type { Kysely } from 'kysely'
import { readChannelConfig } from '../channels/channel-secrets.ts'
import { ProviderRejectedError } from '../channels/setup/provider-call.ts'
import { type ShopifyCredentials, shopifyGraphql } from '../channels/setup/shopify-setup.ts'
import { shopifyAdminConfig } from '../channels/shopify/shopify-config.ts'
import type { RuntimeDeps } from '../deps.ts'
import type { ProductDraft } from './product-draft.ts'
import { draftFromGraphql, PRODUCTS_QUERY } from './shopify-products.ts'

/** Shopify's largest page; a page of 100 products × 100 variants stays inside the query cost limit of 1,000. */
export const SHOPIFY_PAGE_SIZE = 50
/** Throttled calls wait and retry this many times before the sync gives up. */
const THROTTLE_RETRIES = 5

/** The sync cannot go on (store disconnected, token refused); earlier pages stay written. */
export class ShopifySyncFailure extends Error {}

export interface SyncPage {
  products: ProductDraft[]
  errors: CatalogueImportError[]
  /** Products read so far, of `total`. */
  read: number
  total: number
  currency: string
  first: boolean
}

/** The merchant's connected Shopify store (the newest, if several were connected), or undefined. */
export async function findShopifyStore(
  db: Kysely<Database>,
  merchantId: string,
): Promise<{ id: string; name: string } | undefined> {
  return db
    .selectFrom('channels')
    .select(['id', 'name'])
    .where('merchant_id', '=', merchantId)
    .where('kind', '=', 'shopify')
    .where('enabled', '=', true)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** The store's Admin API credentials, or a failure in words when it is not connected any more. */
export async function shopifyCredentials(
  deps: Pick<RuntimeDeps, 'config'> & { db: Kysely<Database> },
  merchantId: string,
  channelId: string,
): Promise<ShopifyCredentials> {
  const channel = await deps.db
    .selectFrom('channels')
    .select(['id', 'kind', 'config', 'enabled'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', channelId)
    .where('kind', '=', 'shopify')
    .executeTakeFirst()
  if (!channel?.enabled) throw new ShopifySyncFailure('The Shopify store is no longer connected')
  const config = readChannelConfig(deps, channel, shopifyAdminConfig)
  if (!config.success) {
    throw new ShopifySyncFailure(
      'The Shopify connection has no Admin API access token: connect the store again',
    )
  }
  return config.data
}

/**
 * Reads every product of the store, page by page, calling `onPage` (which writes) before fetching the next.
 * @example await syncShopifyProducts(deps, job, (page) => write(page))
 */
export async function syncShopifyProducts(
  deps: Pick<RuntimeDeps, 'egress' | 'config'> & { db: Kysely<Database> },
  job: Pick<CatalogueImport, 'merchant_id' | 'id' | 'options'>,
  onPage: (page: SyncPage) => Promise<void>,
  options: { pageSize?: number | undefined; sleep?: (ms: number) => Promise<void> } = {},
): Promise<void> {
  const channelId = job.options.channelId
  if (!channelId) throw new ShopifySyncFailure('The sync does not name a Shopify store')
  const credentials = await shopifyCredentials(deps, job.merchant_id, channelId)
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
  let after: string | null = null
  let read = 0
  for (let first = true; ; first = false) {
    const data = await callWithRetries(
      () =>
        shopifyGraphql(deps, credentials, PRODUCTS_QUERY, {
          first: options.pageSize ?? SHOPIFY_PAGE_SIZE,
          after,
        }),
      sleep,
    )
    const shop = obj(data.shop)
    const currency = typeof shop.currencyCode === 'string' ? shop.currencyCode : null
    if (!currency) throw new ShopifySyncFailure('Shopify did not say the store’s currency')
    const connection = obj(data.products)
    const nodes = Array.isArray(connection.nodes) ? connection.nodes : []
    const products: ProductDraft[] = []
    const errors: CatalogueImportError[] = []
    for (const node of nodes) {
      const result = draftFromGraphql(node, currency)
      if (result.ok) products.push(result.draft)
      else errors.push({ line: null, handle: result.handle, message: result.reason })
    }
    read += nodes.length
    const count = Number(obj(data.productsCount).count)
    const total = Number.isFinite(count) && count >= read ? count : read
    await onPage({ products, errors, read, total, currency, first })
    const pageInfo = obj(connection.pageInfo)
    if (pageInfo.hasNextPage !== true) return
    if (typeof pageInfo.endCursor !== 'string' || pageInfo.endCursor === after) {
      throw new ShopifySyncFailure('Shopify returned a page without a next cursor')
    }
    after = pageInfo.endCursor
  }
}

/** Shopify answers THROTTLED when the query-cost bucket is empty; it refills in seconds. */
async function callWithRetries<T>(call: () => Promise<T>, sleep: (ms: number) => Promise<void>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call()
    } catch (error) {
      if (!(error instanceof ProviderRejectedError)) throw error
      if (/throttled/i.test(error.providerMessage) && attempt < THROTTLE_RETRIES) {
        await sleep(2000 * (attempt + 1))
        continue
      }
      throw new ShopifySyncFailure(error.message)
    }
  }
}

const obj = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
