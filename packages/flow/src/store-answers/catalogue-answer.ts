// The answer to a product question from a catalogue: which product the shopper means (named in the question,
// else the one in their cart), then what they ask about — colour, size, fit, stock, or A vs B — by keyword and
// attribute matching. No model, no network. Pure, so the runtime (over the merchant's products table) and the
// editor's simulator (over the catalogue in its simulation world) answer with the same words.

import type { CatalogueProduct } from './catalogue-product.ts'

export type { CatalogueProduct } from './catalogue-product.ts'

export interface ProductAnswer {
  text: string
  productIds: string[]
}

const COLOURS = [
  'black',
  'white',
  'grey',
  'gray',
  'blue',
  'navy',
  'red',
  'green',
  'olive',
  'yellow',
  'orange',
  'pink',
  'purple',
  'brown',
  'beige',
  'cream',
  'tan',
  'khaki',
  'gold',
  'silver',
  'teal',
  'burgundy',
  'ivory',
]
const SIZES = ['xxs', 'xs', 's', 'm', 'l', 'xl', 'xxl', 'xxxl', 'small', 'medium', 'large']

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? []
}

function attributeList(product: CatalogueProduct, ...keys: string[]): string[] {
  for (const key of keys) {
    const value = product.attributes[key]
    if (Array.isArray(value)) return value.map((v) => String(v))
    if (typeof value === 'string' && value !== '') return value.split(/\s*,\s*/)
  }
  return []
}

function attributeText(product: CatalogueProduct, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = product.attributes[key]
    if (typeof value === 'string' && value !== '') return value
  }
  return null
}

/** How strongly the question names the product: share of its title's words that appear. */
function mentionScore(questionWords: Set<string>, product: CatalogueProduct): number {
  const title = words(product.title).filter((w) => w.length > 2)
  if (title.length === 0) return 0
  const hits = title.filter((w) => questionWords.has(w)).length
  return hits / title.length
}

function money(amount: string, currency: string): string {
  return `${Number(amount).toFixed(2)} ${currency}`
}

function colourAnswer(product: CatalogueProduct, asked: string[]): string {
  const colours = attributeList(product, 'colors', 'colours', 'color', 'colour')
  const lower = colours.map((c) => c.toLowerCase())
  if (asked.length > 0) {
    const yes = asked.filter((c) => lower.some((l) => l.includes(c)))
    if (yes.length > 0) return `Yes, the ${product.title} comes in ${yes.join(' and ')}.`
    const options = colours.length > 0 ? ` It comes in ${colours.join(', ')}.` : ''
    return `Sorry, the ${product.title} isn't available in ${asked.join(' or ')}.${options}`
  }
  return colours.length > 0
    ? `The ${product.title} comes in ${colours.join(', ')}.`
    : `I don't have colour details for the ${product.title}.`
}

function sizeAnswer(product: CatalogueProduct, asked: string[], aboutFit: boolean): string {
  const fit = attributeText(product, 'fit', 'sizing')
  const sizes = attributeList(product, 'sizes', 'size')
  const parts: string[] = []
  if (aboutFit)
    parts.push(fit ? `The ${product.title} ${fit.match(/^(runs|fits|is)\b/i) ? fit : `fits ${fit}`}.` : '')
  if (asked.length > 0) {
    const lower = sizes.map((s) => s.toLowerCase())
    const yes = asked.filter((s) => lower.includes(s))
    parts.push(
      yes.length > 0
        ? `Size ${yes.map((s) => s.toUpperCase()).join(' and ')} is available.`
        : `Size ${asked.map((s) => s.toUpperCase()).join(' or ')} isn't listed.`,
    )
  }
  if (sizes.length > 0 && (asked.length === 0 || !aboutFit)) parts.push(`Sizes: ${sizes.join(', ')}.`)
  if (!aboutFit && fit) parts.push(`Fit: ${fit}.`)
  const text = parts.filter((p) => p !== '').join(' ')
  return text || `I don't have sizing details for the ${product.title}.`
}

function stockAnswer(product: CatalogueProduct): string {
  return product.inStock
    ? `Yes, the ${product.title} is in stock (${money(product.price, product.currency)}).`
    : `Sorry, the ${product.title} is out of stock right now.`
}

function compareAnswer(a: CatalogueProduct, b: CatalogueProduct): string {
  const lines = [
    `${a.title} vs ${b.title}:`,
    `Price: ${money(a.price, a.currency)} vs ${money(b.price, b.currency)}.`,
  ]
  const keys = new Set([...Object.keys(a.attributes), ...Object.keys(b.attributes)])
  for (const key of keys) {
    const show = (p: CatalogueProduct) => {
      const v = p.attributes[key]
      return Array.isArray(v) ? v.join(', ') : v === undefined || v === null ? '—' : String(v)
    }
    lines.push(`${key[0]?.toUpperCase()}${key.slice(1)}: ${show(a)} vs ${show(b)}.`)
  }
  lines.push(
    `Stock: ${a.inStock ? 'in stock' : 'out of stock'} vs ${b.inStock ? 'in stock' : 'out of stock'}.`,
  )
  return lines.join('\n')
}

/**
 * Answers a question from a catalogue; `context` are products the run already knows about (the cart).
 * @example answerFromCatalogue('is this in blue?', products, [cartProductId]) // { text: 'Yes, the ... comes in blue.' }
 */
export function answerFromCatalogue(
  question: string,
  products: CatalogueProduct[],
  context: string[],
): ProductAnswer | null {
  const qWords = words(question)
  const qSet = new Set(qWords)
  const named = products
    .map((p) => ({ p, score: mentionScore(qSet, p) }))
    .filter((m) => m.score >= 0.5)
    .sort((x, y) => y.score - x.score)
    .map((m) => m.p)
  const fromContext = products.filter((p) => context.includes(p.id) || context.includes(p.externalId ?? ''))
  const wantsCompare = /\b(vs|versus|compare|comparison|difference|better)\b/.test(question.toLowerCase())
  if (wantsCompare || named.length >= 2) {
    const [a, b] = named.length >= 2 ? named : [...named, ...fromContext.filter((p) => !named.includes(p))]
    if (a && b) return { text: compareAnswer(a, b), productIds: [a.id, b.id] }
  }
  const product = named[0] ?? fromContext[0]
  if (!product) return null
  const colours = COLOURS.filter((c) => qSet.has(c))
  const sizes = SIZES.filter((s) => qSet.has(s) && s.length > 1).concat(
    qWords.filter((w) => /^\d{1,2}$/.test(w)),
  )
  const aboutFit = /\b(fit|fits|true to size|run|runs|small|large|big|tight|loose)\b/.test(
    question.toLowerCase(),
  )
  const aboutSize = aboutFit || sizes.length > 0 || qSet.has('size') || qSet.has('sizes')
  let text: string
  if (
    colours.length > 0 ||
    qSet.has('colour') ||
    qSet.has('color') ||
    qSet.has('colours') ||
    qSet.has('colors')
  ) {
    text = colourAnswer(product, colours)
  } else if (aboutSize) {
    text = sizeAnswer(
      product,
      sizes.filter((s) => !['small', 'large'].includes(s) || !aboutFit),
      aboutFit,
    )
  } else if (/\b(stock|available|availability|sold|left)\b/.test(question.toLowerCase())) {
    text = stockAnswer(product)
  } else {
    const summary = product.description.split(/(?<=[.!?])\s/)[0] ?? ''
    text = `${product.title}: ${money(product.price, product.currency)}${summary ? `. ${summary}` : '.'}`
  }
  return { text, productIds: [product.id] }
}
