// What the shopper is told when a chat goes to a person (the queue's acknowledgement, with its reply time inside
// business hours or when the team is back outside them) and when nobody took it (the fallback), plus the
// built-in queues. Pure and here, not in the runtime, so the editor's simulator tells the shopper the same.
import { type OpeningHours, openingState, replyTimeInWords } from './business-hours.ts'

/** An escalation queue's settings (the API's EscalationQueueSetting has this shape). */
export interface QueueWords {
  key: string
  name: string
  /** Null = the store's business hours. */
  businessHours: OpeningHours | null
  replyWithinMinutes: number
  acknowledgement: string
  acknowledgementClosed: string
  unclaimedTimeoutMinutes: number
  fallbackMessage: string
}

const acknowledgement = "I've asked the team — a person will reply here, usually within {{reply_time}}."
const acknowledgementClosed =
  "I've asked the team. They're away right now — a person will reply here after they're back {{opens_at}}."
const fallbackMessage =
  "Sorry, nobody from the team is free right now. I'm back to help, and you can write here anytime to ask for a person again."

function defaultQueue(key: string, name: string, replyWithinMinutes: number): QueueWords {
  return {
    key,
    name,
    businessHours: null,
    replyWithinMinutes,
    acknowledgement,
    acknowledgementClosed,
    unclaimedTimeoutMinutes: 15,
    fallbackMessage,
  }
}

/** What a merchant who never saved queues has. */
export const DEFAULT_QUEUES: readonly QueueWords[] = [
  defaultQueue('sales', 'Sales', 15),
  defaultQueue('support', 'Support', 30),
  defaultQueue('returns', 'Returns', 60),
]

/** The built-in queue of that name, else the support defaults under the name a flow used. */
export function defaultQueueFor(key: string): QueueWords {
  const builtIn = DEFAULT_QUEUES.find((q) => q.key === key)
  if (builtIn) return { ...builtIn }
  const support = DEFAULT_QUEUES[1] as QueueWords
  return { ...support, key, name: key }
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole)
}

/**
 * The acknowledgement for an escalation to `queue` at `now`: the queue's hours, else the store's, in its zone.
 * @example acknowledgementText(defaultQueueFor('support'), { business_hours: null, timezone: 'UTC' }, now)
 *   // "I've asked the team — a person will reply here, usually within 30 minutes."
 */
export function acknowledgementText(
  queue: QueueWords,
  store: { business_hours: OpeningHours | null; timezone: string },
  now: number,
): string {
  const state = openingState(now, queue.businessHours ?? store.business_hours, store.timezone)
  if (state.open) {
    return fill(queue.acknowledgement, {
      reply_time: replyTimeInWords(queue.replyWithinMinutes),
      queue: queue.name,
    })
  }
  return fill(queue.acknowledgementClosed, { opens_at: state.label, queue: queue.name })
}

export function fallbackText(queue: QueueWords): string {
  return fill(queue.fallbackMessage, { queue: queue.name })
}
