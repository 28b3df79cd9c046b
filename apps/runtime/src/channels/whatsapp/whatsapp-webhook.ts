// Cloud API webhook payloads → channel-neutral inbound messages and delivery-status updates. Pure parsing
// of an already-verified body; unknown shapes are skipped, never thrown on (Meta adds fields freely).
import type { MessageStatus } from '@parley/db'
import type { InboundMessage } from '../types.ts'

export interface WhatsAppStatusUpdate {
  /** The wamid we stored as provider_message_id. */
  providerMessageId: string
  status: Extract<MessageStatus, 'sent' | 'delivered' | 'read' | 'failed'>
  /** Seconds since the epoch, as WhatsApp reports it. */
  timestamp?: number
  error?: string
  /** Meta's error codes on a failed status (131050: the shopper stopped marketing messages from us). */
  errorCodes?: number[]
  /** The shopper's wa_id the message was for. */
  recipientId?: string
}

export interface ParsedWhatsAppWebhook {
  messages: InboundMessage[]
  statuses: WhatsAppStatusUpdate[]
  /** Message types we do not handle (sticker, location, ...), for logs. */
  skipped: { id: string; type: string }[]
}

type Obj = Record<string, unknown>
const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const list = (value: unknown): Obj[] => (Array.isArray(value) ? value.filter(isObj) : [])
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/**
 * `channel.phoneNumberId`: changes for another number of the same WhatsApp Business Account (one Meta app
 * can point several numbers at one URL) are skipped, so they never land on the wrong channel.
 */
export function parseWhatsAppWebhook(
  body: unknown,
  channel: { merchantId: string; channelId: string; phoneNumberId?: string },
): ParsedWhatsAppWebhook {
  const parsed: ParsedWhatsAppWebhook = { messages: [], statuses: [], skipped: [] }
  if (!isObj(body) || body.object !== 'whatsapp_business_account') return parsed
  for (const entry of list(body.entry)) {
    for (const change of list(entry.changes)) {
      const value = change.value
      if (!isObj(value)) continue
      const metadata = isObj(value.metadata) ? value.metadata : {}
      if (
        channel.phoneNumberId &&
        str(metadata.phone_number_id) &&
        str(metadata.phone_number_id) !== channel.phoneNumberId
      ) {
        parsed.skipped.push({ id: str(metadata.phone_number_id) ?? '', type: 'other_phone_number' })
        continue
      }
      const names = new Map<string, string>()
      for (const contact of list(value.contacts)) {
        const waId = str(contact.wa_id)
        const name = isObj(contact.profile) ? str(contact.profile.name) : undefined
        if (waId && name) names.set(waId, name)
      }
      for (const message of list(value.messages)) {
        const inbound = toInbound(message, names, channel)
        if (inbound) parsed.messages.push(inbound)
        else parsed.skipped.push({ id: str(message.id) ?? '', type: str(message.type) ?? 'unknown' })
      }
      for (const status of list(value.statuses)) {
        const update = toStatus(status)
        if (update) parsed.statuses.push(update)
      }
    }
  }
  return parsed
}

function toInbound(
  message: Obj,
  names: Map<string, string>,
  channel: { merchantId: string; channelId: string },
): InboundMessage | null {
  const id = str(message.id)
  const from = str(message.from)
  if (!id || !from) return null
  const content = readContent(message)
  if (!content) return null
  const name = names.get(from)
  return {
    merchantId: channel.merchantId,
    channelId: channel.channelId,
    externalId: id,
    sender: { externalId: from, phone: `+${from}`, ...(name ? { name } : {}) },
    ...content,
  }
}

function readContent(message: Obj): Pick<InboundMessage, 'text' | 'buttonId' | 'media'> | null {
  switch (message.type) {
    case 'text': {
      const body = isObj(message.text) ? str(message.text.body) : undefined
      return body === undefined ? null : { text: body }
    }
    case 'interactive': {
      const interactive = isObj(message.interactive) ? message.interactive : {}
      const reply = isObj(interactive.button_reply)
        ? interactive.button_reply
        : isObj(interactive.list_reply)
          ? interactive.list_reply
          : undefined
      const buttonId = reply ? str(reply.id) : undefined
      if (!reply || !buttonId) return null
      return { text: str(reply.title) ?? '', buttonId }
    }
    case 'button': {
      // A quick-reply button on a template message.
      const button = isObj(message.button) ? message.button : {}
      const payload = str(button.payload)
      if (!payload) return null
      return { text: str(button.text) ?? '', buttonId: payload }
    }
    case 'image': {
      const image = isObj(message.image) ? message.image : {}
      const mediaId = str(image.id)
      if (!mediaId) return null
      // The bytes are fetched from the Graph API with the channel's token (GET /{media-id}); we keep the id.
      return {
        text: str(image.caption) ?? '',
        media: [{ url: `whatsapp-media:${mediaId}`, mimeType: str(image.mime_type) ?? 'image/jpeg' }],
      }
    }
    default:
      return null
  }
}

const STATUSES = new Set(['sent', 'delivered', 'read', 'failed'])

function toStatus(status: Obj): WhatsAppStatusUpdate | null {
  const id = str(status.id)
  const value = str(status.status)
  if (!id || !value || !STATUSES.has(value)) return null
  const timestamp = Number(str(status.timestamp))
  const errors = list(status.errors)
  const error = errors
    .map((e) =>
      [str(e.title) ?? str(e.message), e.code === undefined ? undefined : `[${String(e.code)}]`]
        .filter(Boolean)
        .join(' '),
    )
    .filter((text) => text !== '')
    .join('; ')
  const errorCodes = errors.map((e) => Number(e.code)).filter((code) => Number.isInteger(code))
  const recipientId = str(status.recipient_id)
  return {
    providerMessageId: id,
    status: value as WhatsAppStatusUpdate['status'],
    ...(Number.isFinite(timestamp) ? { timestamp } : {}),
    ...(error ? { error } : {}),
    ...(errorCodes.length > 0 ? { errorCodes } : {}),
    ...(recipientId ? { recipientId } : {}),
  }
}
