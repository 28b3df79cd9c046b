// What WhatsApp charges per delivered template message, by category, in the merchant's budget currency.
// Indicative list prices (Meta publishes them per market); a merchant-level override can come later.
import type { TemplateCategory } from '@parley/flow'

type PriceTable = Record<TemplateCategory, number>

export const TEMPLATE_PRICES: Record<string, PriceTable> = {
  USD: { marketing: 0.025, utility: 0.004, authentication: 0.0035 },
  EUR: { marketing: 0.0537, utility: 0.0176, authentication: 0.0248 },
  GBP: { marketing: 0.0464, utility: 0.0176, authentication: 0.0316 },
  INR: { marketing: 0.88, utility: 0.125, authentication: 0.125 },
  BRL: { marketing: 0.3125, utility: 0.04, authentication: 0.0315 },
}

/** The price of one template of `category` in `currency` (USD prices when the currency is not listed). */
export function templatePrice(
  category: TemplateCategory,
  currency: string,
): { amount: number; currency: string } {
  const table = TEMPLATE_PRICES[currency.toUpperCase()]
  if (table) return { amount: table[category], currency: currency.toUpperCase() }
  return { amount: TEMPLATE_PRICES.USD![category], currency: 'USD' }
}
