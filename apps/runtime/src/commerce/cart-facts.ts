// The cart as a flow reads it ({{cart.summary}}, {{cart.proof}}, {{cart.items[0].imageUrl}}), with what only the
// store's own data can say: the catalogue's picture for an item the cart event sent without one, and social
// proof from sales and stock — "14 sold in the last 7 days.", "Only 3 left in stock." — or nothing at all when
// the data does not back a claim. Read when the cart is abandoned, so the sequence's messages agree.
import type { Cart, Database, JsonObject } from '@parley/db'
import { type Kysely, sql, type Transaction } from 'kysely'
import { cartVars } from '../engine/vars.ts'
import { catalogueProductKeys, productKey } from './product-keys.ts'
import { unitsSoldSince } from './product-sales.ts'

type Db = Kysely<Database> | Transaction<Database>

/** Below this many units a week, "sold in the last 7 days" is not social proof. */
export const MIN_UNITS_FOR_PROOF = 3
/** At or below this many (tracked) units left, stock is worth mentioning. */
export const LOW_STOCK = 5
const WEEK_MS = 7 * 24 * 3_600_000

export interface ProductFacts {
  unitsLastWeek: number
  /** Units left when the store tracks every variant's stock; null when it does not. */
  stockLeft: number | null
}

/**
 * The sentence a message may use, from facts only; '' when they say nothing worth saying. Pure.
 * @example socialProof('Linen Shirt', { unitsLastWeek: 12, stockLeft: 3 })
 *   // 'Linen Shirt is popular: 12 sold in the last 7 days. Only 3 left in stock.'
 */
export function socialProof(title: string, facts: ProductFacts): string {
  const sentences: string[] = []
  if (facts.unitsLastWeek >= MIN_UNITS_FOR_PROOF) {
    sentences.push(`${title} is popular: ${facts.unitsLastWeek} sold in the last 7 days.`)
  }
  if (facts.stockLeft !== null && facts.stockLeft > 0 && facts.stockLeft <= LOW_STOCK) {
    sentences.push(
      sentences.length > 0
        ? `Only ${facts.stockLeft} left in stock.`
        : `${title} is selling out: only ${facts.stockLeft} left.`,
    )
  }
  return sentences.join(' ')
}

interface CatalogueMatch {
  key: string
  image_url: string | null
  stock_left: number | null
}

/** The catalogue products the keys name: picture and (tracked) stock left. */
async function catalogueMatches(
  db: Db,
  merchantId: string,
  keys: string[],
): Promise<Map<string, CatalogueMatch>> {
  if (keys.length === 0) return new Map()
  const rows = await db
    .selectFrom(sql<{ key: string }>`(select unnest(${keys}::text[]) as key)`.as('k'))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('products as p')
          .select([
            'p.id',
            'p.image_url',
            // Every variant tracked → their sum; any untracked variant → unknown (always available).
            sql<number | null>`(select case when count(*) > 0 and count(v.inventory_quantity) = count(*)
                then sum(greatest(v.inventory_quantity, 0))::int end
              from product_variants v where v.merchant_id = p.merchant_id and v.product_id = p.id)`.as(
              'stock_left',
            ),
          ])
          .where('p.merchant_id', '=', merchantId)
          .where(sql<boolean>`k.key = any(${catalogueProductKeys('p')})`)
          .orderBy(sql`p.external_id is not distinct from k.key`, 'desc')
          .limit(1)
          .as('p'),
      (join) => join.onTrue(),
    )
    .select(['k.key', 'p.image_url', 'p.stock_left'])
    .execute()
  return new Map(rows.map((r) => [r.key, r]))
}

/** `cartVars` plus the catalogue's pictures for items without one and `proof` for the first item. */
export async function cartVarsWithFacts(db: Db, cart: Cart, now: Date): Promise<JsonObject> {
  const vars = cartVars(cart)
  const keys = cart.items.map((item) => productKey({ productId: item.product_id, title: item.title }))
  const known = [...new Set(keys.filter((k): k is string => k !== null))]
  // One after the other: inside a transaction the statements share a connection anyway.
  const catalogue = await catalogueMatches(db, cart.merchant_id, known)
  const sold = await unitsSoldSince(db, cart.merchant_id, known, new Date(now.getTime() - WEEK_MS))
  const items = vars.items as JsonObject[]
  keys.forEach((key, i) => {
    const image = key ? catalogue.get(key)?.image_url : null
    const item = items[i]
    if (item && !item.imageUrl && image) Object.assign(item, { imageUrl: image, image })
  })
  const first = keys[0]
  vars.proof = first
    ? socialProof(cart.items[0]!.title, {
        unitsLastWeek: sold.get(first) ?? 0,
        stockLeft: catalogue.get(first)?.stock_left ?? null,
      })
    : ''
  return vars
}
