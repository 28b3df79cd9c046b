// The check of an AI answer against its facts, after it arrives and before a shopper sees it: every price it
// states must be a price in the facts, and every stock claim must be true of a product it names (or of some
// retrieved product when it names none). One failed claim and the catalogue answer is used instead. The rule
// is deliberately strict: a wrong "in stock" or price costs the merchant more than a plainer answer.
import type { AnswerFacts, ProductFact } from './answer-facts.ts'

export type GroundingVerdict = { grounded: true } | { grounded: false; claim: string }

const CURRENCY_SYMBOLS = '[$€£₹]|R\\$|US\\$'
const CURRENCY_WORDS = 'usd|eur|gbp|inr|brl|dollars?|euros?|pounds?|rupees?|reais|real'
/** `$49`, `€ 49.90`, `49.00 USD`, `49 dollars`, and a bare `49.90` (two decimals reads as money). */
const PRICE = new RegExp(
  `(?:(?:${CURRENCY_SYMBOLS})\\s?(\\d{1,3}(?:[,.\\s]\\d{3})*(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?))` +
    `|(?:(\\d+(?:[.,]\\d{1,2})?)\\s?(?:${CURRENCY_WORDS})\\b)` +
    '|(?:\\b(\\d+[.,]\\d{2})\\b)',
  'gi',
)
const IN_STOCK = /\b(in stock|available|can order|ready to ship|have (?:it|them|some|one) (?:in|left))\b/i
const NOT_IN_STOCK =
  /\b(out of stock|sold out|unavailable|not available|no longer available|none left|back in stock)\b/i
/** A count of units is never in the facts (retrieval gives in stock or not), so any is unverifiable. */
const STOCK_COUNT =
  /\b(?:only|just|last)\s+\d+\s+(?:left|remaining|in stock)\b|\b\d+\s+(?:left|remaining|in stock|units?)\b/i

export function checkGrounding(answer: string, facts: AnswerFacts): GroundingVerdict {
  const prices = factPrices(facts)
  for (const match of answer.matchAll(PRICE)) {
    const amount = parseAmount(match[1] ?? match[2] ?? match[3] ?? '')
    if (amount === null) continue
    if (![...prices].some((p) => Math.abs(p - amount) < 0.005))
      return { grounded: false, claim: match[0].trim() }
  }
  for (const sentence of sentences(answer)) {
    const count = sentence.match(STOCK_COUNT)
    if (count) return { grounded: false, claim: count[0] }
    const negative = NOT_IN_STOCK.test(sentence)
    const positive = !negative && IN_STOCK.test(sentence)
    if (!negative && !positive) continue
    const named = facts.products.filter((p) => mentions(sentence, p))
    const about = named.length > 0 ? named : facts.products
    const holds = positive ? about.some(hasStock) : about.some(lacksStock)
    if (!holds) return { grounded: false, claim: sentence.trim() }
  }
  return { grounded: true }
}

function factPrices(facts: AnswerFacts): Set<number> {
  const prices = new Set<number>()
  for (const p of facts.products) {
    for (const text of [p.price, p.compareAtPrice, ...p.variants.map((v) => v.price)]) {
      const n = text === undefined ? Number.NaN : Number(text)
      if (Number.isFinite(n)) prices.add(n)
    }
  }
  return prices
}

/** "1,299.00" and "1.299,00" and "49,90" as numbers; a lone separator followed by 3 digits is thousands. */
function parseAmount(text: string): number | null {
  const compact = text.replace(/\s/g, '')
  if (compact === '') return null
  const decimal = compact.match(/[.,](\d{1,2})$/)
  const whole = (decimal ? compact.slice(0, -decimal[0].length) : compact).replace(/[.,]/g, '')
  const n = Number(`${whole}${decimal ? `.${decimal[1]}` : ''}`)
  return Number.isFinite(n) ? n : null
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+|\n+/).filter((s) => s.trim() !== '')
}

/** The sentence names the product: every significant word of its title appears (e.g. "Classic Hoodie"). */
function mentions(sentence: string, product: ProductFact): boolean {
  const lower = sentence.toLowerCase()
  const words = product.title
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 2)
  return words.length > 0 && words.every((w) => lower.includes(w))
}

const hasStock = (p: ProductFact) => p.inStock || p.variants.some((v) => v.inStock)
const lacksStock = (p: ProductFact) => !p.inStock || p.variants.some((v) => !v.inStock)
