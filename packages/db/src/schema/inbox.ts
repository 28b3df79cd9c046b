// What the staff inbox keeps beside the conversations: each agent's read marker and the merchant's canned replies.
import type { ColumnType, Selectable } from 'kysely'
import type { DefaultTimestamp, Id } from './columns.ts'

/** How far an agent has read a conversation: messages with a higher seq are unread for them. */
export interface ConversationReadsTable {
  merchant_id: string
  user_id: string
  conversation_id: string
  read_seq: ColumnType<number, number, number>
  updated_at: DefaultTimestamp
}

/** A reply the merchant wrote once; agents insert it in the composer with `/`. */
export interface CannedRepliesTable {
  merchant_id: string
  id: Id
  title: string
  body: string
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export type CannedReply = Selectable<CannedRepliesTable>
