// Shoppers and what was said to them: contacts, their channel identities, conversations and messages.
import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable, Updateable } from 'kysely'
import type {
  DefaultTimestamp,
  Id,
  Json,
  JsonObject,
  JsonWithDefault,
  NullableNumeric,
  NullableTimestamp,
} from './columns.ts'

export interface ContactsTable {
  merchant_id: string
  id: Id
  name: string | null
  email: string | null
  phone: string | null
  locale: string | null
  /** IANA zone used for quiet hours and "until 9:00" delays; null = the merchant's. */
  timezone: string | null
  /** Set by STOP (or a merchant keyword); cleared by START. While set, nothing is sent. */
  opted_out_at: NullableTimestamp
  marketing_consent: Generated<boolean>
  marketing_consent_at: NullableTimestamp
  /** Free-form facts usable in templates and conditions. */
  attributes: JsonWithDefault<JsonObject>
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

/** How a contact is known on a channel: WhatsApp phone (wa_id), Telegram chat id, web-chat visitor id, Shopify customer id. */
export interface ContactIdentitiesTable {
  merchant_id: string
  id: Id
  contact_id: string
  channel_id: string
  external_id: string
  /** Set when the shopper blocked the bot on this channel; cleared when they write again. Sends are skipped. */
  unreachable_at: NullableTimestamp
  created_at: DefaultTimestamp
}

export type ConversationStatus = 'bot' | 'waiting' | 'assigned' | 'resolved'

export interface ConversationsTable {
  merchant_id: string
  id: Id
  contact_id: string
  channel_id: string
  status: ColumnType<ConversationStatus, ConversationStatus | undefined, ConversationStatus>
  assigned_user_id: string | null
  /** Queue and summary an escalation handed to staff. */
  queue: string | null
  escalation: ColumnType<JsonObject | null, JsonObject | null | undefined, JsonObject | null>
  escalated_at: NullableTimestamp
  /** Start of the WhatsApp 24-hour customer-service window. */
  last_inbound_at: NullableTimestamp
  last_message_at: NullableTimestamp
  resolved_at: NullableTimestamp
  /** The first staff reply after the escalation: time to first human reply = this − escalated_at. */
  first_staff_reply_at: NullableTimestamp
  /** When nobody claimed the escalation within its queue's timeout, the fallback went out and the bot took it back. */
  unclaimed_at: NullableTimestamp
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

/**
 * A merchant's escalation queue: what the shopper is told when a chat is handed to it, and what happens when
 * nobody takes it. Text may use {{reply_time}} (inside business hours) and {{opens_at}} (outside).
 */
export interface EscalationQueuesTable {
  merchant_id: string
  key: string
  name: string
  position: Generated<number>
  /** Null = the store's business hours (merchants.business_hours). */
  business_hours: ColumnType<
    QueueBusinessHoursRow | null,
    QueueBusinessHoursRow | null | undefined,
    QueueBusinessHoursRow | null
  >
  /** The reply time promised inside business hours. */
  reply_within_minutes: number
  acknowledgement: string
  acknowledgement_closed: string
  unclaimed_timeout_minutes: number
  fallback_message: string
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}
export type QueueBusinessHoursRow = { days: string[]; open: string; close: string }
export type EscalationQueue = Selectable<EscalationQueuesTable>
export type NewEscalationQueue = Insertable<EscalationQueuesTable>

export type MessageDirection = 'in' | 'out'
export type MessageAuthor = 'shopper' | 'bot' | 'staff' | 'system'
export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'skipped' | 'unknown'
/** WhatsApp pricing categories; `service` = free-form inside the 24-hour window. */
export type TemplateCategory = 'marketing' | 'utility' | 'authentication' | 'service'

export interface MessagesTable {
  merchant_id: string
  id: Id
  conversation_id: string
  /** Denormalised from the conversation: frequency caps count per contact. */
  contact_id: string
  direction: MessageDirection
  author: MessageAuthor
  /** The staff member who wrote it, when author = 'staff'. */
  author_user_id: string | null
  /** Channel-neutral content: text, image, product card, buttons, template. */
  body: Json<JsonObject>
  status: MessageStatus
  /** Marketing sends count against the frequency cap and wait out quiet hours; transactional ones do not. */
  is_marketing: Generated<boolean>
  provider_message_id: string | null
  template_name: string | null
  template_category: TemplateCategory | null
  /** What the provider charges for it (templates outside the window); null = free. */
  cost: NullableNumeric
  cost_currency: string | null
  /** Why policy skipped it: opted_out, no_consent, outside_window_no_template, frequency_cap, budget, ... */
  skip_reason: string | null
  error: string | null
  run_id: string | null
  node_id: string | null
  created_at: DefaultTimestamp
  /**
   * Insertion order (bigint identity; never written). Messages of one step share `created_at`, so transcripts
   * order by (created_at, seq). int8 reads as a number on both drivers (`open-database.ts`): exact up to 2^53.
   */
  seq: GeneratedAlways<number>
  sent_at: NullableTimestamp
  delivered_at: NullableTimestamp
  read_at: NullableTimestamp
  updated_at: DefaultTimestamp
}

export type Contact = Selectable<ContactsTable>
export type NewContact = Insertable<ContactsTable>
export type ContactUpdate = Updateable<ContactsTable>
export type ContactIdentity = Selectable<ContactIdentitiesTable>
export type NewContactIdentity = Insertable<ContactIdentitiesTable>
export type Conversation = Selectable<ConversationsTable>
export type NewConversation = Insertable<ConversationsTable>
export type ConversationUpdate = Updateable<ConversationsTable>
export type Message = Selectable<MessagesTable>
export type NewMessage = Insertable<MessagesTable>
export type MessageUpdate = Updateable<MessagesTable>
