// Bot commands in a Telegram message. `/start` is what Telegram sends when a shopper opens the bot (the Start
// button) or follows a deep link t.me/<bot>?start=<payload>; in a group it may carry the bot's name
// (/start@ShopBot). The payload is at most 64 characters of A-Z, a-z, 0-9, _ and - (Bot API "Deep linking").
import type { InboundMessage } from '../types.ts'

const START = /^\/start(?:@[A-Za-z0-9_]{1,64})?(?:\s+([A-Za-z0-9_-]{1,64}))?\s*$/

/** The start command of a message's text, if it is one. */
export function parseStartCommand(text: string): InboundMessage['command'] | undefined {
  const match = START.exec(text.trim())
  if (!match) return undefined
  return match[1] ? { name: 'start', payload: match[1] } : { name: 'start' }
}
