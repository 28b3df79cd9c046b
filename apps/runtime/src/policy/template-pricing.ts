// What WhatsApp charges per delivered template message, by category, in the merchant's budget currency.
// Indicative list prices (Meta publishes them per market); the merchant's own prices (Settings) override them.
import type { TemplateCategory } from '@parley/flow'

type PriceTable = Record<TemplateCategory, number>

/** The date of the rate card the list prices below come from. */
export const TEMPLATE_RATE_CARD_DATE = '2025-07-01'

export const TEMPLATE_PRICES: Record<string, PriceTable> = {
  USD: { marketing: 0.025, utility: 0.004, authentication: 0.0035 },
  EUR: { marketing: 0.0537, utility: 0.0176, authentication: 0.0248 },
  GBP: { marketing: 0.0464, utility: 0.0176, authentication: 0.0316 },
  INR: { marketing: 0.88, utility: 0.125, authentication: 0.125 },
  BRL: { marketing: 0.3125, utility: 0.04, authentication: 0.0315 },
}

/** The list prices in `currency`, USD's when the currency is not listed. */
export function listPrices(currency: string): PriceTable {
  return TEMPLATE_PRICES[currency.toUpperCase()] ?? TEMPLATE_PRICES.USD!
}

/**
 * The price of one template of `category` in `currency`: the merchant's own price when set (it is in their
 * budget currency), else the list price (USD prices when the currency is not listed).
 */
export function templatePrice(
  category: TemplateCategory,
  currency: string,
  merchantPrices?: PriceTable | null,
): { amount: number; currency: string } {
  if (merchantPrices) return { amount: merchantPrices[category], currency: currency.toUpperCase() }
  const table = TEMPLATE_PRICES[currency.toUpperCase()]
  if (table) return { amount: table[category], currency: currency.toUpperCase() }
  return { amount: TEMPLATE_PRICES.USD![category], currency: 'USD' }
}
