// The answer to a product question from a catalogue: which product the shopper means (named in the question, typos
// allowed, else the one in their cart), then what they ask about — option values ("in M?", "in navy?"), colours,
// sizes and fit, stock, price, or A vs B — answered variant by variant from the catalogue's real option values,
// stock and prices. Confident answers only: no product, or two products named equally, is no answer (the flow
// hands off). No model, no network. Pure, so the runtime (over the candidates its retrieval reads) and the
// editor's simulator (over its world's catalogue) answer with the same words.
import type { ProductCard } from '../effects.ts'
import { type CatalogueProduct, variantAvailable } from './catalogue-product.ts'
import {
  type AskedValue,
  askedValues,
  namedProducts,
  type ProductOption,
  productOptions,
  valueWords,
} from './question-match.ts'
import { questionWords } from './question-terms.ts'
import { availabilityAnswer, listText, money, optionValuesText, priceText } from './variant-availability.ts'

export type { CatalogueProduct } from './catalogue-product.ts'

export interface ProductAnswer {
  text: string
  /** The products the answer is about, in order. */
  productIds: string[]
  /** Their cards (1–3): what the message shows under the answer. */
  cards: ProductCard[]
}

/** Colour and size words a shopper may ask for that a product may not have: "Sorry, it doesn't come in red." */
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
  'sand',
  'tan',
  'khaki',
  'gold',
  'silver',
  'teal',
  'burgundy',
  'ivory',
]
const SIZES = ['xxs', 'xs', 's', 'm', 'l', 'xl', 'xxl', 'xxxl', '2xl', '3xl']

const COLOUR_OPTION = /colou?r/i
const SIZE_OPTION = /size/i

function optionIndex(options: readonly ProductOption[], pattern: RegExp): number {
  return options.findIndex((o) => pattern.test(o.name))
}

function fitText(product: CatalogueProduct): string | null {
  for (const key of ['fit', 'sizing']) {
    const value = product.attributes[key]
    if (typeof value === 'string' && value !== '') return value
  }
  return null
}

/** The card of a product the answer is about, with what the catalogue knows (the runtime refreshes it at send). */
export function answerCard(product: CatalogueProduct): ProductCard {
  const card: ProductCard = { title: product.title, productId: product.id }
  if (product.imageUrl) card.imageUrl = product.imageUrl
  const price = Number(product.price)
  if (Number.isFinite(price)) {
    card.price = price
    card.currency = product.currency
  }
  if (product.url) card.url = product.url
  return card
}

function answer(text: string, products: readonly CatalogueProduct[]): ProductAnswer {
  const about = products.slice(0, 3)
  return { text, productIds: about.map((p) => p.id), cards: about.map(answerCard) }
}

/** Asked for values the product has no variants for: colours and sizes the question names that it lacks. */
function missingValues(
  words: readonly string[],
  options: readonly ProductOption[],
  found: readonly AskedValue[],
) {
  const have = new Set(options.flatMap((o) => o.values.map((v) => v.toLowerCase())))
  const foundWords = new Set(found.flatMap((f) => questionWords(f.value)))
  const colours = words.filter((w) => COLOURS.includes(w) && !have.has(w) && !foundWords.has(w))
  const sizes = words.filter((w) => SIZES.includes(w) && !have.has(w) && !foundWords.has(w))
  return { colours, sizes }
}

function colourAnswer(product: CatalogueProduct, options: readonly ProductOption[]): string {
  const o = optionIndex(options, COLOUR_OPTION)
  return o >= 0
    ? `The ${product.title} comes in ${optionValuesText(product, options, o)}.`
    : `I don't have colour details for the ${product.title}.`
}

function sizeAnswer(product: CatalogueProduct, options: readonly ProductOption[], aboutFit: boolean): string {
  const fit = fitText(product)
  const o = optionIndex(options, SIZE_OPTION)
  const parts: string[] = []
  if (aboutFit && fit)
    parts.push(`The ${product.title} ${/^(runs|fits|is)\b/i.test(fit) ? fit : `fits ${fit}`}.`)
  if (o >= 0) parts.push(`Sizes: ${optionValuesText(product, options, o)}.`)
  if (!aboutFit && fit) parts.push(`Fit: ${fit}.`)
  return parts.length > 0 ? parts.join(' ') : `I don't have sizing details for the ${product.title}.`
}

function stockAnswer(product: CatalogueProduct, options: readonly ProductOption[]): string {
  if (!product.inStock) return `Sorry, the ${product.title} is sold out right now.`
  const variants = product.variants ?? []
  const soldOut = variants.filter((v) => !variantAvailable(v))
  const base = `Yes, the ${product.title} is in stock (${priceText(product)}).`
  if (soldOut.length === 0 || options.length === 0) return base
  const names = soldOut.map((v) => v.title)
  const shown = names.length > 5 ? [...names.slice(0, 5), `${names.length - 5} more`] : names
  return `${base} Sold out: ${listText(shown)}.`
}

/** Values asked for on a product whose options live only in attributes (no variants): listed or not. */
function listedAnswer(product: CatalogueProduct, asked: readonly AskedValue[]): string {
  const values = listText(asked.map((a) => a.value))
  return product.inStock
    ? `Yes, the ${product.title} comes in ${values} (${money(product.price, product.currency)}).`
    : `The ${product.title} comes in ${values}, but it's sold out right now.`
}

function compareAnswer(a: CatalogueProduct, b: CatalogueProduct): string {
  const lines = [`${a.title} vs ${b.title}:`, `Price: ${priceText(a)} vs ${priceText(b)}.`]
  const optionsA = productOptions(a)
  const optionsB = productOptions(b)
  const names = [...new Set([...optionsA, ...optionsB].map((o) => o.name))]
  for (const name of names) {
    const show = (options: ProductOption[]) =>
      listText(options.find((o) => o.name === name)?.values ?? []) || '—'
    lines.push(`${name}: ${show(optionsA)} vs ${show(optionsB)}.`)
  }
  const keys = new Set([...Object.keys(a.attributes), ...Object.keys(b.attributes)])
  for (const key of keys) {
    if (/^(colou?rs?|sizes?)$/.test(key)) continue
    const show = (p: CatalogueProduct) => {
      const v = p.attributes[key]
      return Array.isArray(v) ? v.join(', ') : v === undefined || v === null ? '—' : String(v)
    }
    lines.push(`${key[0]?.toUpperCase()}${key.slice(1)}: ${show(a)} vs ${show(b)}.`)
  }
  const stock = (p: CatalogueProduct) => (p.inStock ? 'in stock' : 'sold out')
  lines.push(`Stock: ${stock(a)} vs ${stock(b)}.`)
  return lines.join('\n')
}

/**
 * Answers a question from a catalogue; `context` are products the run already knows about (the cart), by our id
 * or the store's. Null when it cannot answer with confidence.
 * @example answerFromCatalogue('Is the Classic Hoodie available in M?', products, []) // { text: 'Classic Hoodie: M is in stock in Navy, sold out in Sand (59.00 USD).', ... }
 */
export function answerFromCatalogue(
  question: string,
  products: readonly CatalogueProduct[],
  context: readonly string[],
): ProductAnswer | null {
  const lower = question.toLowerCase()
  const qSet = new Set(questionWords(question))
  const named = namedProducts(question, products)
  const fromContext = products.filter(
    (p) => context.includes(p.id) || (p.externalId !== null && context.includes(p.externalId)),
  )
  const wantsCompare = /\b(vs|versus|compare|comparison|difference|better)\b/.test(lower)
  if (wantsCompare) {
    const picked = [...named.map((n) => n.product), ...fromContext]
    const [a, b] = picked.filter((p, i) => picked.findIndex((q) => q.id === p.id) === i)
    if (a && b) return answer(compareAnswer(a, b), [a, b])
  }
  const [top, second] = named
  // Two products named as fully as each other ("the hoodie" with a Classic and a Zip Hoodie): ask a person.
  if (top && second && top.coverage === second.coverage && top.matched === second.matched) return null
  const product = top?.product ?? (fromContext.length === 1 ? fromContext[0] : undefined)
  if (!product) return null
  const options = productOptions(product)
  const words = valueWords(question, top?.product === product ? top.questionTerms : [])
  const asked = askedValues(words, options)
  const missing = missingValues(words, options, asked)
  const aboutColour = ['colour', 'color', 'colours', 'colors'].some((w) => qSet.has(w))
  const aboutFit = /\b(fit|fits|true to size|run|runs|tight|loose)\b/.test(lower)
  const aboutSize = aboutFit || qSet.has('size') || qSet.has('sizes')
  const aboutStock = /\b(stock|available|availability|sold|left|have)\b/.test(lower)
  const aboutPrice = /\b(price|cost|costs|much)\b/.test(lower)

  const missingAsked = [...missing.colours, ...missing.sizes.map((s) => s.toUpperCase())]
  if (missingAsked.length > 0 && asked.length === 0) {
    const o =
      missing.colours.length > 0 ? optionIndex(options, COLOUR_OPTION) : optionIndex(options, SIZE_OPTION)
    const offer = o >= 0 ? ` It comes in ${optionValuesText(product, options, o)}.` : ''
    return answer(`Sorry, the ${product.title} doesn't come in ${listText(missingAsked)}.${offer}`, [product])
  }
  let text: string
  if (asked.length > 0) {
    text =
      (product.variants ?? []).length > 0
        ? availabilityAnswer(product, options, asked).text
        : listedAnswer(product, asked)
    if (aboutFit && fitText(product)) text += ` Fit: ${fitText(product)}.`
  } else if (aboutColour) {
    text = colourAnswer(product, options)
  } else if (aboutSize) {
    text = sizeAnswer(product, options, aboutFit)
  } else if (aboutStock) {
    text = stockAnswer(product, options)
  } else if (aboutPrice) {
    text = `The ${product.title} is ${priceText(product)}.`
  } else {
    const summary = product.description.split(/(?<=[.!?])\s/)[0] ?? ''
    text = `${product.title}: ${priceText(product)}${summary ? `. ${summary}` : '.'}`
  }
  return answer(text, [product])
}
