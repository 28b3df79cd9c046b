// Shopify products → product drafts, for the catalogue writer the CSV import uses too (one writer, the same keys:
// handle, and SKU else option values per variant). Two shapes come in: the Admin GraphQL API's product nodes
// (the initial sync) and the REST-shaped JSON of products/create|update webhooks. Both are read into one
// neutral shape first, so a product synced and then updated by webhook ends up the same row either way.
// Pure: the sync job and the webhook route do the I/O.
import { type ImageDraft, type ProductDraft, type VariantDraft, variantKey } from './product-draft.ts'

/** One page of products with what a draft needs (API 2025-01). Variants beyond 100 mark the draft partial. */
export const PRODUCTS_QUERY = `query catalogueProducts($first: Int!, $after: String) {
  shop { currencyCode }
  productsCount { count }
  products(first: $first, after: $after, sortKey: ID) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id handle title descriptionHtml vendor productType tags status onlineStoreUrl
      options { name position }
      images(first: 20) { nodes { url altText } }
      variants(first: 100) {
        pageInfo { hasNextPage }
        nodes {
          id sku title price compareAtPrice inventoryQuantity position
          selectedOptions { name value }
          image { url }
          inventoryItem { tracked }
        }
      }
    }
  }
}`

type Obj = Record<string, unknown>
const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : ''
const orNull = (value: unknown): string | null => text(value) || null
const list = (value: unknown): Obj[] => (Array.isArray(value) ? value.filter(isObj) : [])
/** GraphQL connections: `{ nodes }` (or the older `{ edges: [{ node }] }`). */
const nodes = (value: unknown): Obj[] =>
  isObj(value)
    ? Array.isArray(value.nodes)
      ? list(value.nodes)
      : list(value.edges).flatMap((e) => (isObj(e.node) ? [e.node] : []))
    : []

/** `gid://shopify/Product/123`: the external id products are known by (GraphQL ids; webhooks carry them too). */
export function productGid(id: string): string {
  return id.startsWith('gid://') ? id : `gid://shopify/Product/${id}`
}

/** The neutral shape both sources are read into. */
interface ShopifyProductInput {
  id: string
  handle: string
  title: string
  descriptionHtml: string
  vendor: string
  productType: string
  tags: string[]
  status: string
  onlineStoreUrl: string | null
  optionNames: string[]
  images: { url: string; alt: string | null }[]
  variants: {
    id: string | null
    sku: string | null
    price: string
    compareAtPrice: string | null
    /** Null when the store does not track this variant's stock. */
    inventory: number | null
    position: number
    options: (string | null)[]
    imageUrl: string | null
  }[]
  /** The product has more variants than were read. */
  moreVariants: boolean
}

export type DraftResult =
  | { ok: true; draft: ProductDraft }
  | { ok: false; handle: string | null; reason: string }

/** A product node of PRODUCTS_QUERY. */
export function draftFromGraphql(node: unknown, currency: string): DraftResult {
  if (!isObj(node)) return { ok: false, handle: null, reason: 'The product is not an object' }
  const optionNames = list(node.options)
    .sort((a, b) => Number(a.position ?? 0) - Number(b.position ?? 0))
    .map((o) => text(o.name))
  const variants = nodes(node.variants).map((v, i) => {
    const selected = list(v.selectedOptions)
    const tracked = isObj(v.inventoryItem) ? v.inventoryItem.tracked !== false : true
    return {
      id: orNull(v.id),
      sku: orNull(v.sku),
      price: text(v.price),
      compareAtPrice: orNull(v.compareAtPrice),
      inventory: tracked && typeof v.inventoryQuantity === 'number' ? v.inventoryQuantity : null,
      position: typeof v.position === 'number' ? v.position : i + 1,
      options: optionNames.map((name) => orNull(selected.find((s) => text(s.name) === name)?.value)),
      imageUrl: isObj(v.image) ? orNull(v.image.url) : null,
    }
  })
  return toDraft(
    {
      id: text(node.id),
      handle: text(node.handle),
      title: text(node.title),
      descriptionHtml: text(node.descriptionHtml),
      vendor: text(node.vendor),
      productType: text(node.productType),
      tags: Array.isArray(node.tags) ? node.tags.map(text).filter((t) => t !== '') : [],
      status: text(node.status),
      onlineStoreUrl: orNull(node.onlineStoreUrl),
      optionNames,
      images: nodes(node.images).map((img) => ({ url: text(img.url), alt: orNull(img.altText) })),
      variants,
      moreVariants:
        isObj(node.variants) && isObj(node.variants.pageInfo) && node.variants.pageInfo.hasNextPage === true,
    },
    currency,
  )
}

/** The body of a products/create or products/update webhook (REST resource shape). */
export function draftFromWebhook(payload: unknown, currency: string): DraftResult {
  if (!isObj(payload)) return { ok: false, handle: null, reason: 'The product is not an object' }
  const optionNames = list(payload.options)
    .sort((a, b) => Number(a.position ?? 0) - Number(b.position ?? 0))
    .map((o) => text(o.name))
  const images = list(payload.images).sort((a, b) => Number(a.position ?? 0) - Number(b.position ?? 0))
  const imageById = new Map(images.map((img) => [text(img.id), text(img.src)]))
  const variants = list(payload.variants).map((v, i) => ({
    id: orNull(v.admin_graphql_api_id) ?? (text(v.id) ? `gid://shopify/ProductVariant/${text(v.id)}` : null),
    sku: orNull(v.sku),
    price: text(v.price),
    compareAtPrice: orNull(v.compare_at_price),
    // inventory_management null: Shopify does not track this variant's stock.
    inventory:
      v.inventory_management !== null && typeof v.inventory_quantity === 'number'
        ? v.inventory_quantity
        : null,
    position: typeof v.position === 'number' ? v.position : i + 1,
    options: [orNull(v.option1), orNull(v.option2), orNull(v.option3)].slice(0, optionNames.length),
    imageUrl: imageById.get(text(v.image_id)) || null,
  }))
  // The REST payload's tags are one comma-separated string.
  const tags = text(payload.tags)
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
  return toDraft(
    {
      id: orNull(payload.admin_graphql_api_id) ?? text(payload.id),
      handle: text(payload.handle),
      title: text(payload.title),
      descriptionHtml: text(payload.body_html),
      vendor: text(payload.vendor),
      productType: text(payload.product_type),
      tags,
      status: text(payload.status),
      // Webhooks do not carry the storefront URL: null keeps the one the sync stored.
      onlineStoreUrl: null,
      optionNames,
      images: images.map((img) => ({ url: text(img.src), alt: orNull(img.alt) })),
      variants,
      moreVariants: false,
    },
    currency,
  )
}

const PRICE = /^\d{1,12}(\.\d{1,2})?$/

function money(value: string | null): string | null {
  if (value === null || !PRICE.test(value.trim())) return null
  return Number(value).toFixed(2)
}

function toDraft(input: ShopifyProductInput, currency: string): DraftResult {
  const handle = input.handle.trim()
  if (handle === '') return { ok: false, handle: null, reason: `Product ${input.id || '?'} has no handle` }
  if (input.title.trim() === '') return { ok: false, handle, reason: 'The product has no title' }
  // Shopify's placeholder option for a product without options ("Title" / "Default Title").
  const isDefault =
    input.optionNames.length === 0 ||
    (input.optionNames.length === 1 &&
      input.optionNames[0] === 'Title' &&
      input.variants.every((v) => v.options[0] === 'Default Title'))
  const optionNames = isDefault ? [] : input.optionNames.slice(0, 3)
  let partial = input.moreVariants
  const seen = new Set<string>()
  const variants: VariantDraft[] = []
  for (const v of input.variants) {
    const price = money(v.price)
    if (price === null) {
      // A variant the catalogue cannot price is left out (and its row kept): the product is partial.
      partial = true
      continue
    }
    const options: VariantDraft['options'] = isDefault
      ? [null, null, null]
      : [v.options[0] ?? null, v.options[1] ?? null, v.options[2] ?? null]
    const key = variantKey(v.sku, options)
    if (seen.has(key)) {
      partial = true
      continue
    }
    seen.add(key)
    variants.push({
      key,
      externalId: v.id,
      sku: v.sku,
      title: isDefault ? 'Default' : options.filter((o) => o !== null).join(' / '),
      options,
      price,
      compareAtPrice: money(v.compareAtPrice),
      inventory: v.inventory,
      imageUrl: v.imageUrl,
      position: v.position,
    })
  }
  if (variants.length === 0) return { ok: false, handle, reason: 'The product has no variant with a price' }
  const images: ImageDraft[] = []
  for (const [i, img] of input.images.entries()) {
    if (/^https?:\/\//.test(img.url) && !images.some((x) => x.src === img.url)) {
      images.push({ src: img.url, position: i + 1, alt: img.alt })
    }
  }
  const status = input.status.toLowerCase()
  return {
    ok: true,
    draft: {
      handle,
      externalId: input.id ? productGid(input.id) : null,
      title: input.title.trim(),
      description: input.descriptionHtml,
      vendor: input.vendor,
      productType: input.productType,
      tags: input.tags,
      status: status === 'draft' || status === 'archived' ? status : 'active',
      url: input.onlineStoreUrl && /^https?:\/\//.test(input.onlineStoreUrl) ? input.onlineStoreUrl : null,
      currency,
      optionNames,
      images,
      variants,
      partial,
    },
  }
}
