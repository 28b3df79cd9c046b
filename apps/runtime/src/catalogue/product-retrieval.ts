// Retrieval for product questions: the few products of one merchant a question can be about, with their variants
// (option values, price, stock), read from the database per question — never the whole catalogue, so a 50,000-
// variant store answers as fast as a small one (bench/product-answer.bench.ts). Candidates come from two indexes:
// the full-text index over title, options, SKUs, tags (exact words) and the trigram index on titles (typos:
// "hodie" finds "Hoodie"); ranked by how much of the title the question contains. The answer rule in packages/flow
// (`answerFromCatalogue`) then decides, over these candidates only, which one is meant and what is asked.
import type { Database } from '@parley/db'
import { type CatalogueProduct, type CatalogueVariant, productSearchTerms } from '@parley/flow'
import { type Kysely, sql, type Transaction } from 'kysely'
import { isUuid } from '../channels/channel-lookup.ts'

type Db = Kysely<Database> | Transaction<Database>

/** Everything an answer (or an LLM prompt) may say about a product; nothing else leaves the catalogue. */
export type RetrievedProduct = CatalogueProduct &
  Required<Pick<CatalogueProduct, 'imageUrl' | 'url' | 'optionNames' | 'variants'>>

export interface RetrieveOptions {
  /** Products the conversation is already about (the cart's): our ids or the store's; always included. */
  context?: string[]
  /** How many candidates the question may bring (default 8). */
  limit?: number
}

/** Enough of a description to answer "what is it made of"; the rest stays in the database. */
export const DESCRIPTION_EXCERPT_CHARS = 600
/** A product's variants beyond this are not read (Shopify allows 2,048; answers name a handful). */
const VARIANTS_PER_PRODUCT = 100

/**
 * The products a question can be about, best first, then the context's; active products of the merchant only.
 * @example await retrieveProducts(db, merchantId, 'Is the Classic Hoodie available in M?') // [{ title: 'Classic Hoodie', variants: [...] }]
 */
export async function retrieveProducts(
  db: Db,
  merchantId: string,
  question: string,
  options: RetrieveOptions = {},
): Promise<RetrievedProduct[]> {
  const limit = options.limit ?? 8
  const terms = productSearchTerms(question)
  const context = (options.context ?? []).filter((key) => key.trim() !== '').slice(0, 20)
  const [matched, fromContext] = await Promise.all([
    terms.length > 0 ? candidateIds(db, merchantId, question, terms, limit) : [],
    context.length > 0 ? contextIds(db, merchantId, context) : [],
  ])
  const ids = [...new Set([...matched, ...fromContext])]
  if (ids.length === 0) return []
  return readRetrievedProducts(db, merchantId, ids)
}

async function candidateIds(
  db: Db,
  merchantId: string,
  question: string,
  terms: string[],
  limit: number,
): Promise<string[]> {
  // Words only (productSearchTerms), so the shopper's text never reaches tsquery syntax.
  const anyWord = terms.join(' | ')
  const rows = await db
    .selectFrom('products as p')
    .select('p.id')
    .where('p.merchant_id', '=', merchantId)
    .where('p.status', '=', 'active')
    .where((eb) =>
      eb.or([
        sql<boolean>`p.search_vector @@ to_tsquery('simple', ${anyWord})`,
        // Whole words of the title like the term (strict word similarity ≥ 0.5): "hodie" finds "Hoodie",
        // "ship" does not find "Shirt".
        ...terms.map((term) => sql<boolean>`${term} <<% p.title`),
      ]),
    )
    // How much of the title the question holds (typos allowed), then how many of its words the product has.
    .orderBy(sql`word_similarity(p.title, ${question.toLowerCase()})`, 'desc')
    .orderBy(sql`ts_rank(p.search_vector, to_tsquery('simple', ${anyWord}))`, 'desc')
    .orderBy('p.title')
    .orderBy('p.id')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}

/** The context's products by our id or the store's (as carts carry them). */
async function contextIds(db: Db, merchantId: string, keys: string[]): Promise<string[]> {
  const uuids = keys.filter(isUuid)
  const rows = await db
    .selectFrom('products')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where((eb) =>
      eb.or([eb('external_id', 'in', keys), ...(uuids.length > 0 ? [eb('id', 'in', uuids)] : [])]),
    )
    .limit(keys.length)
    .execute()
  return rows.map((r) => r.id)
}

/** Products by id, in that order, as retrieval returns them (the simulator's world reads its catalogue so too). */
export async function readRetrievedProducts(
  db: Db,
  merchantId: string,
  ids: string[],
): Promise<RetrievedProduct[]> {
  const [products, variants] = await Promise.all([
    db
      .selectFrom('products')
      .select([
        'id',
        'external_id',
        'title',
        sql<string>`left(description, ${DESCRIPTION_EXCERPT_CHARS})`.as('description'),
        'price',
        'currency',
        'in_stock',
        'attributes',
        'image_url',
        'url',
        'option_names',
      ])
      .where('merchant_id', '=', merchantId)
      .where('id', '=', sql<string>`any(${ids}::uuid[])`)
      .execute(),
    db
      .selectFrom('product_variants')
      .select(['id', 'product_id', 'title', 'option1', 'option2', 'option3', 'price', 'inventory_quantity'])
      .where('merchant_id', '=', merchantId)
      .where('product_id', '=', sql<string>`any(${ids}::uuid[])`)
      .where('position', '<=', VARIANTS_PER_PRODUCT)
      .orderBy('product_id')
      .orderBy('position')
      .orderBy('id')
      .execute(),
  ])
  const variantsOf = new Map<string, CatalogueVariant[]>()
  for (const v of variants) {
    const list = variantsOf.get(v.product_id) ?? []
    list.push({
      id: v.id,
      title: v.title,
      options: [v.option1, v.option2, v.option3],
      price: String(v.price),
      inventory: v.inventory_quantity,
    })
    variantsOf.set(v.product_id, list)
  }
  const byId = new Map(products.map((p) => [p.id, p]))
  return ids.flatMap((id) => {
    const p = byId.get(id)
    if (!p) return []
    const optionNames = p.option_names
    return [
      {
        id: p.id,
        externalId: p.external_id,
        title: p.title,
        description: p.description,
        price: String(p.price),
        currency: p.currency,
        inStock: p.in_stock,
        attributes: p.attributes,
        imageUrl: p.image_url,
        url: p.url,
        optionNames,
        // Only as many values as the product has options (option2/3 are null beyond them).
        variants: (variantsOf.get(id) ?? []).map((v) => ({
          ...v,
          options: v.options.slice(0, Math.max(optionNames.length, 1)),
        })),
      },
    ]
  })
}
