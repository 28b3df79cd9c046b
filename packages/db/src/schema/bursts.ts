// Burst merge (issue 14): a shopper's quick messages held per conversation until the quiet window ends.
import type { Insertable, Selectable } from 'kysely'
import type { DefaultTimestamp, Json, Timestamp } from './columns.ts'

/** One pending burst per conversation; deleted in the transaction that steps it. */
export interface InboundBurstsTable {
  merchant_id: string
  conversation_id: string
  contact_id: string
  channel_id: string
  /** The shopper's id on the channel (the sender of every held message). */
  sender_external_id: string
  /** The held transcript rows' ids, oldest first. */
  message_ids: Json<string[]>
  /** The first held message's time: typing extends the deadline at most a bounded time past it. */
  started_at: Timestamp
  /** When the burst is stepped if nothing more arrives. */
  due_at: Timestamp
  updated_at: DefaultTimestamp
}

export type InboundBurst = Selectable<InboundBurstsTable>
export type NewInboundBurst = Insertable<InboundBurstsTable>
