// What a question names: which products (by their titles) and which option values of a product ("M", "navy",
// "Heather Grey"). Typo-tolerant through MiniSearch's fuzzy term matching, built per question over the few
// candidates retrieval found (or the simulator's world) — never an index kept over a whole catalogue.
import MiniSearch from 'minisearch'
import type { CatalogueProduct } from './catalogue-product.ts'
import { questionWords } from './question-terms.ts'

/** Edits a question word may be away from a title word or option value: none for short words ("back" ≠ "black"). */
function fuzziness(term: string): number {
  if (term.length >= 8) return 2
  return term.length >= 5 ? 1 : 0
}

/** Title words that identify a product (as before: three letters or more). */
function titleWords(title: string): string[] {
  return [...new Set(questionWords(title).filter((w) => w.length > 2))]
}

export interface NamedProduct {
  product: CatalogueProduct
  /** Share of the title's words the question holds (0–1). */
  coverage: number
  /** How many of them. */
  matched: number
  /** The question's words that matched the title (they are not option values). */
  questionTerms: string[]
}

/**
 * Products the question names, best first: at least half of the title's words appear in it, typos allowed.
 * @example namedProducts('is the clasic hodie in M?', products)[0].product.title // 'Classic Hoodie'
 */
export function namedProducts(question: string, products: readonly CatalogueProduct[]): NamedProduct[] {
  const words = questionWords(question)
  if (words.length === 0 || products.length === 0) return []
  const index = new MiniSearch<{ id: number; title: string }>({
    fields: ['title'],
    tokenize: (text) => titleWords(text),
  })
  index.addAll(products.map((p, i) => ({ id: i, title: p.title })))
  const results = index.search(words.join(' '), {
    fuzzy: (term) => fuzziness(term),
    tokenize: (text) => text.split(' '),
  })
  const named: NamedProduct[] = []
  for (const result of results) {
    const product = products[result.id as number]
    if (!product) continue
    const title = titleWords(product.title)
    const hits = title.filter((w) => w in result.match).length
    const coverage = title.length === 0 ? 0 : hits / title.length
    if (coverage >= 0.5) named.push({ product, coverage, matched: hits, questionTerms: result.queryTerms })
  }
  return named.sort((a, b) => b.coverage - a.coverage || b.matched - a.matched)
}

/** One of a product's options and its values, in the store's order. */
export interface ProductOption {
  name: string
  values: string[]
}

/**
 * The product's options: from its variants when the catalogue has them, else from the colour and size lists
 * older catalogues keep in attributes.
 */
export function productOptions(product: CatalogueProduct): ProductOption[] {
  const variants = product.variants ?? []
  const names = product.optionNames ?? []
  if (variants.length > 0 && names.length > 0) {
    return names.map((name, i) => ({
      name,
      values: [...new Set(variants.flatMap((v) => (v.options[i] ? [v.options[i]] : [])))],
    }))
  }
  const list = (...keys: string[]) => {
    for (const key of keys) {
      const value = product.attributes[key]
      if (Array.isArray(value)) return value.map(String)
      if (typeof value === 'string' && value !== '') return value.split(/\s*,\s*/)
    }
    return []
  }
  return [
    { name: 'Colour', values: list('colors', 'colours', 'color', 'colour') },
    { name: 'Size', values: list('sizes', 'size') },
  ].filter((o) => o.values.length > 0)
}

/** An option value the question asks about: the option's index in `productOptions` and the value as stored. */
export interface AskedValue {
  option: number
  value: string
}

/**
 * The question's words that may be option values. One-letter words ("M", "S") count when written in capitals
 * or after "size"/"in" ("in m"), so "it's" does not ask for size S.
 */
export function valueWords(question: string, exclude: readonly string[] = []): string[] {
  const raw = question.match(/[\p{L}\p{N}]+/gu) ?? []
  return raw.flatMap((word, i) => {
    const lower = word.toLowerCase()
    if (exclude.includes(lower)) return []
    if (lower.length > 1) return [lower]
    const before = raw[i - 1]?.toLowerCase()
    const capital = word !== lower && word !== 'I' && word !== 'A'
    return capital || before === 'size' || before === 'in' || /\d/.test(word) ? [lower] : []
  })
}

/**
 * The product's option values the question names ("M", "navvy" → Navy, "heather grey"), each once.
 * Multi-word values count when every word is there.
 */
export function askedValues(words: readonly string[], options: readonly ProductOption[]): AskedValue[] {
  const docs = options.flatMap((option, o) => option.values.map((value) => ({ option: o, value })))
  if (docs.length === 0 || words.length === 0) return []
  const index = new MiniSearch<{ id: number; value: string }>({
    fields: ['value'],
    tokenize: (text) => questionWords(text),
  })
  index.addAll(docs.map((d, i) => ({ id: i, value: d.value })))
  const asked = new Set(words)
  const results = index.search(words.join(' '), {
    fuzzy: (term) => fuzziness(term),
    tokenize: (text) => text.split(' '),
  })
  const found: AskedValue[] = []
  for (const result of results) {
    const doc = docs[result.id as number]
    if (!doc) continue
    const parts = questionWords(doc.value)
    if (!parts.every((p) => p in result.match)) continue
    // A word of the question spelled exactly like another value of the same option means that value.
    const exactElsewhere = result.queryTerms.some(
      (term) =>
        !parts.includes(term) &&
        docs.some((d) => d.option === doc.option && d !== doc && questionWords(d.value).includes(term)),
    )
    if (!exactElsewhere || parts.some((p) => asked.has(p))) found.push(doc)
  }
  return found.sort((a, b) => a.option - b.option || docs.indexOf(a) - docs.indexOf(b))
}
