// What a message trigger puts in `trigger` for the run: the text, the button tapped, and the order number
// the text already names, so "where is my order 1234?" is answered without asking for the number again.
// The runtime and the simulator both build it here.
import { findOrderNumber } from './store-answers/order-lookup.ts'

export interface MessageTriggerVars {
  [key: string]: string | null
  type: 'message.received'
  text: string
  buttonId: string | null
  /** The order number found in `text` ("#1004", "order 1004"), without "#"; null when it names none. */
  orderNumber: string | null
}

/**
 * @example messageTriggerVars('where is my order 1234?') // { type: 'message.received', text, buttonId: null, orderNumber: '1234' }
 */
export function messageTriggerVars(
  text: string,
  buttonId: string | null = null,
  extra: Record<string, string | null> = {},
): MessageTriggerVars {
  return { ...extra, type: 'message.received', text, buttonId, orderNumber: findOrderNumber(text) }
}
