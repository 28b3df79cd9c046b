// Bot API updates → channel-neutral inbound messages. Pure parsing of an already-verified body: `message`
// (text, photo with caption) and `callback_query` (an inline-keyboard tap → buttonId). externalId = update_id.
import type { InboundMessage } from '../types.ts'
import { parseStartCommand } from './telegram-commands.ts'

export interface ParsedTelegramUpdate {
  message: InboundMessage | null
  /** Set for a button tap: answerCallbackQuery must be called with it, or the button keeps spinning. */
  callbackQueryId?: string
}

type Obj = Record<string, unknown>
const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)
const id = (value: unknown): string | undefined =>
  typeof value === 'number' || typeof value === 'string' ? String(value) : undefined

export function parseTelegramUpdate(
  update: unknown,
  channel: { merchantId: string; channelId: string },
): ParsedTelegramUpdate {
  if (!isObj(update)) return { message: null }
  const updateId = id(update.update_id)
  if (!updateId) return { message: null }
  const base = { merchantId: channel.merchantId, channelId: channel.channelId, externalId: updateId }

  if (isObj(update.callback_query)) {
    const query = update.callback_query
    const queryId = str(query.id)
    const data = str(query.data)
    const origin = isObj(query.message) ? query.message : {}
    const chatId = isObj(origin.chat) ? id(origin.chat.id) : undefined
    const from = isObj(query.from) ? query.from : {}
    const target = chatId ?? id(from.id)
    if (!queryId || !data || !target)
      return { message: null, ...(queryId ? { callbackQueryId: queryId } : {}) }
    return {
      message: {
        ...base,
        sender: sender(target, from),
        text: buttonTitle(origin, data) ?? data,
        buttonId: data,
      },
      callbackQueryId: queryId,
    }
  }

  if (isObj(update.message)) {
    const message = update.message
    const chatId = isObj(message.chat) ? id(message.chat.id) : undefined
    if (!chatId) return { message: null }
    const from = isObj(message.from) ? message.from : {}
    const text = str(message.text) ?? str(message.caption) ?? ''
    const photos = Array.isArray(message.photo) ? message.photo.filter(isObj) : []
    // Telegram sends every size of a photo; the last is the largest. Bytes come from getFile with the token.
    const largest = photos.at(-1)
    const fileId = largest ? str(largest.file_id) : undefined
    const phone = sharedOwnPhone(message, from)
    if (text === '' && !fileId && !phone) return { message: null }
    const command = fileId ? undefined : parseStartCommand(text)
    return {
      message: {
        ...base,
        sender: { ...sender(chatId, from), ...(phone ? { phone } : {}) },
        text,
        ...(command ? { command } : {}),
        ...(fileId ? { media: [{ url: `telegram-file:${fileId}`, mimeType: 'image/jpeg' }] } : {}),
      },
    }
  }
  return { message: null }
}

function sender(chatId: string, from: Obj): InboundMessage['sender'] {
  const name = [str(from.first_name), str(from.last_name)].filter(Boolean).join(' ')
  const locale = str(from.language_code)
  return { externalId: chatId, ...(name ? { name } : {}), ...(locale ? { locale } : {}) }
}

/**
 * The shopper's own phone number when they shared it ("Share my phone number"): Telegram's `contact` whose
 * user_id is the sender. It links the chat to the store's checkouts, which know shoppers by phone. A contact
 * card of someone else is not the sender's number and is ignored.
 */
function sharedOwnPhone(message: Obj, from: Obj): string | undefined {
  const contact = isObj(message.contact) ? message.contact : undefined
  const number = contact ? str(contact.phone_number) : undefined
  if (!contact || !number || contact.user_id === undefined || id(contact.user_id) !== id(from.id))
    return undefined
  const digits = number.replace(/\D/g, '')
  return digits.length >= 7 ? `+${digits}` : undefined
}

/** The tapped button's title, read from the keyboard of the message it was attached to. */
function buttonTitle(message: Obj, data: string): string | undefined {
  const markup = isObj(message.reply_markup) ? message.reply_markup : {}
  const rows = Array.isArray(markup.inline_keyboard) ? markup.inline_keyboard : []
  for (const row of rows) {
    if (!Array.isArray(row)) continue
    for (const button of row) {
      if (isObj(button) && button.callback_data === data) return str(button.text)
    }
  }
  return undefined
}
