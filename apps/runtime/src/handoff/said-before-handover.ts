// The bot's last words before it handed a chat to staff: a send queued before (or in the same step as) the
// escalation, while nobody has taken the chat yet. The returns flow explains the policy, finds the order past
// its window and hands over in one step; the relay then sees the conversation 'waiting' and, without this
// rule, dropped the explanation as `staff_takeover` — the shopper never read it. Once a person has the chat
// ('assigned'), or for anything queued after the hand-over, the bot stays quiet as before.
import type { Conversation, OutboxEntry } from '@parley/db'

export function saidBeforeHandover(
  row: Pick<OutboxEntry, 'created_at'>,
  conversation: Pick<Conversation, 'status' | 'escalated_at'>,
): boolean {
  return (
    conversation.status === 'waiting' &&
    conversation.escalated_at !== null &&
    row.created_at.getTime() <= conversation.escalated_at.getTime()
  )
}
