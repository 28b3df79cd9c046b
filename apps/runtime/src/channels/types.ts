// The channel-adapter contract. An adapter turns provider webhooks into channel-neutral inbound messages
// (handed to the engine) and outbox payloads into provider calls (made by the outbox relay after commit).
import type { Channel } from '@parley/db'
import type { OutboundMessage, ReplyIntent, TemplateRef } from '@parley/flow'

/** What an outbox row carries for the adapter: the message, or the template used outside the WhatsApp window. */
export interface OutboundPayload {
  /** The shopper's id on the channel: wa_id, Telegram chat id, web-chat visitor id. */
  to: string
  message: OutboundMessage
  /** Set when the send goes out as an approved WhatsApp template (outside the 24-hour window). */
  template?: TemplateRef
  /** The transcript row this send belongs to. */
  messageId: string
}

/**
 * How a provider call ended. Only `retry` is retried: it proves nothing was sent (connection refused,
 * 429 with retry-after, 5xx with an error body). A timeout after the request was written is `unknown`.
 */
export type SendResult =
  | { status: 'sent'; providerMessageId: string }
  | { status: 'retry'; error: string; retryAfterMs?: number }
  | { status: 'failed'; error: string; consequence?: SendConsequence }
  | { status: 'unknown'; error: string }

/**
 * What a refused send tells about the shopper, acted on by the relay (delivery/send-consequences.ts):
 * `outside_window`: WhatsApp's 24-hour window is closed (131047): the step's template, else skipped;
 * `marketing_stopped`: they stopped marketing messages (WhatsApp 131050): marketing opt-out;
 * `unreachable`: they blocked the bot (Telegram 403): skipped, and nothing more is sent there until they write.
 */
export type SendConsequence = 'outside_window' | 'marketing_stopped' | 'unreachable'

export interface ChannelAdapter {
  kind: Channel['kind']
  /**
   * True when sending the same `messageId` again cannot reach the shopper twice (web chat: the transcript row
   * is the delivery). The relay then sends again after a crash mid-send instead of settling the row `unknown`.
   */
  idempotentDelivery?: boolean
  /**
   * Present when delivering is writing our own transcript row (web chat): a send that may leave at once is then
   * written `delivered` in the step's transaction, with no outbox row (delivery/in-step-delivery.ts).
   */
  inStepDelivery?: { providerMessageId(messageId: string): string }
  send(channel: Channel, payload: OutboundPayload): Promise<SendResult>
  /**
   * Sends a batch at once: one result per send, in order. Optional; without it the relay calls `send` for each,
   * concurrently. Web chat delivers a whole batch in one statement.
   */
  sendMany?(sends: readonly ChannelSend[]): Promise<SendResult[]>
}

/** One send of a batch: the channel it goes out on and what goes out. */
export interface ChannelSend {
  channel: Channel
  payload: OutboundPayload
}

/** A message from a shopper, already verified and normalised by its channel adapter. */
export interface InboundMessage {
  merchantId: string
  channelId: string
  /** Dedupe key from the provider: wamid, Telegram update_id, web-chat client message id. */
  externalId: string
  sender: { externalId: string; name?: string; phone?: string; locale?: string; timezone?: string }
  text: string
  /** Set when the shopper tapped a quick-reply button. */
  buttonId?: string
  /**
   * Set when the shopper opened the chat (Telegram's /start, with a deep-link payload when the link had one): it
   * starts the merchant's welcome flow (engine/start-command.ts), never a question for staff.
   */
  command?: { name: 'start'; payload?: string }
  media?: { url: string; mimeType: string }[]
  /** What the reply wants, when the optional LLM read it before the step (llm/reply-intent-llm.ts). */
  intent?: ReplyIntent
}
