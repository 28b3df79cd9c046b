// What the catalogue says about the option values a shopper asks for, variant by variant: "M is in stock in
// Navy, sold out in Sand", with prices where the variants' differ. Pure phrasing over the product's variants.
import { type CatalogueProduct, type CatalogueVariant, variantAvailable } from './catalogue-product.ts'
import type { AskedValue, ProductOption } from './question-match.ts'

export function money(amount: string, currency: string): string {
  return `${Number(amount).toFixed(2)} ${currency}`
}

/** "a", "a and b", "a, b and c". */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? ''
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

function valuesOf(variant: CatalogueVariant, options: readonly number[]): string {
  return options.map((o) => variant.options[o] ?? '').join(' / ')
}

/** The variants holding every asked value (any of the values asked for one option). */
function matchingVariants(variants: readonly CatalogueVariant[], asked: readonly AskedValue[]) {
  const byOption = new Map<number, Set<string>>()
  for (const a of asked) byOption.set(a.option, (byOption.get(a.option) ?? new Set()).add(a.value))
  return variants.filter((v) =>
    [...byOption].every(([option, values]) => values.has(v.options[option] ?? '')),
  )
}

/** "Navy (59.00 USD)" when the group's prices differ from the rest, else "Navy". */
function groupLabels(
  groups: Map<string, CatalogueVariant[]>,
  currency: string,
  showPrices: boolean,
): string[] {
  return [...groups].map(([label, variants]) => {
    if (!showPrices) return label
    const prices = [...new Set(variants.map((v) => Number(v.price).toFixed(2)))]
    return `${label} (${prices.map((p) => money(p, currency)).join(' / ')})`
  })
}

/**
 * The answer for asked option values on a product with variants.
 * @example availabilityAnswer(hoodie, options, [{ option: 1, value: 'M' }]) // 'Classic Hoodie: M is in stock in Navy, sold out in Sand (59.00 USD).'
 */
export function availabilityAnswer(
  product: CatalogueProduct,
  options: readonly ProductOption[],
  asked: readonly AskedValue[],
): { text: string; variants: CatalogueVariant[] } {
  const variants = product.variants ?? []
  const askedOptions = [...new Set(asked.map((a) => a.option))]
  const askedLabel = askedOptions
    .map((o) => listText(asked.filter((a) => a.option === o).map((a) => a.value)))
    .join(' / ')
  const matching = matchingVariants(variants, asked)
  if (matching.length === 0) {
    const first = askedOptions[0] ?? 0
    const alternatives = options[first]?.values.filter((v) =>
      variants.some((variant) => variant.options[first] === v && variantAvailable(variant)),
    )
    const also = alternatives?.length ? ` In stock: ${listText(alternatives)}.` : ''
    return { text: `Sorry, the ${product.title} doesn't come in ${askedLabel}.${also}`, variants: [] }
  }
  const rest = options.map((_, i) => i).filter((i) => !askedOptions.includes(i))
  const available = matching.filter(variantAvailable)
  const prices = new Set(available.map((v) => Number(v.price).toFixed(2)))
  const priceNote = prices.size === 1 ? ` (${money([...prices][0] ?? '0', product.currency)})` : ''
  if (rest.length === 0) {
    const label = askedLabel
    return available.length > 0
      ? { text: `Yes, the ${product.title} in ${label} is in stock${priceNote}.`, variants: available }
      : { text: `Sorry, the ${product.title} in ${label} is sold out right now.`, variants: [] }
  }
  const inStock = new Map<string, CatalogueVariant[]>()
  const soldOut: string[] = []
  const grouped = new Map<string, CatalogueVariant[]>()
  for (const v of matching) {
    const key = valuesOf(v, rest)
    grouped.set(key, [...(grouped.get(key) ?? []), v])
  }
  for (const [key, group] of grouped) {
    const left = group.filter(variantAvailable)
    if (left.length > 0) inStock.set(key, left)
    else soldOut.push(key)
  }
  if (inStock.size === 0) {
    return {
      text: `Sorry, the ${product.title} in ${askedLabel} is sold out right now (${listText(soldOut)}).`,
      variants: [],
    }
  }
  const labels = groupLabels(inStock, product.currency, prices.size > 1)
  const sold = soldOut.length > 0 ? `, sold out in ${listText(soldOut)}` : ''
  return {
    text: `${product.title}: ${askedLabel} is in stock in ${listText(labels)}${sold}${priceNote}.`,
    variants: available,
  }
}

/** Values of one option, the sold-out ones marked: "Navy, Sand (sold out)". */
export function optionValuesText(
  product: CatalogueProduct,
  options: readonly ProductOption[],
  o: number,
): string {
  const option = options[o]
  if (!option) return ''
  const variants = product.variants ?? []
  const labels = option.values.map((value) => {
    const of = variants.filter((v) => v.options[o] === value)
    return of.length > 0 && !of.some(variantAvailable) ? `${value} (sold out)` : value
  })
  return listText(labels)
}

/** "59.00 USD", or "59.00–64.00 USD" when variants differ. */
export function priceText(product: CatalogueProduct): string {
  const prices = (product.variants ?? []).map((v) => Number(v.price)).filter(Number.isFinite)
  if (prices.length === 0) return money(product.price, product.currency)
  const low = Math.min(...prices)
  const high = Math.max(...prices)
  return low === high
    ? money(String(low), product.currency)
    : `${low.toFixed(2)}–${high.toFixed(2)} ${product.currency}`
}
