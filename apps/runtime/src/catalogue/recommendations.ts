// What a post-purchase flow suggests (`{{order.recommendations[0].title}}`): products from the catalogue the
// shopper did not just buy, active and in stock, of the types they bought first. Shaped like cart items, so the
// card's `productId` template finds the product again when the message is sent (product-cards.ts).
import type { Database, JsonObject } from '@parley/db'
import { type Kysely, sql, type Transaction } from 'kysely'
import { productGid } from './shopify-products.ts'

type Db = Kysely<Database> | Transaction<Database>

export const RECOMMENDATIONS = 3

/**
 * @example await recommendProducts(trx, merchantId, order.items) → [{ title, price, imageUrl, url, productId }, ...]
 */
export async function recommendProducts(
  db: Db,
  merchantId: string,
  items: readonly Record<string, unknown>[],
  limit = RECOMMENDATIONS,
): Promise<JsonObject[]> {
  const ids = items.flatMap((item) => {
    const id = typeof item.productId === 'string' ? item.productId.trim() : ''
    return id === '' ? [] : /^\d+$/.test(id) ? [id, productGid(id)] : [id]
  })
  const titles = items.flatMap((item) => (typeof item.title === 'string' ? [item.title] : []))
  // coalesce: a product without an external id (a CSV import) makes `external_id = any(...)` null, and
  // `not (null or false)` is null, which would silently drop every such product from the suggestions.
  const bought = sql<boolean>`coalesce(p.external_id = any(${ids}::text[]) or p.handle = any(${ids}::text[])
    or p.title = any(${titles}::text[]), false)`
  const rows = await db
    .selectFrom('products as p')
    .select(['p.id', 'p.external_id', 'p.title', 'p.price', 'p.currency', 'p.image_url', 'p.url'])
    .where('p.merchant_id', '=', merchantId)
    .where('p.status', '=', 'active')
    .where('p.in_stock', '=', true)
    .where(sql<boolean>`not ${bought}`)
    // The types of what was bought first (a scarf after a coat is less apt than another coat's lining).
    .orderBy(
      sql`p.product_type in (select b.product_type from products b
        where b.merchant_id = ${merchantId} and (b.external_id = any(${ids}::text[]) or b.handle = any(${ids}::text[])
          or b.title = any(${titles}::text[])))`,
      'desc',
    )
    .orderBy('p.title')
    .orderBy('p.id')
    .limit(limit)
    .execute()
  return rows.map((p) => ({
    title: p.title,
    quantity: 1,
    price: Number(p.price),
    currency: p.currency,
    imageUrl: p.image_url,
    image: p.image_url,
    url: p.url,
    productId: p.external_id ?? p.id,
  }))
}
