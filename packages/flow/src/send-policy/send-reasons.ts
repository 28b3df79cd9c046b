// Why a send was skipped or deferred, in the merchant's words: the simulator shows these, and they name the
// same reasons the runtime records on a skipped message (`messages.skip_reason`).
import type { SkipReason } from './send-policy.ts'

const skipReasons: { [R in SkipReason]: string } = {
  opted_out: 'Not sent: the shopper has unsubscribed from messages.',
  no_consent: 'Not sent: the shopper has not agreed to marketing messages.',
  staff_takeover: 'Not sent: your team has this conversation, so the bot stays quiet.',
  frequency_cap: 'Not sent: the shopper already got as many marketing messages as your limit allows.',
  outside_window_no_template:
    'Not sent: more than 24 hours since the shopper last wrote on WhatsApp, and this message has no approved template.',
  template_budget: "Not sent: this month's budget for WhatsApp template messages is used up.",
  no_channel: 'Not sent: the shopper cannot be reached on this channel.',
  channel_disabled: 'Not sent: this channel is turned off.',
  unreachable:
    'Not sent: the shopper blocked the bot on this channel; they get messages again once they write.',
  handoff_no_longer_relevant:
    'Not sent: it waited while your team had the conversation, and by then the sequence had ended.',
  handoff_superseded:
    'Not sent: it waited while your team had the conversation, and a later message of the same sequence went instead.',
}

/** @example describeSkip('frequency_cap') // 'Not sent: the shopper already got as many marketing messages ...' */
export function describeSkip(reason: SkipReason): string {
  return skipReasons[reason]
}

/**
 * A marketing send held back by quiet hours, with the shopper's local time it goes out at.
 * @example describeDeferral(Date.UTC(2026, 0, 6, 7, 0), 'Europe/Berlin') // 'Held until 08:00 (shopper's time): quiet hours.'
 */
export function describeDeferral(until: number, timeZone: string): string {
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
  return `Held until ${time.format(new Date(until))} (shopper's time): quiet hours.`
}

/**
 * A marketing send paused while a person has the conversation.
 * @example describeHold() // 'Waiting: your team has this conversation; it goes out when they hand it back, if still relevant.'
 */
export function describeHold(): string {
  return 'Waiting: your team has this conversation; it goes out when they hand it back, if still relevant.'
}
