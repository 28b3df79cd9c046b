// Money formatting for templates: amounts are in major units (49.9 means $49.90).
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'))
const formatters = new Map<string, Intl.NumberFormat>()

function formatter(locale: string, options: Intl.NumberFormatOptions, key: string): Intl.NumberFormat {
  let cached = formatters.get(key)
  if (!cached) {
    try {
      cached = new Intl.NumberFormat(locale, options)
    } catch {
      // A malformed locale from settings must not break a send.
      cached = new Intl.NumberFormat('en', options)
    }
    formatters.set(key, cached)
  }
  return cached
}

/**
 * Formats an amount in major units. An unknown currency code falls back to "49.90 XYZ".
 * @example formatMoney(49.9, 'USD') // '$49.90'
 */
export function formatMoney(amount: number, currency: string, locale = 'en'): string {
  if (!Number.isFinite(amount)) return ''
  const code = currency.trim().toUpperCase()
  if (KNOWN_CURRENCIES.has(code)) {
    return formatter(locale, { style: 'currency', currency: code }, `${locale}|${code}`).format(amount)
  }
  const number = formatter(
    locale,
    { minimumFractionDigits: 2, maximumFractionDigits: 2 },
    `${locale}|plain`,
  ).format(amount)
  return code ? `${number} ${code}` : number
}
