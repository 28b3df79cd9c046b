// Photos web-chat visitors sent (WhatsApp and Telegram keep theirs; web chat has no provider to hold them).
import type { DefaultTimestamp, Id } from './columns.ts'

export interface WebchatPhotosTable {
  merchant_id: string
  id: Id
  channel_id: string
  /** The visitor who sent it: only they (and staff) may read it back. */
  visitor_id: string
  content_type: 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic'
  byte_size: number
  bytes: Uint8Array
  created_at: DefaultTimestamp
}
