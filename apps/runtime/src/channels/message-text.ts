// Plain-text renderings shared by adapters whose providers have no product-card message: the card becomes
// a title/price/link line under the text; long strings are cut to the provider's limits.
import type { OutboundMessage, ProductCard } from '@parley/flow'

/** Cuts to at most `max` characters (code points), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`
}

export function formatPrice(price: number, currency: string | undefined): string {
  if (!currency) return price.toFixed(2)
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(price)
  } catch {
    return `${price.toFixed(2)} ${currency}`
  }
}

export function productLines(product: ProductCard): string {
  const price = product.price === undefined ? '' : ` — ${formatPrice(product.price, product.currency)}`
  return `${product.title}${price}${product.url ? `\n${product.url}` : ''}`
}

/** How a provider shows the message's link button: as a real button, or (without one) as a line of text. */
export interface TextOptions {
  linkAsButton: boolean
}

/**
 * The message's text with its product card(s) (if any) appended, and its link as "Return to cart: https://…"
 * when the provider cannot show it as a button.
 */
export function messageText(
  message: OutboundMessage,
  options: TextOptions = { linkAsButton: false },
): string {
  const cards = [...(message.product ? [message.product] : []), ...(message.products ?? [])]
  const link = message.link && !options.linkAsButton ? `${message.link.title}: ${message.link.url}` : ''
  return [message.text, ...cards.map(productLines), link].filter((part) => part.trim() !== '').join('\n\n')
}

/** The image to show: the message's own, else the (first) product's. */
export function messageImage(message: OutboundMessage): string | undefined {
  return message.imageUrl ?? message.product?.imageUrl ?? message.products?.[0]?.imageUrl
}
