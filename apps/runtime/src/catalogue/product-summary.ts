// The products row's summary of its variants, one rule for CSV and Shopify: the lowest price (with that variant's
// compare-at), in stock when any variant is, the first image, option values as attributes (what product answers
// read: colours, sizes), and the text full-text search indexes.
import type { JsonObject } from '@parley/db'
import type { ProductDraft } from './product-draft.ts'

export interface ProductSummary {
  price: string
  compareAtPrice: string | null
  inStock: boolean
  imageUrl: string | null
  attributes: JsonObject
  searchText: string
}

/** Option names → the attribute keys product answers look up (effects/product-answer.ts). */
function attributeKey(optionName: string): string {
  const name = optionName.trim().toLowerCase()
  if (/colou?r/.test(name)) return 'colors'
  if (/size/.test(name)) return 'sizes'
  return name
}

export function summarise(product: ProductDraft): ProductSummary {
  const cheapest = [...product.variants].sort((a, b) => Number(a.price) - Number(b.price))[0]
  const images = [...product.images].sort((a, b) => a.position - b.position)
  const attributes: JsonObject = {}
  product.optionNames.forEach((name, i) => {
    const values = [
      ...new Set(product.variants.map((v) => v.options[i]).filter((v): v is string => v !== null)),
    ]
    attributes[attributeKey(name)] = values
  })
  const searchText = [
    product.title,
    product.handle.replace(/-/g, ' '),
    product.vendor,
    product.productType,
    ...product.tags,
    ...product.variants.flatMap((v) => [v.sku ?? '', ...v.options.map((o) => o ?? '')]),
  ]
    .filter((part) => part !== '')
    .join(' ')
  return {
    price: cheapest?.price ?? '0.00',
    compareAtPrice: cheapest?.compareAtPrice ?? null,
    inStock: product.variants.some((v) => v.inventory === null || v.inventory > 0),
    imageUrl: images[0]?.src ?? product.variants.find((v) => v.imageUrl)?.imageUrl ?? null,
    attributes,
    searchText: [...new Set(searchText.split(/\s+/))].join(' '),
  }
}
