// What the shopper is told the moment a chat is handed to a person: the queue's acknowledgement with its reply
// time inside business hours, or when the team is back outside them. And the fallback when nobody took it.
import type { EscalationQueueSetting } from '@parley/api'
import type { Merchant } from '@parley/db'
import { openingState, replyTimeInWords } from './business-hours.ts'

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole)
}

/**
 * The acknowledgement for an escalation to `queue` at `now`: the queue's hours, else the store's, in the store's zone.
 * @example acknowledgementText(support, merchant, now) // "I've asked the team — a person will reply here, usually within 30 minutes."
 */
export function acknowledgementText(
  queue: EscalationQueueSetting,
  merchant: Pick<Merchant, 'business_hours' | 'timezone'>,
  now: number,
): string {
  const state = openingState(now, queue.businessHours ?? merchant.business_hours, merchant.timezone)
  if (state.open) {
    return fill(queue.acknowledgement, {
      reply_time: replyTimeInWords(queue.replyWithinMinutes),
      queue: queue.name,
    })
  }
  return fill(queue.acknowledgementClosed, { opens_at: state.label, queue: queue.name })
}

export function fallbackText(queue: EscalationQueueSetting): string {
  return fill(queue.fallbackMessage, { queue: queue.name })
}
