// Catalogue search on Postgres full-text search (the GIN index on to_tsvector('simple', search_text)): every word
// must match, the last one as a prefix so results follow typing; filters for stock and product type; ranked,
// then by title.
import type { Database, Product, ProductVariant } from '@parley/db'
import { type Kysely, sql, type Transaction } from 'kysely'

type Db = Kysely<Database> | Transaction<Database>

export interface ProductSearch {
  q?: string | undefined
  inStock?: boolean | undefined
  type?: string | undefined
  limit: number
  offset: number
}

export type ProductRow = Product & { variant_count: number }

/** "Linen shi" → "linen & shi:*": words only (letters, digits), so user text never reaches tsquery syntax. */
export function toPrefixQuery(q: string): string | null {
  const words =
    q
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu)
      ?.slice(0, 8) ?? []
  if (words.length === 0) return null
  return words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ')
}

export async function searchProducts(
  db: Db,
  merchantId: string,
  search: ProductSearch,
): Promise<{ products: ProductRow[]; total: number }> {
  const tsquery = search.q ? toPrefixQuery(search.q) : null
  if (search.q && tsquery === null) return { products: [], total: 0 }
  let matches = db.selectFrom('products as p').where('p.merchant_id', '=', merchantId)
  if (tsquery !== null)
    matches = matches.where(sql<boolean>`p.search_vector @@ to_tsquery('simple', ${tsquery})`)
  if (search.inStock !== undefined) matches = matches.where('p.in_stock', '=', search.inStock)
  if (search.type) matches = matches.where('p.product_type', '=', search.type)
  // The page and the total are two statements: a window count(*) over () made the page read and rank every
  // match (every product when browsing) before the limit; apart, the page stops after offset + limit rows
  // in index order and the count is an index-only scan or a GIN bitmap count (catalogue.bench.ts, BENCHMARKS.md).
  let page = matches.select('p.id')
  if (tsquery !== null) {
    page = page.orderBy(sql`ts_rank(p.search_vector, to_tsquery('simple', ${tsquery}))`, 'desc')
  }
  const [ids, counted] = await Promise.all([
    page.orderBy('p.title').orderBy('p.id').limit(search.limit).offset(search.offset).execute(),
    matches.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ])
  const total = Number(counted.n)
  if (ids.length === 0) return { products: [], total }
  const order = ids.map((r) => r.id)
  const rows = await db
    .selectFrom('products as p')
    .selectAll('p')
    .select((eb) =>
      eb
        .selectFrom('product_variants as v')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('v.merchant_id', '=', 'p.merchant_id')
        .whereRef('v.product_id', '=', 'p.id')
        .as('variant_count'),
    )
    .where('p.merchant_id', '=', merchantId)
    .where('p.id', '=', sql<string>`any(${order}::uuid[])`)
    .execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  return {
    products: order.flatMap((id) => {
      const row = byId.get(id)
      return row ? [{ ...row, variant_count: Number(row.variant_count ?? 0) }] : []
    }),
    total,
  }
}

export async function productTypes(db: Db, merchantId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('products')
    .select('product_type')
    .distinct()
    .where('merchant_id', '=', merchantId)
    .where('product_type', '<>', '')
    .orderBy('product_type')
    .limit(500)
    .execute()
  return rows.map((r) => r.product_type)
}

export async function findProduct(
  db: Db,
  merchantId: string,
  id: string,
): Promise<{ product: ProductRow; variants: ProductVariant[] } | undefined> {
  const product = await db
    .selectFrom('products')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst()
  if (!product) return undefined
  const variants = await db
    .selectFrom('product_variants')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('product_id', '=', id)
    .orderBy('position')
    .orderBy('id')
    .execute()
  return { product: { ...product, variant_count: variants.length }, variants }
}
