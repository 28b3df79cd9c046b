// Schemas and rendering shared by the kinds that talk to the shopper (send message, collect input,
// offer incentive, escalate): buttons, product cards and WhatsApp template fallbacks.
import { z } from 'zod'
import type { ChannelKind } from '../document.ts'
import type { OutboundMessage, ProductCard, SendEffect, TemplateRef } from '../effects.ts'
import { parsePath, resolvePath } from '../path.ts'
import type { FlowVars } from '../run-context.ts'
import { renderTemplate } from '../template.ts'
import type { FlowIssue } from './types.ts'

export const MAX_BUTTONS_WHATSAPP = 3
export const MAX_BUTTON_TITLE_WHATSAPP = 20
/** Telegram allows far more inline buttons, but a quick reply row stays readable up to this. */
export const MAX_BUTTONS = 10

export const buttonSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Use 1–64 letters, digits, "-" or "_"'),
  title: z.string().max(80),
})

export const productCardSchema = z.object({
  title: z.string().max(500),
  imageUrl: z.string().max(2000).default(''),
  /** A template rendering to a number, e.g. `{{cart.items[0].price}}`. */
  price: z.string().max(500).default(''),
  currency: z.string().max(500).default(''),
  url: z.string().max(2000).default(''),
  /**
   * Which product this is, e.g. `{{cart.items[0].productId}}` (the store's product id, a handle, a variant id or
   * a SKU): when the catalogue knows it, the runtime shows the catalogue's image, price and link instead.
   */
  productId: z.string().max(500).default(''),
})
export type ProductCardConfig = z.infer<typeof productCardSchema>

/** A button that opens a page, e.g. "Return to cart" → `{{cart.url}}`; left out when the link renders empty. */
export const linkButtonSchema = z.object({
  title: z.string().min(1, 'Give the button a title, e.g. "Return to cart"').max(40),
  url: z.string().max(2000),
})
export type LinkButtonConfig = z.infer<typeof linkButtonSchema>

/** The lists a message can show as cards, one card per entry. */
export const CARD_LISTS = ['cart.items', 'order.items', 'order.recommendations'] as const
export const MAX_CARDS = 10

export const cardListSchema = z.object({
  from: z.enum(CARD_LISTS),
  max: z.number().int().min(1).max(MAX_CARDS),
})
export type CardListConfig = z.infer<typeof cardListSchema>

export const templateFallbackSchema = z.object({
  name: z.string().min(1).max(512),
  language: z.string().min(2).max(15),
  category: z.enum(['marketing', 'utility', 'authentication']),
  /** Body parameters {{1}}, {{2}}... each a template over the run's variables. */
  params: z.array(z.string().max(1000)).max(20),
})
export type TemplateFallbackConfig = z.infer<typeof templateFallbackSchema>

export const sendPurposeSchema = z.enum(['marketing', 'transactional', 'service'])

function renderOptional(template: string, vars: FlowVars): string | undefined {
  const text = template === '' ? '' : renderTemplate(template, vars).trim()
  return text === '' ? undefined : text
}

export function renderProductCard(card: ProductCardConfig, vars: FlowVars): ProductCard {
  const rendered: ProductCard = { title: renderTemplate(card.title, vars) }
  const imageUrl = renderOptional(card.imageUrl, vars)
  if (imageUrl) rendered.imageUrl = imageUrl
  const price = Number(renderOptional(card.price, vars))
  if (renderOptional(card.price, vars) !== undefined && Number.isFinite(price)) rendered.price = price
  const currency = renderOptional(card.currency, vars)
  if (currency) rendered.currency = currency
  const url = renderOptional(card.url, vars)
  if (url) rendered.url = url
  const productId = renderOptional(card.productId ?? '', vars)
  if (productId) rendered.productId = productId
  return rendered
}

export function renderTemplateFallback(fallback: TemplateFallbackConfig, vars: FlowVars): TemplateRef {
  return {
    name: fallback.name,
    language: fallback.language,
    category: fallback.category,
    params: fallback.params.map((param) => renderTemplate(param, vars)),
  }
}

export interface MessageParts {
  text: string
  imageUrl?: string
  product?: ProductCardConfig | null
  /** Cards for the entries of a list (the cart's items, the suggested products). */
  cards?: CardListConfig | null
  buttons?: { id: string; title: string }[]
  link?: LinkButtonConfig | null
  whatsappTemplate?: TemplateFallbackConfig | null
}

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined

/**
 * One card per entry of the list (at most `max`), from the entry's title, picture, price, link and product code;
 * the currency is the entry's own, else its list holder's (cart.currency, order.currency).
 */
export function renderCardList(list: CardListConfig, vars: FlowVars): ProductCard[] {
  const segments = parsePath(list.from)
  const entries = resolvePath(vars, segments)
  if (!Array.isArray(entries)) return []
  const holder = resolvePath(vars, segments.slice(0, -1)) as Record<string, unknown> | undefined
  const cards: ProductCard[] = []
  for (const entry of entries) {
    if (cards.length >= list.max) break
    if (!entry || typeof entry !== 'object') continue
    const item = entry as Record<string, unknown>
    const title = nonEmpty(item.title)
    if (!title) continue
    const card: ProductCard = { title }
    const imageUrl = nonEmpty(item.imageUrl) ?? nonEmpty(item.image)
    if (imageUrl) card.imageUrl = imageUrl
    const price = typeof item.price === 'number' ? item.price : Number(nonEmpty(item.price) ?? Number.NaN)
    if (Number.isFinite(price)) {
      card.price = price
      const currency = nonEmpty(item.currency) ?? nonEmpty(holder?.currency)
      if (currency) card.currency = currency
    }
    const url = nonEmpty(item.url)
    if (url) card.url = url
    const productId = nonEmpty(item.productId)
    if (productId) card.productId = productId
    cards.push(card)
  }
  return cards
}

/** The send effect for a message, rendered against the run's variables at the moment it is sent. */
export function renderSend(
  nodeId: string,
  parts: MessageParts,
  purpose: SendEffect['purpose'],
  vars: FlowVars,
): SendEffect {
  // Trimmed: a variable that renders empty at the end ("… waiting. {{cart.proof}}") leaves no stray space.
  const message: OutboundMessage = { text: renderTemplate(parts.text, vars).trim() }
  const imageUrl = parts.imageUrl ? renderOptional(parts.imageUrl, vars) : undefined
  if (imageUrl) message.imageUrl = imageUrl
  if (parts.product) message.product = renderProductCard(parts.product, vars)
  if (parts.cards) {
    const cards = renderCardList(parts.cards, vars)
    // One entry is a single card (unless the message already shows one); two or more go side by side.
    if (cards.length === 1 && !message.product) message.product = cards[0]
    else if (cards.length > 1) message.products = cards
  }
  if (parts.buttons && parts.buttons.length > 0) message.buttons = parts.buttons.map((b) => ({ ...b }))
  if (parts.link) {
    const url = renderOptional(parts.link.url, vars)
    const title = renderTemplate(parts.link.title, vars).trim()
    if (url && title) message.link = { title, url }
  }
  const effect: SendEffect = { type: 'send', nodeId, message, purpose }
  if (parts.whatsappTemplate) effect.template = renderTemplateFallback(parts.whatsappTemplate, vars)
  return effect
}

/** Template strings of a message, for the unknown-variable check. */
export function messageTemplates(parts: MessageParts): string[] {
  const templates = [parts.text]
  if (parts.imageUrl) templates.push(parts.imageUrl)
  if (parts.product) {
    const { title, imageUrl, price, currency, url, productId } = parts.product
    templates.push(title, imageUrl, price, currency, url, productId ?? '')
  }
  if (parts.link) templates.push(parts.link.title, parts.link.url)
  if (parts.whatsappTemplate) templates.push(...parts.whatsappTemplate.params)
  return templates.filter((t) => t !== '')
}

interface ButtonCheckContext {
  nodeId: string
  nodeLabel: string
  channels: ChannelKind[]
}

/** Button rules per channel: WhatsApp allows 3 quick replies of at most 20 characters. */
export function checkButtons(buttons: { id: string; title: string }[], ctx: ButtonCheckContext): FlowIssue[] {
  const issues: FlowIssue[] = []
  const onWhatsApp = ctx.channels.includes('whatsapp')
  if (onWhatsApp && buttons.length > MAX_BUTTONS_WHATSAPP) {
    issues.push({
      severity: 'error',
      code: 'too_many_buttons',
      message: `'${ctx.nodeLabel}' has ${buttons.length} buttons; WhatsApp allows at most ${MAX_BUTTONS_WHATSAPP}`,
      nodeId: ctx.nodeId,
    })
  }
  if (onWhatsApp && buttons.some((b) => [...b.title].length > MAX_BUTTON_TITLE_WHATSAPP)) {
    issues.push({
      severity: 'error',
      code: 'button_title_too_long',
      message: `Button titles are limited to ${MAX_BUTTON_TITLE_WHATSAPP} characters on WhatsApp ('${ctx.nodeLabel}')`,
      nodeId: ctx.nodeId,
    })
  }
  if (buttons.some((b) => b.title.trim() === '')) {
    issues.push({
      severity: 'error',
      code: 'empty_button_title',
      message: `A button in '${ctx.nodeLabel}' has no title`,
      nodeId: ctx.nodeId,
    })
  }
  const ids = new Set<string>()
  for (const button of buttons) {
    if (ids.has(button.id)) {
      issues.push({
        severity: 'error',
        code: 'duplicate_button',
        message: `Two buttons in '${ctx.nodeLabel}' share the id "${button.id}"`,
        nodeId: ctx.nodeId,
      })
    }
    ids.add(button.id)
  }
  return issues
}

export function checkMessageText(text: string, ctx: ButtonCheckContext, what = 'message'): FlowIssue[] {
  if (text.trim() !== '') return []
  return [
    {
      severity: 'error',
      code: 'empty_message',
      message: `'${ctx.nodeLabel}' has an empty ${what}`,
      nodeId: ctx.nodeId,
    },
  ]
}
