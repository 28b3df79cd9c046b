// Turning a shopper's message into a collected value: a number, an order number, an email, photos.
// Both the collect-input guard and the variable it writes use this, so they always agree.
import type { MessageReceivedEvent } from '../events.ts'
import type { InputType } from './types.ts'

export type ParsedInput = { ok: true; value: unknown } | { ok: false }

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/
const ORDER_NUMBER = /#?([A-Za-z0-9-]*\d[A-Za-z0-9-]*)/

export function parseInput(type: InputType, event: MessageReceivedEvent): ParsedInput {
  const text = typeof event.text === 'string' ? event.text.trim() : ''
  switch (type) {
    case 'text':
      return text === '' ? { ok: false } : { ok: true, value: text }
    case 'number': {
      const match = text.replace(/,/g, '.').match(/-?\d+(\.\d+)?/)
      return match ? { ok: true, value: Number(match[0]) } : { ok: false }
    }
    case 'order_number': {
      const match = text.match(ORDER_NUMBER)
      const value = match?.[1]
      return value && value.length >= 3 && value.length <= 32 ? { ok: true, value } : { ok: false }
    }
    case 'email':
      return EMAIL.test(text) ? { ok: true, value: text.toLowerCase() } : { ok: false }
    case 'photo': {
      const media = Array.isArray(event.media) ? event.media : []
      const photos = media
        .filter(
          (m) =>
            typeof m?.url === 'string' && typeof m.mimeType === 'string' && m.mimeType.startsWith('image/'),
        )
        .map((m) => m.url)
      return photos.length > 0 ? { ok: true, value: photos } : { ok: false }
    }
  }
}

/** The id a collect-input's skip button carries. */
export const SKIP_BUTTON_ID = 'skip'

/** Whether a reply skips the question: the skip button tapped, or its title typed ("skip"). */
export function isSkip(skipButton: string, event: MessageReceivedEvent): boolean {
  const skip = skipButton.trim().toLowerCase()
  if (skip === '') return false
  if (event.buttonId !== undefined) return event.buttonId === SKIP_BUTTON_ID
  return typeof event.text === 'string' && event.text.trim().toLowerCase() === skip
}
