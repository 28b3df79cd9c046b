// The facts an AI answer may use, and nothing else: the catalogue entries retrieval found for the question
// (title, price, stock, options, variants, a short description) and the store's policies. Built inside the
// step from the same rows the catalogue answer read, carried in the job, and the only data the prompt holds.
import type { Database } from '@parley/db'
import type { Kysely } from 'kysely'

export interface VariantFact {
  title: string
  price: string
  inStock: boolean
}

export interface ProductFact {
  title: string
  /** As stored: "49.00". */
  price: string
  compareAtPrice?: string
  currency: string
  inStock: boolean
  description: string
  /** Option values and other attributes (colour, size, material, fit), as the catalogue holds them. */
  attributes: Record<string, unknown>
  variants: VariantFact[]
}

export interface StoreFacts {
  storeName: string
  returnWindowDays: number
}

export interface AnswerFacts {
  products: ProductFact[]
  store: StoreFacts
}

/** Enough description to answer from, not a page of marketing copy. */
const DESCRIPTION_CHARS = 400
/** Variants per product in the prompt; beyond it the product's own stock and price stand for the rest. */
const VARIANTS_PER_PRODUCT = 30

/**
 * The facts of the products retrieval found (by id, the merchant's own only) and the store's policies.
 * @example await loadAnswerFacts(trx, merchantId, answer.productIds)
 */
export async function loadAnswerFacts(
  db: Kysely<Database>,
  merchantId: string,
  productIds: readonly string[],
): Promise<AnswerFacts> {
  const merchant = await db
    .selectFrom('merchants')
    .select(['name', 'return_window_days'])
    .where('id', '=', merchantId)
    .executeTakeFirst()
  const store = { storeName: merchant?.name ?? '', returnWindowDays: merchant?.return_window_days ?? 30 }
  if (productIds.length === 0) return { products: [], store }
  const products = await db
    .selectFrom('products')
    .select(['id', 'title', 'description', 'price', 'compare_at_price', 'currency', 'in_stock', 'attributes'])
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', [...productIds])
    .execute()
  const variants = await db
    .selectFrom('product_variants')
    .select(['product_id', 'title', 'price', 'inventory_quantity', 'position'])
    .where('merchant_id', '=', merchantId)
    .where('product_id', 'in', [...productIds])
    .orderBy('product_id')
    .orderBy('position')
    .execute()
  const byId = new Map(products.map((p) => [p.id, p]))
  // In retrieval's order (the best match first), not the database's.
  return {
    store,
    products: productIds.flatMap((id) => {
      const p = byId.get(id)
      if (!p) return []
      return [
        {
          title: p.title,
          price: p.price,
          ...(p.compare_at_price ? { compareAtPrice: p.compare_at_price } : {}),
          currency: p.currency,
          inStock: p.in_stock,
          description: p.description.slice(0, DESCRIPTION_CHARS),
          attributes: p.attributes,
          variants: variants
            .filter((v) => v.product_id === id)
            .slice(0, VARIANTS_PER_PRODUCT)
            .map((v) => ({
              title: v.title,
              price: v.price,
              inStock: v.inventory_quantity === null || v.inventory_quantity > 0,
            })),
        },
      ]
    }),
  }
}
