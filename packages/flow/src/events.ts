// The events a flow run reacts to. Every event carries `at` (epoch ms from the host's clock), so
// time-of-day delays and recorded variables never read a wall clock inside the machine.
import type { ReplyIntent } from './intent/reply-intent.ts'

export interface InboundMedia {
  url: string
  mimeType: string
}

export interface MessageReceivedEvent {
  type: 'message.received'
  text: string
  /** Set when the shopper tapped a quick-reply button: the button's id. */
  buttonId?: string
  media?: InboundMedia[]
  /**
   * What the reply wants, when the host classified it (the runtime does once per reply, with the rules and, when the
   * merchant configured it and the rules could not tell, the LLM). Left out, `Wait for reply` asks the rules itself.
   */
  intent?: ReplyIntent
  at: number
}

export interface OrderEventPayload {
  id: string
  number: string
  total: number
  currency: string
  cartToken?: string
  /** How the shopper knows the order (#1004); see orderDisplayName. */
  name?: string
  status?: string
  trackingNumber?: string
  carrier?: string
  trackingUrl?: string
  items?: { title: string; quantity: number; price: number; imageUrl?: string; productId?: string }[]
}

export interface OrderCreatedEvent {
  type: 'order.created'
  order: OrderEventPayload
  at: number
}

export interface OrderShippedEvent {
  type: 'order.shipped'
  order: OrderEventPayload
  at: number
}

/** The carrier reports the parcel delivered. */
export interface OrderDeliveredEvent {
  type: 'order.delivered'
  order: OrderEventPayload
  at: number
}

/** The carrier reports a problem: a failed delivery attempt, a lost or returned parcel. */
export interface OrderDeliveryProblemEvent {
  type: 'order.delivery_problem'
  order: OrderEventPayload
  at: number
}

/** The answer to an effect that needs the outside world (HTTP request, order lookup, product answer). */
export interface EffectResultEvent {
  type: 'effect.result'
  nodeId: string
  ok: boolean
  data?: unknown
  at: number
}

export interface StaffHandbackEvent {
  type: 'staff.handback'
  note?: string
  at: number
}

/** Nobody on staff took the escalation within its queue's timeout: the bot has the chat again. */
export interface StaffUnclaimedEvent {
  type: 'staff.unclaimed'
  at: number
}

export interface ConversationResolvedEvent {
  type: 'conversation.resolved'
  at: number
}

export interface ContactOptedOutEvent {
  type: 'contact.opted_out'
  at: number
}

/** A timer the host stored and now fires; `type` is the id XState gave the delayed event. */
export interface TimerFiredEvent {
  type: `xstate.after.${string}`
  at: number
}

export type FlowEvent =
  | MessageReceivedEvent
  | OrderCreatedEvent
  | OrderShippedEvent
  | OrderDeliveredEvent
  | OrderDeliveryProblemEvent
  | EffectResultEvent
  | StaffHandbackEvent
  | StaffUnclaimedEvent
  | ConversationResolvedEvent
  | ContactOptedOutEvent
  | TimerFiredEvent

export type FlowEventType = FlowEvent['type']

/** Events without `at`: the stepper stamps them with the host's clock. */
export type FlowEventInput = FlowEvent extends infer E
  ? E extends { at: number }
    ? Omit<E, 'at'> & { at?: number }
    : never
  : never
