// Reading the cell values of a product CSV: prices, stock counts, yes/no. Each returns the value or a reason
// the row is rejected, in words a merchant can act on.

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string }

const PRICE = /^\d{1,12}(\.\d{1,2})?$/

/** "19.9" → "19.90"; empty → null when optional. Thousands separators and currency signs are refused, not guessed. */
export function parsePrice(raw: string, column: string, required: boolean): Parsed<string | null> {
  const text = raw.trim()
  if (text === '') return required ? { ok: false, reason: `${column} is empty` } : { ok: true, value: null }
  if (!PRICE.test(text))
    return { ok: false, reason: `${column} "${text}" is not a price (write it like 19.90)` }
  return { ok: true, value: Number(text).toFixed(2) }
}

/** Whole numbers, negative allowed (Shopify oversells); empty → null (stock not tracked). */
export function parseStock(raw: string, column: string): Parsed<number | null> {
  const text = raw.trim()
  if (text === '') return { ok: true, value: null }
  if (/^-?\d{1,9}$/.test(text)) return { ok: true, value: Number(text) }
  const word = text.toLowerCase()
  if (['yes', 'true', 'in stock', 'available'].includes(word)) return { ok: true, value: null }
  if (['no', 'false', 'out of stock', 'sold out'].includes(word)) return { ok: true, value: 0 }
  return { ok: false, reason: `${column} "${text}" is not a whole number` }
}

export function parseYesNo(raw: string): boolean | null {
  const text = raw.trim().toLowerCase()
  if (['true', 'yes', '1'].includes(text)) return true
  if (['false', 'no', '0'].includes(text)) return false
  return null
}

const CURRENCY = /^[A-Z]{3}$/

export function parseCurrency(raw: string, fallback: string): Parsed<string> {
  const text = raw.trim().toUpperCase()
  if (text === '') return { ok: true, value: fallback }
  if (!CURRENCY.test(text))
    return { ok: false, reason: `Currency "${raw.trim()}" is not a three-letter code like USD` }
  return { ok: true, value: text }
}

/** http(s) URLs only: they end up in messages shoppers tap. */
export function parseUrl(raw: string, column: string): Parsed<string | null> {
  const text = raw.trim()
  if (text === '') return { ok: true, value: null }
  try {
    const url = new URL(text)
    if (url.protocol === 'https:' || url.protocol === 'http:') return { ok: true, value: url.toString() }
  } catch {
    // falls through to the reason below
  }
  return { ok: false, reason: `${column} "${text.slice(0, 80)}" is not a web address` }
}
