// What an import (CSV or Shopify sync) hands the catalogue writer: one product with its variants and images,
// already validated. The writer derives the product row's summary (price, stock, image, attributes) from it.

export interface VariantDraft {
  /** The SKU when there is one, else `options:` and the option values: what a re-import matches on. */
  key: string
  externalId: string | null
  sku: string | null
  title: string
  options: [string | null, string | null, string | null]
  /** Decimal string, two places at most. */
  price: string
  compareAtPrice: string | null
  /** Null: the store does not track stock (always available). */
  inventory: number | null
  imageUrl: string | null
  position: number
}

export type ImageDraft = {
  src: string
  position: number
  alt: string | null
}

export interface ProductDraft {
  handle: string
  externalId: string | null
  title: string
  description: string
  vendor: string
  productType: string
  tags: string[]
  status: 'active' | 'draft' | 'archived'
  /** Null keeps the URL the product already has. */
  url: string | null
  currency: string
  optionNames: string[]
  images: ImageDraft[]
  variants: VariantDraft[]
  /** Some of its rows were rejected: variants missing from this draft are kept, not deleted. */
  partial: boolean
}

/** The variant key rule, one place: SKU first, else the option values. */
export function variantKey(sku: string | null, options: readonly (string | null)[]): string {
  if (sku) return `sku:${sku}`
  return `options:${options.filter((o) => o !== null).join(' / ') || 'default'}`
}
