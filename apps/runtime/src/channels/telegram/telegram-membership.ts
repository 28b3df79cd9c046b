// `my_chat_member` updates: the bot's own membership in a chat changed. In a private chat `kicked` means the
// shopper blocked the bot (every later send would answer 403), and `member` that they unblocked it (restarted
// it). Pure parsing of an already-verified body.
export interface MembershipChange {
  chatId: string
  reachable: boolean
}

type Obj = Record<string, unknown>
const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The reachability a `my_chat_member` update tells, or null when it is not one (or says nothing about it). */
export function parseMembershipChange(update: unknown): MembershipChange | null {
  if (!isObj(update) || !isObj(update.my_chat_member)) return null
  const change = update.my_chat_member
  const chat = isObj(change.chat) ? change.chat : {}
  const chatId = typeof chat.id === 'number' || typeof chat.id === 'string' ? String(chat.id) : undefined
  const status = isObj(change.new_chat_member) ? change.new_chat_member.status : undefined
  if (!chatId) return null
  if (status === 'kicked') return { chatId, reachable: false }
  if (status === 'member') return { chatId, reachable: true }
  return null
}
