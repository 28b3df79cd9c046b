// What a flow asks the host to do. The machine never performs I/O: each effect is a named XState action
// whose params are the fully resolved payload, and the host (runtime or simulator) interprets it.

export interface ProductCard {
  title: string
  imageUrl?: string
  price?: number
  currency?: string
  url?: string
  productId?: string
}

export interface QuickReplyButton {
  id: string
  title: string
}

/** A button that opens a page ("Return to cart"), shown instead of a raw link where the channel can. */
export interface LinkButton {
  title: string
  url: string
}

export interface OutboundMessage {
  text: string
  imageUrl?: string
  product?: ProductCard
  /** Two or more cards side by side (a carousel where the channel has one, else a list). */
  products?: ProductCard[]
  buttons?: QuickReplyButton[]
  link?: LinkButton
}

/** WhatsApp category of an approved template; it decides the per-message price. */
export type TemplateCategory = 'marketing' | 'utility' | 'authentication'

export interface TemplateRef {
  name: string
  language: string
  category: TemplateCategory
  /** Body parameters in order ({{1}}, {{2}}, ...), already rendered. */
  params: string[]
}

/**
 * Why a message is sent. Marketing sends are deferred by quiet hours and need consent;
 * transactional ones (order updates) are not deferred; service replies answer the shopper.
 */
export type SendPurpose = 'marketing' | 'transactional' | 'service'

export interface SendEffect {
  type: 'send'
  nodeId: string
  message: OutboundMessage
  purpose: SendPurpose
  /** Used outside WhatsApp's 24-hour window, where free-form messages are not allowed. */
  template?: TemplateRef
}

export interface EscalateEffect {
  type: 'escalate'
  nodeId: string
  queue: string
  /** A human-readable summary of what the bot collected, for the staff inbox. */
  summary: string
  fields: Record<string, string>
}

export interface HttpRequestEffect {
  type: 'http.request'
  nodeId: string
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  headers: Record<string, string>
  body?: string
  timeoutMs: number
}

export interface OrderLookupEffect {
  type: 'order.lookup'
  nodeId: string
  /** The order number the shopper gave; absent means "the contact's most recent order". */
  orderNumber?: string
}

export interface ProductAnswerEffect {
  type: 'product.answer'
  nodeId: string
  question: string
}

export interface IncentiveOfferedEffect {
  type: 'incentive.offered'
  nodeId: string
  code: string
  percentOff?: number
  amountOff?: number
}

export type Effect =
  | SendEffect
  | EscalateEffect
  | HttpRequestEffect
  | OrderLookupEffect
  | ProductAnswerEffect
  | IncentiveOfferedEffect

export type EffectType = Effect['type']

/** Effects whose answer comes back as an `effect.result` event addressed to the node. */
export const effectsAwaitingResult = [
  'http.request',
  'order.lookup',
  'product.answer',
] as const satisfies EffectType[]
