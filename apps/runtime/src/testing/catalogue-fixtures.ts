// Product drafts with real variants for tests and benches: every combination of the given option values, with
// stock and price per combination, as an import would hand them to the catalogue writer.
import type { ProductDraft, VariantDraft } from '../catalogue/product-draft.ts'

export interface DraftSpec {
  title: string
  /** Option name → values, in order: { Colour: ['Navy', 'Sand'], Size: ['S', 'M', 'L'] }. */
  options?: Record<string, string[]>
  /** Units in stock of a combination (its values in option order); default 5. Null: not tracked. */
  stock?: (values: string[]) => number | null
  /** Price of a combination; default '59.00'. */
  price?: (values: string[]) => string
  description?: string
  productType?: string
  currency?: string
  status?: ProductDraft['status']
  /** The store's product id; default derived from the handle. */
  externalId?: string
}

export function handleOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

function combinations(lists: string[][]): string[][] {
  return lists.reduce<string[][]>((acc, list) => acc.flatMap((c) => list.map((v) => [...c, v])), [[]])
}

/** @example productDraft({ title: 'Classic Hoodie', options: { Colour: ['Navy', 'Sand'], Size: ['M'] } }) */
export function productDraft(spec: DraftSpec): ProductDraft {
  const handle = handleOf(spec.title)
  const names = Object.keys(spec.options ?? {})
  const combos = names.length > 0 ? combinations(names.map((n) => spec.options?.[n] ?? [])) : [[]]
  const variants: VariantDraft[] = combos.map((values, i) => ({
    key: `options:${values.join(' / ') || 'default'}`,
    externalId: null,
    sku: null,
    title: values.join(' / ') || 'Default',
    options: [values[0] ?? null, values[1] ?? null, values[2] ?? null],
    price: spec.price?.(values) ?? '59.00',
    compareAtPrice: null,
    inventory: spec.stock ? spec.stock(values) : 5,
    imageUrl: null,
    position: i + 1,
  }))
  return {
    handle,
    externalId: spec.externalId ?? `ext-${handle}`,
    title: spec.title,
    description: spec.description ?? `${spec.title}, made to last.`,
    vendor: 'Northwind',
    productType: spec.productType ?? 'Apparel',
    tags: [],
    status: spec.status ?? 'active',
    url: `https://shop.example/products/${handle}`,
    currency: spec.currency ?? 'USD',
    optionNames: names,
    images: [{ src: `https://cdn.example/${handle}.jpg`, position: 1, alt: null }],
    variants,
    partial: false,
  }
}
