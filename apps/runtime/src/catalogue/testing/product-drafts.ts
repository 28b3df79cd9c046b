// Test catalogues: a product with one default variant, as an import or a sync hands it to `writeProducts`.
import type { ProductDraft } from '../product-draft.ts'

export interface SingleVariantOptions {
  type?: string
  vendor?: string
  currency?: string
  price?: string
  /** Units in stock; null when the store does not track it. */
  inventory?: number | null
  image?: string
}

/** Product `n` (Shopify id `n`, handle from the title) with one variant; `more` overrides any field. */
export function singleVariantDraft(
  n: number,
  title: string,
  options: SingleVariantOptions = {},
  more: Partial<ProductDraft> = {},
): ProductDraft {
  return {
    handle: title.toLowerCase().replace(/\s+/g, '-'),
    externalId: `gid://shopify/Product/${n}`,
    title,
    description: '',
    vendor: options.vendor ?? '',
    productType: options.type ?? 'Apparel',
    tags: [],
    status: 'active',
    url: `https://shop.example/products/${n}`,
    currency: options.currency ?? 'USD',
    optionNames: [],
    images: [{ src: options.image ?? `https://cdn.example/${n}.jpg`, position: 1, alt: null }],
    variants: [
      {
        key: 'options:default',
        externalId: null,
        sku: null,
        title: 'Default',
        options: [null, null, null],
        price: options.price ?? '20.00',
        compareAtPrice: null,
        inventory: options.inventory === undefined ? null : options.inventory,
        imageUrl: null,
        position: 1,
      },
    ],
    partial: false,
    ...more,
  }
}
