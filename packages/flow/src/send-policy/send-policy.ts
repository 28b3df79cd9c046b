// The rules every bot send passes, before it is queued and again just before it is sent (DESIGN.md "Policy").
// Pure, and here rather than in the runtime so the editor's simulator decides with the same code: the runtime
// reads the facts from its database (`apps/runtime/src/policy/send-facts.ts`) and checks the template budget,
// which needs a row lock, after this decision; the simulator takes them from the merchant's simulation world.
import type { SendPurpose } from '../effects.ts'
import { isInQuietHours, type QuietHours, quietHoursEnd } from './quiet-hours.ts'
import { isInsideServiceWindow } from './whatsapp-window.ts'

export type SkipReason =
  | 'opted_out'
  | 'no_consent'
  | 'staff_takeover'
  | 'frequency_cap'
  | 'outside_window_no_template'
  | 'template_budget'
  | 'no_channel'
  | 'channel_disabled'
  /** The shopper blocked the bot on this channel (the runtime's contacts/contact-reachability.ts): no provider call. */
  | 'unreachable'
  /** A marketing send held while staff had the chat, whose run ended meanwhile (the cart was bought, ...). */
  | 'handoff_no_longer_relevant'
  /** A marketing send held while staff had the chat, replaced by a later one of the same run. */
  | 'handoff_superseded'

/**
 * `compliance`: the confirmation of an opt-out or opt-in, which must reach the shopper once.
 * `handoff`: the note an escalation sends as it hands the chat to staff.
 */
export type SendExemption = 'none' | 'handoff' | 'compliance'

/** Where the shopper is talked to; only WhatsApp has a service window. */
export type SendChannelKind = 'webchat' | 'whatsapp' | 'telegram' | 'shopify'

/** Who has the conversation: the bot, staff (waiting for or assigned to someone), or nobody any more. */
export type SendConversationStatus = 'bot' | 'waiting' | 'assigned' | 'resolved'

export interface SendFacts {
  purpose: SendPurpose
  exemption: SendExemption
  channelKind: SendChannelKind
  optedOut: boolean
  marketingConsent: boolean
  conversationStatus: SendConversationStatus
  quietHours: QuietHours | null
  lastInboundAt: Date | null
  hasTemplate: boolean
  /** The shopper blocked the bot on this channel; nothing can reach them there until they write again. */
  unreachable?: boolean
  /** Another conversation of this contact (any channel) waits for or is owned by staff. */
  contactWithStaff?: boolean
  /** Marketing sends this contact got from the bot in the merchant's cap window (this one not included). */
  frequencyCap: { limit: number; sentInWindow: number }
  now: number
}

export type SendDecision =
  | { kind: 'skip'; reason: SkipReason }
  /** `sendAt` later than now = deferred by quiet hours. `template`: outside the WhatsApp window. */
  | { kind: 'queue'; sendAt: number; mode: 'free_form' | 'template' }
  /**
   * A marketing send while a person has (or is about to have) the shopper: paused, not dropped. Staff handing
   * the chat back, resolving it, or nobody claiming it releases it — sent then if its run still goes on.
   */
  | { kind: 'hold'; mode: 'free_form' | 'template' }

/**
 * @example decideSend({ purpose: 'marketing', optedOut: true, ... }) // { kind: 'skip', reason: 'opted_out' }
 */
export function decideSend(facts: SendFacts): SendDecision {
  // Before every exemption: even a compliance confirmation would only fail at the provider.
  if (facts.unreachable) return skip('unreachable')
  if (facts.exemption === 'compliance') return { kind: 'queue', sendAt: facts.now, mode: 'free_form' }
  if (facts.optedOut) return skip('opted_out')
  const marketing = facts.purpose === 'marketing'
  if (marketing && !facts.marketingConsent) return skip('no_consent')
  if (marketing && facts.frequencyCap.sentInWindow >= facts.frequencyCap.limit) return skip('frequency_cap')
  if (staffHolds(facts)) {
    // The bot's replies and service messages say nothing while a person has the chat; marketing waits.
    if (!marketing) return skip('staff_takeover')
    const mode = facts.channelKind === 'whatsapp' && facts.hasTemplate ? 'template' : 'free_form'
    return { kind: 'hold', mode }
  }

  const sendAt =
    marketing && facts.quietHours ? (quietHoursEnd(facts.now, facts.quietHours) ?? facts.now) : facts.now
  if (facts.channelKind !== 'whatsapp') return { kind: 'queue', sendAt, mode: 'free_form' }
  if (isInsideServiceWindow(facts.lastInboundAt, sendAt)) return { kind: 'queue', sendAt, mode: 'free_form' }
  if (facts.hasTemplate) return { kind: 'queue', sendAt, mode: 'template' }
  return skip('outside_window_no_template')
}

/**
 * Staff wait for or own this conversation, or (for marketing) another of the contact's: the bot stays quiet.
 * The escalation's own note (`handoff`) and staff's replies are exempt.
 */
function staffHolds(facts: SendFacts): boolean {
  if (facts.exemption === 'handoff') return false
  const here = facts.conversationStatus === 'assigned' || facts.conversationStatus === 'waiting'
  return here || (facts.purpose === 'marketing' && facts.contactWithStaff === true)
}

/**
 * The check the outbox relay repeats just before calling the provider: things that can change between
 * queueing and sending (an opt-out, a staff takeover, quiet hours after a retry, a closed window).
 */
export function recheckBeforeSend(
  facts: SendFacts & { mode: 'free_form' | 'template' },
):
  | { kind: 'send' }
  | { kind: 'skip'; reason: SkipReason }
  | { kind: 'defer'; until: number }
  | { kind: 'hold' } {
  if (facts.unreachable) return skip('unreachable')
  if (facts.exemption === 'compliance') return { kind: 'send' }
  if (facts.optedOut) return skip('opted_out')
  if (facts.purpose === 'marketing' && !facts.marketingConsent) return skip('no_consent')
  if (staffHolds(facts)) return facts.purpose === 'marketing' ? { kind: 'hold' } : skip('staff_takeover')
  if (facts.purpose === 'marketing' && facts.quietHours && isInQuietHours(facts.now, facts.quietHours)) {
    return { kind: 'defer', until: quietHoursEnd(facts.now, facts.quietHours) ?? facts.now }
  }
  if (
    facts.channelKind === 'whatsapp' &&
    facts.mode === 'free_form' &&
    !isInsideServiceWindow(facts.lastInboundAt, facts.now)
  ) {
    return skip('outside_window_no_template')
  }
  return { kind: 'send' }
}

function skip(reason: SkipReason): { kind: 'skip'; reason: SkipReason } {
  return { kind: 'skip', reason }
}
