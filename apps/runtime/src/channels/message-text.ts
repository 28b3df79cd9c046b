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

/** The message's text with its product card (if any) appended. */
export function messageText(message: OutboundMessage): string {
  if (!message.product) return message.text
  return [message.text, productLines(message.product)].filter((part) => part.trim() !== '').join('\n\n')
}

/** The image to show: the message's own, else the product's. */
export function messageImage(message: OutboundMessage): string | undefined {
  return message.imageUrl ?? message.product?.imageUrl
}
