// Outbound payloads → Bot API calls: sendMessage (inline keyboard for buttons) or sendPhoto. Pure.
import type { OutboundMessage } from '@parley/flow'
import { messageImage, messageText, truncate } from '../message-text.ts'

export const TELEGRAM_LIMITS = { text: 4096, caption: 1024, callbackDataBytes: 64 } as const

export interface TelegramCall {
  method: 'sendMessage' | 'sendPhoto'
  body: Record<string, unknown>
}

type InlineButton = { text: string; callback_data: string } | { text: string; url: string }

export function toTelegramCall(chatId: string, message: OutboundMessage): TelegramCall {
  // Telegram shows the link as a button under the message.
  const text = messageText(message, { linkAsButton: true })
  const image = messageImage(message)
  const keyboard: InlineButton[][] = (message.buttons ?? []).map((button) => [
    { text: button.title, callback_data: cutBytes(button.id, TELEGRAM_LIMITS.callbackDataBytes) },
  ])
  if (message.link) keyboard.push([{ text: message.link.title, url: message.link.url }])
  if (message.product?.url) keyboard.push([{ text: 'View product', url: message.product.url }])
  const replyMarkup = keyboard.length > 0 ? { reply_markup: { inline_keyboard: keyboard } } : {}
  if (image && Array.from(text).length <= TELEGRAM_LIMITS.caption) {
    return {
      method: 'sendPhoto',
      body: {
        chat_id: chatId,
        photo: image,
        ...(text.trim() === '' ? {} : { caption: text }),
        ...replyMarkup,
      },
    }
  }
  // Too long for a caption: the image goes as a link with its preview shown above the text.
  return {
    method: 'sendMessage',
    body: {
      chat_id: chatId,
      text: truncate(text.trim() === '' && image ? image : text, TELEGRAM_LIMITS.text),
      ...(image ? { link_preview_options: { url: image, show_above_text: true } } : {}),
      ...replyMarkup,
    },
  }
}

function cutBytes(value: string, maxBytes: number): string {
  let out = value
  while (Buffer.byteLength(out) > maxBytes) out = out.slice(0, -1)
  return out
}
