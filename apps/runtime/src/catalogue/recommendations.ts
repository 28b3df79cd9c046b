// What a post-purchase flow suggests (`{{order.recommendations[0].title}}`): products from the merchant's own
// orders first — those most often bought together with what the shopper just bought — then best-sellers of the
// same type, then the rest of that type, then anything else; always active, in stock, and not what they bought.
// The counters are kept as orders arrive (commerce/product-sales.ts). Shaped like cart items, so the card's
// `productId` template finds the product again when the message is sent (product-cards.ts).
import type { Database, JsonObject } from '@parley/db'
import { type Kysely, sql, type Transaction } from 'kysely'
import { catalogueProductKeys, productKey } from '../commerce/product-keys.ts'

type Db = Kysely<Database> | Transaction<Database>

export const RECOMMENDATIONS = 3
/** Best-sellers are counted over this many days. */
const BEST_SELLER_DAYS = 90
/** Candidates read from each counter (the ranking needs only the top of each). */
const CANDIDATES = 50

interface Candidate {
  id: string
  external_id: string | null
  title: string
  price: string
  currency: string
  image_url: string | null
  url: string | null
  product_type: string | null
  keys: (string | null)[]
}

/**
 * @example await recommendProducts(trx, merchantId, order.items, { now }) → [{ title, price, imageUrl, url, productId }, ...]
 */
export async function recommendProducts(
  db: Db,
  merchantId: string,
  items: readonly Record<string, unknown>[],
  options: { now: Date; limit?: number },
): Promise<JsonObject[]> {
  const limit = options.limit ?? RECOMMENDATIONS
  const boughtKeys = [
    ...new Set(items.map((item) => productKey(item)).filter((k): k is string => k !== null)),
  ]
  const together = await countsBy(
    db
      .selectFrom('product_pairs')
      .select(['other_key as key', sql<number>`sum(orders)::int`.as('n')])
      .where('merchant_id', '=', merchantId)
      .where('product_key', 'in', boughtKeys.length > 0 ? boughtKeys : [''])
      .groupBy('other_key')
      .orderBy('n', 'desc')
      .limit(CANDIDATES)
      .execute(),
  )
  const since = new Date(options.now.getTime() - BEST_SELLER_DAYS * 86_400_000)
  const sold = await countsBy(
    db
      .selectFrom('product_sales_daily')
      .select(['product_key as key', sql<number>`sum(units)::int`.as('n')])
      .where('merchant_id', '=', merchantId)
      .where('day', '>=', sql<Date>`${since.toISOString().slice(0, 10)}::date`)
      .groupBy('product_key')
      .orderBy('n', 'desc')
      .limit(CANDIDATES)
      .execute(),
  )
  const counted = [...new Set([...together.keys(), ...sold.keys()])]
  const boughtMatch = sql<boolean>`${catalogueProductKeys('p')} && ${boughtKeys}::text[]`
  const base = db
    .selectFrom('products as p')
    .select([
      'p.id',
      'p.external_id',
      'p.title',
      'p.price',
      'p.currency',
      'p.image_url',
      'p.url',
      'p.product_type',
      sql<(string | null)[]>`${catalogueProductKeys('p')}`.as('keys'),
    ])
    .where('p.merchant_id', '=', merchantId)
    .where('p.status', '=', 'active')
    .where('p.in_stock', '=', true)
    .where(sql<boolean>`not ${boughtMatch}`)
  const boughtTypes = new Set<string | null>(
    (
      await db
        .selectFrom('products as p')
        .select('p.product_type')
        .where('p.merchant_id', '=', merchantId)
        .where(boughtMatch)
        .execute()
    ).map((r) => r.product_type),
  )
  // The counted products, and enough of the rest (the bought types first) to fill the list without them.
  const countedRows: Candidate[] =
    counted.length > 0
      ? await base
          .where(sql<boolean>`${catalogueProductKeys('p')} && ${counted}::text[]`)
          .limit(2 * CANDIDATES)
          .execute()
      : []
  const rest: Candidate[] = await base
    .orderBy(
      sql`coalesce(p.product_type = any(${[...boughtTypes].filter((t) => t !== null)}::text[]), false)`,
      'desc',
    )
    .orderBy('p.title')
    .orderBy('p.id')
    .limit(limit + countedRows.length)
    .execute()
  const score = (p: Candidate, counts: Map<string, number>) =>
    Math.max(0, ...p.keys.map((k) => (k === null ? 0 : (counts.get(k) ?? 0))))
  const ranked = [...new Map([...countedRows, ...rest].map((p) => [p.id, p])).values()].sort(
    (a, b) =>
      score(b, together) - score(a, together) ||
      Number(boughtTypes.has(b.product_type)) - Number(boughtTypes.has(a.product_type)) ||
      score(b, sold) - score(a, sold) ||
      a.title.localeCompare(b.title) ||
      a.id.localeCompare(b.id),
  )
  return ranked.slice(0, limit).map((p) => ({
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

async function countsBy(rows: Promise<{ key: string; n: number }[]>): Promise<Map<string, number>> {
  return new Map((await rows).map((r) => [r.key, Number(r.n)]))
}
