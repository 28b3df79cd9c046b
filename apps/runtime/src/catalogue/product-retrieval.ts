// Retrieval for product questions: the few products of one merchant a question can be about, with their variants
// (option values, price, stock), read from the database per question — never the whole catalogue, so a 50,000-
// variant store answers as fast as a small one (bench/product-answer.bench.ts). A question names a product by its
// title, so candidates come from two title indexes: its words (exact) and its trigrams (typos: "hodie" finds
// "Hoodie"); ranked by how much of the title the question contains. The answer rule in packages/flow
// (`answerFromCatalogue`) then decides, over these candidates only, which one is meant and what is asked.
import type { Database } from '@parley/db'
import {
  type CatalogueProduct,
  type CatalogueVariant,
  namedProducts,
  productSearchTerms,
  questionWords,
} from '@parley/flow'
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

/** "at least k of these words" as a tsquery: (a & b) | (a & c) | (b & c). Words only, never tsquery syntax. */
export function atLeastQuery(terms: readonly string[], k: number): string {
  const combos: string[][] = []
  const pick = (from: number, chosen: string[]) => {
    if (chosen.length === k) {
      combos.push(chosen)
      return
    }
    for (let i = from; i < terms.length; i++) pick(i + 1, [...chosen, terms[i] as string])
  }
  pick(0, [])
  return combos.map((c) => (c.length === 1 ? c[0] : `(${c.join(' & ')})`)).join(' | ')
}

/** Questions name a product with a few words; more terms than this are not combined (the first ones count). */
const MAX_COMBINED_TERMS = 5

/**
 * Candidates from index probes, cheapest first. Exact title words (the title vector's GIN index): products with
 * all the question's words in their title, else all but one, and so on — each probe touches only titles holding
 * that many, so a named product costs one or two probes, not a read of every title sharing "Hoodie". Then, only
 * for words no candidate title has (a typo, or a word naming nothing) and unless a title is already named in
 * full, titles with a whole word like it (the trigram index, strict word similarity ≥ 0.5: "hodie" finds
 * "Hoodie", "ship" not "Shirt"). One OR of all of it made the planner read every product (240 ms at 2,000).
 */
async function candidateIds(
  db: Db,
  merchantId: string,
  question: string,
  allTerms: string[],
  limit: number,
): Promise<string[]> {
  const terms = allTerms.slice(0, MAX_COMBINED_TERMS)
  const titled = (tsquery: string) =>
    db
      .selectFrom('products as p')
      .select(['p.id', 'p.title'])
      .where('p.merchant_id', '=', merchantId)
      .where('p.status', '=', 'active')
      .where(sql<boolean>`p.title_vector @@ to_tsquery('simple', ${tsquery})`)
      // Most of the title named (rank over the title's length), then alphabetically for a stable order.
      .orderBy(sql`ts_rank(p.title_vector, to_tsquery('simple', ${tsquery}), 2)`, 'desc')
      .orderBy('p.title')
      .orderBy('p.id')
      .limit(limit)
      .execute()
  let exact: { id: string; title: string }[] = []
  for (let k = terms.length; k >= 1 && exact.length === 0; k--) exact = await titled(atLeastQuery(terms, k))
  const namedInFull = namedProducts(question, stubs(exact)).some((n) => n.coverage === 1)
  const known = new Set(exact.flatMap((r) => questionWords(r.title)))
  const unknown = namedInFull ? [] : allTerms.filter((term) => !known.has(term)).slice(0, 3)
  const fuzzy = await Promise.all(
    unknown.map((term) =>
      db
        .selectFrom('products as p')
        .select(['p.id', 'p.title'])
        .where('p.merchant_id', '=', merchantId)
        .where('p.status', '=', 'active')
        .where(sql<boolean>`${term} <<% p.title`)
        .orderBy(sql`strict_word_similarity(${term}, p.title)`, 'desc')
        .orderBy('p.title')
        .orderBy('p.id')
        .limit(limit)
        .execute(),
    ),
  )
  if (fuzzy.flat().length === 0) return exact.map((r) => r.id)
  const rows = [...exact, ...fuzzy.flat()].filter(
    (row, i, all) => all.findIndex((r) => r.id === row.id) === i,
  )
  return rankByTitle(question, rows).slice(0, limit)
}

/** Just enough of a product for the answer rule to say whether the question names its title. */
function stubs(rows: readonly { id: string; title: string }[]): CatalogueProduct[] {
  return rows.map((r) => ({
    id: r.id,
    externalId: null,
    title: r.title,
    description: '',
    price: '0',
    currency: '',
    inStock: true,
    attributes: {},
  }))
}

/** Rows ordered by the answer rule's measure of how much of each title the question names; unnamed ones last. */
function rankByTitle(question: string, rows: { id: string; title: string }[]): string[] {
  const named = namedProducts(question, stubs(rows)).map((n) => n.product.id)
  return [...named, ...rows.map((r) => r.id).filter((id) => !named.includes(id))]
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
