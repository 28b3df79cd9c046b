// One transcript message as DOM: text, image, product card and quick-reply buttons. Everything goes in as
// textContent or a checked URL, never as HTML, so a message cannot inject markup into the store's page.
import type { MessageBody, ProductCard, QuickReplyButton, WidgetMessage } from './types.ts'

export interface RenderOptions {
  /** Quick replies are live only on the latest bot message; older ones render disabled. */
  interactive: boolean
  onButton(button: QuickReplyButton): void
  /** Resolves relative links and images (the page's URL by default). */
  baseUrl?: string
}

/** http(s) links only; relative URLs resolve against the base. */
export function safeLinkUrl(url: string | undefined, baseUrl?: string): string | null {
  if (!url) return null
  try {
    const parsed = new URL(url, baseUrl ?? globalThis.location?.href)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.toString() : null
  } catch {
    return null
  }
}

/** Images may also be inline data:image URLs (the demo catalogue's pictures are SVG data URLs). */
export function safeImageUrl(url: string | undefined, baseUrl?: string): string | null {
  if (url && /^data:image\/(png|jpe?g|gif|webp|svg\+xml)[;,]/i.test(url)) return url
  return safeLinkUrl(url, baseUrl)
}

/** "$24.00" from a price and an ISO currency; the plain number when the currency is unknown. */
export function formatPrice(price: ProductCard['price'], currency?: string): string | null {
  if (price === undefined || price === null || price === '') return null
  const amount = Number(price)
  if (!Number.isFinite(amount)) return null
  try {
    if (currency) return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount)
  } catch {
    // An unknown currency code falls through to the bare amount.
  }
  return currency ? `${amount.toFixed(2)} ${currency}` : amount.toFixed(2)
}

export function renderMessage(message: WidgetMessage, options: RenderOptions): HTMLElement {
  const body: MessageBody = message.body ?? {}
  const outgoing = message.direction === 'in' // the shopper's own message
  const item = el('li', `message ${outgoing ? 'from-visitor' : 'from-store'}`)
  item.dataset.messageId = message.id
  if (!outgoing && message.author === 'staff') item.classList.add('from-staff')

  const bubble = el('div', 'bubble')
  if (body.imageUrl) {
    const src = safeImageUrl(body.imageUrl, options.baseUrl)
    if (src) {
      const img = el('img', 'message-image')
      img.src = src
      img.alt = body.product?.title ? `Picture of ${body.product.title}` : 'Picture'
      img.loading = 'lazy'
      bubble.append(img)
    }
  }
  if (body.text) {
    const text = el('p', 'message-text')
    text.append(...linkify(body.text, options.baseUrl))
    bubble.append(text)
  }
  // The flow often sends the product's picture as the image too: show it once, large.
  if (body.product)
    bubble.append(renderProduct(body.product, options.baseUrl, body.imageUrl !== body.product.imageUrl))
  item.append(bubble)

  if (!outgoing && body.buttons?.length) {
    const row = el('div', 'quick-replies')
    row.setAttribute('role', 'group')
    row.setAttribute('aria-label', 'Quick replies')
    for (const button of body.buttons.slice(0, 3)) {
      const b = el('button', 'quick-reply')
      b.type = 'button'
      b.textContent = button.title
      b.disabled = !options.interactive
      b.addEventListener('click', () => options.onButton(button))
      row.append(b)
    }
    item.append(row)
  }

  const time = el('time', 'message-time')
  time.dateTime = message.createdAt
  time.textContent = formatTime(message.createdAt)
  item.append(time)
  return item
}

function renderProduct(product: ProductCard, baseUrl: string | undefined, withImage: boolean): HTMLElement {
  const card = el('div', 'product-card')
  const image = withImage ? safeImageUrl(product.imageUrl, baseUrl) : null
  if (image) {
    const img = el('img', 'product-image')
    img.src = image
    img.alt = product.title
    img.loading = 'lazy'
    card.append(img)
  }
  const info = el('div', 'product-info')
  const title = el('p', 'product-title')
  title.textContent = product.title
  info.append(title)
  const price = formatPrice(product.price, product.currency)
  if (price) {
    const p = el('p', 'product-price')
    p.textContent = price
    info.append(p)
  }
  const link = safeLinkUrl(product.url, baseUrl)
  if (link) {
    const a = el('a', 'product-link')
    a.href = link
    a.target = '_top'
    a.textContent = 'View product'
    a.setAttribute('aria-label', `View ${product.title}`)
    info.append(a)
  }
  card.append(info)
  return card
}

/** Text with its http(s) URLs as links (text nodes and anchors only, no HTML parsing). */
export function linkify(text: string, baseUrl?: string): Node[] {
  const nodes: Node[] = []
  let last = 0
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g)) {
    const href = safeLinkUrl(match[0], baseUrl)
    if (!href) continue
    if (match.index > last) nodes.push(document.createTextNode(text.slice(last, match.index)))
    const a = el('a', 'message-link')
    a.href = href
    a.target = '_top'
    a.textContent = match[0]
    nodes.push(a)
    last = match.index + match[0].length
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)))
  return nodes
}

function formatTime(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  node.className = className
  return node
}
