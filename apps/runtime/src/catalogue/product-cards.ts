// Product cards from the catalogue, one rule for every card a message carries (cart reminders, product answers,
// recommendations, anything a flow's send or offer node shows): when the card names a product the catalogue
// knows, the shopper sees the catalogue's image, price, currency and link as they are when the message is
// queued; whatever the card rendered from the event is the fallback. StepBatch.send applies it to every send.
import type { Database } from '@parley/db'
import type { ProductCard } from '@parley/flow'
import { type Kysely, sql, type Transaction } from 'kysely'
import { isUuid } from '../channels/channel-lookup.ts'
import { productGid } from './shopify-products.ts'

type Db = Kysely<Database> | Transaction<Database>

/** What the catalogue holds for a card: the product, and the variant when the card named one. */
export interface CatalogueCardFacts {
  title: string
  imageUrl: string | null
  price: string
  currency: string
  url: string | null
  variant: { imageUrl: string | null; price: string } | null
}

/**
 * The card with the catalogue's values where it has them. Pure.
 * @example cardFromCatalogue({ title: 'Tee', price: 20 }, facts) → { title: 'Tee', price: 18, imageUrl: facts.imageUrl, ... }
 */
export function cardFromCatalogue(card: ProductCard, facts: CatalogueCardFacts | null): ProductCard {
  if (!facts) return card
  const merged: ProductCard = { ...card, title: card.title.trim() === '' ? facts.title : card.title }
  const imageUrl = facts.variant?.imageUrl ?? facts.imageUrl
  if (imageUrl) merged.imageUrl = imageUrl
  const price = Number(facts.variant?.price ?? facts.price)
  if (Number.isFinite(price)) {
    merged.price = price
    merged.currency = facts.currency
  }
  if (facts.url) merged.url = facts.url
  return merged
}

/**
 * Looks the card's product up by what stores call it: our product id, the store's product id (Shopify's numeric
 * id or its gid), the handle, or a variant (its Shopify id, gid or SKU), and returns the card from the catalogue.
 */
export async function catalogueCard(db: Db, merchantId: string, card: ProductCard): Promise<ProductCard> {
  const key = card.productId?.trim()
  if (!key) return card
  return cardFromCatalogue(card, await findCardFacts(db, merchantId, key))
}

async function findCardFacts(db: Db, merchantId: string, key: string): Promise<CatalogueCardFacts | null> {
  const numeric = /^\d+$/.test(key)
  const productKeys = numeric ? [key, productGid(key)] : [key]
  const product = await db
    .selectFrom('products')
    .select(['title', 'image_url', 'price', 'currency', 'url'])
    .where('merchant_id', '=', merchantId)
    .where((eb) =>
      eb.or([
        eb('external_id', 'in', productKeys),
        eb('handle', '=', key),
        ...(isUuid(key) ? [eb('id', '=', key)] : []),
      ]),
    )
    // An exact external id first, then a handle (a handle could look like another product's id).
    .orderBy(sql`external_id is not distinct from ${key}`, 'desc')
    .limit(1)
    .executeTakeFirst()
  if (product) return { ...facts(product), variant: null }
  const variantKeys = numeric ? [key, `gid://shopify/ProductVariant/${key}`] : [key]
  const variant = await db
    .selectFrom('product_variants as v')
    .innerJoin('products as p', (j) =>
      j.onRef('p.merchant_id', '=', 'v.merchant_id').onRef('p.id', '=', 'v.product_id'),
    )
    .select([
      'p.title',
      'p.image_url',
      'p.price',
      'p.currency',
      'p.url',
      'v.image_url as variant_image',
      'v.price as variant_price',
    ])
    .where('v.merchant_id', '=', merchantId)
    .where((eb) => eb.or([eb('v.external_id', 'in', variantKeys), eb('v.sku', '=', key)]))
    .limit(1)
    .executeTakeFirst()
  if (!variant) return null
  return {
    ...facts(variant),
    variant: { imageUrl: variant.variant_image, price: String(variant.variant_price) },
  }
}

function facts(row: {
  title: string
  image_url: string | null
  price: string | number
  currency: string
  url: string | null
}): Omit<CatalogueCardFacts, 'variant'> {
  return {
    title: row.title,
    imageUrl: row.image_url,
    price: String(row.price),
    currency: row.currency,
    url: row.url,
  }
}
