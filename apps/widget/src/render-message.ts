// One transcript message as DOM: text, image, product card, a link button, photos the shopper sent, quick-reply
// buttons, and who wrote it (a staff member's name and avatar). A handoff notice ("Sam … joined the chat")
// renders as a centred line about the chat. Everything goes in as textContent or a checked URL, never as HTML,
// so a message cannot inject markup into the store's page.
import type {
  LinkButton,
  MessageBody,
  ProductCard,
  QuickReplyButton,
  StaffIdentity,
  WidgetMessage,
} from './types.ts'

export interface RenderOptions {
  /** Quick replies are live only on the latest bot message; older ones render disabled. */
  interactive: boolean
  onButton(button: QuickReplyButton): void
  /** Resolves relative links and images (the page's URL by default). */
  baseUrl?: string
  /** A web-chat photo's bytes come with the visitor token: the widget loads them and fills the image in. */
  loadPhoto?(photoId: string, img: HTMLImageElement): void
}

const PHOTO_REF = 'webchat-photo:'

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
  if (body.notice) return renderNotice(message)
  const outgoing = message.direction === 'in' // the shopper's own message
  const item = el('li', `message ${outgoing ? 'from-visitor' : 'from-store'}`)
  item.dataset.messageId = message.id
  if (!outgoing && message.author === 'staff') {
    item.classList.add('from-staff')
    if (message.staff) item.append(renderAuthor(message.staff))
  }

  const bubble = el('div', 'bubble')
  for (const media of body.media ?? []) {
    if (!media.url.startsWith(PHOTO_REF) || !options.loadPhoto) continue
    const img = el('img', 'message-image message-photo')
    img.alt = 'Photo you sent'
    options.loadPhoto(media.url.slice(PHOTO_REF.length), img)
    bubble.append(img)
  }
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
  // A message ending in its only URL ("…your cart: https://…/cart") reads better as a button than a raw URL.
  const trailing = !outgoing && !body.link ? trailingLink(body.text ?? '', options.baseUrl) : null
  const text = trailing ? trailing.text : body.text
  if (text) {
    const p = el('p', 'message-text')
    p.append(...linkify(text, options.baseUrl))
    bubble.append(p)
  }
  // The flow often sends the product's picture as the image too: show it once, large.
  if (body.product)
    bubble.append(renderProduct(body.product, options.baseUrl, body.imageUrl !== body.product.imageUrl))
  // Several products (every item in the cart): side by side, scrolled sideways on a phone.
  if (body.products?.length) {
    const row = el('div', 'product-carousel')
    row.setAttribute('role', 'list')
    row.setAttribute('aria-label', `${body.products.length} products`)
    for (const product of body.products) {
      const card = renderProduct(product, options.baseUrl, true)
      card.setAttribute('role', 'listitem')
      row.append(card)
    }
    bubble.append(row)
  }
  const link = body.link ?? trailing?.link
  const linkButton = link ? renderLinkButton(link, options.baseUrl) : null
  if (linkButton) bubble.append(linkButton)
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

function renderNotice(message: WidgetMessage): HTMLElement {
  const item = el('li', 'notice')
  item.dataset.messageId = message.id
  if (message.staff) item.append(renderAvatar(message.staff))
  const text = el('span', 'notice-text')
  text.textContent = message.body.text ?? ''
  item.append(text)
  return item
}

function renderAuthor(staff: StaffIdentity): HTMLElement {
  const author = el('div', 'author')
  const name = el('span', 'author-name')
  name.textContent = staff.name
  author.append(renderAvatar(staff), name)
  return author
}

/** The staff member's picture, or their initials when there is none (or it fails to load). */
export function renderAvatar(staff: StaffIdentity): HTMLElement {
  const initials = el('span', 'staff-avatar')
  initials.textContent = initialsOf(staff.name)
  initials.setAttribute('aria-hidden', 'true')
  const src = safeImageUrl(staff.avatarUrl ?? undefined)
  if (!src) return initials
  const img = el('img', 'staff-avatar')
  img.src = src
  img.alt = ''
  img.addEventListener('error', () => img.replaceWith(initials))
  return img
}

/** "Sam Rivera" → "SR", "sam" → "S". */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  const letters = words.length > 1 ? [words[0], words.at(-1)] : words
  return letters.map((w) => [...(w ?? '')][0]?.toUpperCase() ?? '').join('') || '?'
}

function renderLinkButton(link: LinkButton, baseUrl: string | undefined): HTMLElement | null {
  const href = safeLinkUrl(link.url, baseUrl)
  if (!href) return null
  const a = el('a', 'link-button')
  a.href = href
  a.target = '_top'
  a.textContent = link.title
  return a
}

/**
 * The text without its last URL, and that URL as a button, when the URL is the only one and ends the message;
 * null otherwise (a URL mid-sentence stays an inline link).
 */
export function trailingLink(text: string, baseUrl?: string): { text: string; link: LinkButton } | null {
  const urls = [...text.matchAll(URL_PATTERN)]
  if (urls.length !== 1) return null
  const match = urls[0]!
  const end = match.index + match[0].length
  if (!/^[\s.!]*$/.test(text.slice(end))) return null
  const href = safeLinkUrl(match[0], baseUrl)
  if (!href) return null
  const rest = text.slice(0, match.index).replace(/[\s:]+$/, '')
  return { text: rest, link: { title: linkTitle(href), url: href } }
}

/** What a store link is for, from its path: the shopper's cart, checkout, order or a product. */
export function linkTitle(href: string): string {
  const url = new URL(href)
  const path = url.pathname.toLowerCase()
  if (/\/(cart|checkouts?)(\/|$)/.test(path))
    return path.includes('checkout') ? 'Go to checkout' : 'Return to cart'
  if (/\/(orders?|account\/orders)(\/|$)/.test(path)) return 'View your order'
  if (/\/products?\//.test(path)) return 'View product'
  if (/\/r\/[^/]+$/.test(path)) return 'Open link'
  return `Open ${url.hostname.replace(/^www\./, '')}`
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

const URL_PATTERN = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g

/** Text with its http(s) URLs as links (text nodes and anchors only, no HTML parsing). */
export function linkify(text: string, baseUrl?: string): Node[] {
  const nodes: Node[] = []
  let last = 0
  for (const match of text.matchAll(URL_PATTERN)) {
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
