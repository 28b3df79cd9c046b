// A product as product answers (and an LLM prompt built on them) read it: the facts a shopper may be told and
// nothing else. The runtime fills it from its products and product_variants rows (catalogue/product-retrieval.ts),
// the editor's simulator from its world's catalogue; the answer rule reads both the same way.

/** One sellable variant: its option values, price and stock. */
export interface CatalogueVariant {
  id: string
  /** "Navy / M", as the store names it. */
  title: string
  /** Values in the product's option order (`optionNames`); null where the product has fewer options. */
  options: (string | null)[]
  /** Decimal string, as the store sent it. */
  price: string
  /** Units in stock; null when the store does not track stock (always available). */
  inventory: number | null
}

export interface CatalogueProduct {
  id: string
  externalId: string | null
  title: string
  /** The description, or its first part when long (retrieval cuts it). */
  description: string
  /** The lowest variant price; decimal string as the store sent it. */
  price: string
  currency: string
  /** In stock when any variant is (or the store does not track stock). */
  inStock: boolean
  /** Colours, sizes, fit, material...: older catalogues and seeded rows carry their options only here. */
  attributes: Record<string, unknown>
  imageUrl?: string | null
  url?: string | null
  /** Option names in order (Colour, Size): variants' `options` are their values. */
  optionNames?: string[]
  variants?: CatalogueVariant[]
}

/** A variant can be bought now: stock is not tracked, or some is left. */
export function variantAvailable(variant: CatalogueVariant): boolean {
  return variant.inventory === null || variant.inventory > 0
}
