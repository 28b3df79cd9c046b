// The inbox in words: what a status, a delivery state, a refusal or a wait means to a person reading it. Nothing
// here shows an id or an enum name; an unknown value reads as a plain fallback.
import type { InboxConversation, InboxListItem, InboxMessage, InboxView } from '@parley/api'

export const VIEWS: { view: InboxView; label: string; empty: string }[] = [
  {
    view: 'waiting',
    label: 'Waiting for a person',
    empty: 'Nobody is waiting. New escalations appear here at once.',
  },
  { view: 'mine', label: 'Mine', empty: 'No conversations are assigned to you.' },
  { view: 'open', label: 'All open', empty: 'There are no open conversations.' },
  { view: 'resolved', label: 'Resolved', empty: 'No conversations have been resolved yet.' },
]

export const CHANNEL_WORDS: Record<InboxConversation['channel']['kind'], string> = {
  webchat: 'Web chat',
  whatsapp: 'WhatsApp',
  telegram: 'Telegram',
  shopify: 'Shopify',
}

export function statusWords(
  c: Pick<InboxConversation, 'status' | 'assignedUserName'>,
  myName: string,
): string {
  switch (c.status) {
    case 'bot':
      return 'With the assistant'
    case 'waiting':
      return 'Waiting for a person'
    case 'assigned':
      return c.assignedUserName === myName ? 'With you' : `With ${c.assignedUserName ?? 'a colleague'}`
    case 'resolved':
      return 'Resolved'
  }
}

/** "3 min", "2 h 5 min", "1 day": how long a shopper has waited. */
export function waitedFor(sinceIso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(sinceIso)) / 60_000))
  if (minutes < 1) return 'under a minute'
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`
  const days = Math.floor(hours / 24)
  return days === 1 ? '1 day' : `${days} days`
}

const SKIP_WORDS: Record<string, string> = {
  opted_out: 'the shopper has opted out of messages',
  no_consent: 'the shopper has not agreed to marketing messages',
  staff_takeover: 'a person has this conversation, so the assistant stayed quiet',
  frequency_cap: 'the shopper already had the most messages allowed for now',
  outside_window_no_template: 'it is outside WhatsApp’s 24-hour window and no template was chosen',
  template_budget: 'this month’s template budget is spent',
  no_channel: 'the shopper cannot be reached on any connected channel',
  channel_disabled: 'the channel is switched off',
  unreachable: 'the shopper has blocked messages from the store on this channel',
}

/** What the transcript says under a message the shopper did not get, or about its delivery. */
export function deliveryWords(m: Pick<InboxMessage, 'status' | 'skipReason' | 'error'>): string | null {
  switch (m.status) {
    case 'queued':
      return 'Sending…'
    case 'sent':
      return 'Sent'
    case 'delivered':
      return 'Delivered'
    case 'read':
      return 'Read'
    case 'failed':
      return m.error ? `Not delivered: ${m.error}` : 'Not delivered'
    case 'skipped':
      return `Not sent: ${(m.skipReason && SKIP_WORDS[m.skipReason]) || 'the store’s messaging rules held it back'}`
    case 'unknown':
      return 'Delivery unknown: the provider did not answer in time'
  }
}

export const RUN_WORDS: Record<string, string> = {
  active: 'Running',
  done: 'Finished',
  failed: 'Stopped by an error',
}

/** Where the conversation belongs in `view` (the list updates live without asking the server each time). */
export function belongsTo(view: InboxView, c: InboxConversation, myId: string): boolean {
  switch (view) {
    case 'waiting':
      return c.status === 'waiting'
    case 'mine':
      return c.status !== 'resolved' && c.assignedUserId === myId
    case 'open':
      return c.status !== 'resolved'
    case 'resolved':
      return c.status === 'resolved'
  }
}

/** The list order of `view`: waiting longest first; otherwise newest activity first. */
export function compareIn(view: InboxView): (a: InboxListItem, b: InboxListItem) => number {
  if (view === 'waiting') {
    const key = (c: InboxListItem) => c.escalatedAt ?? c.createdAt
    return (a, b) => key(a).localeCompare(key(b)) || a.id.localeCompare(b.id)
  }
  const key = (c: InboxListItem) => c.lastMessageAt ?? c.createdAt
  return (a, b) => key(b).localeCompare(key(a)) || b.id.localeCompare(a.id)
}

/** "Monday 30 November" for day separators ("Today" and "Yesterday" when they are). */
export function dayLabel(iso: string, now: number): string {
  const day = new Date(iso)
  const today = new Date(now)
  const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString()
  if (sameDay(day, today)) return 'Today'
  if (sameDay(day, new Date(now - 86_400_000))) return 'Yesterday'
  return day.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' })
}

export function contactName(c: Pick<InboxConversation, 'contact'>): string {
  return c.contact.name || c.contact.email || c.contact.phone || 'A shopper'
}
