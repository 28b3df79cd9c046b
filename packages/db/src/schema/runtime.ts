// The durable runtime's state: runs, their timers, the outbox, receipts (dedupe), node visits, template spend.
import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable, Updateable } from 'kysely'
import type {
  DefaultTimestamp,
  Id,
  Json,
  JsonObject,
  NullableTimestamp,
  Numeric,
  Timestamp,
} from './columns.ts'

export type RunStatus = 'active' | 'done' | 'failed'

export interface RunsTable {
  merchant_id: string
  id: Id
  flow_id: string
  /** Pinned at start; publishing a new version never moves a running run. */
  flow_version_id: string
  contact_id: string
  conversation_id: string | null
  trigger_kind: string
  /** What the run is about, e.g. the cart token; at most one active run per flow and key. */
  correlation_key: string | null
  /** The persisted XState snapshot (JSON; packages/flow's `PersistedFlowSnapshot`, which the db does not import). */
  snapshot: Json<Record<string, unknown>>
  /** Bumped on every step; timers carry the revision they were set at. */
  revision: Generated<number>
  status: ColumnType<RunStatus, RunStatus | undefined, RunStatus>
  /** What the run waits for from outside, e.g. 'reply' or 'handback'; null when only timers can move it. */
  waiting_for: string | null
  outcome: string | null
  error: string | null
  started_at: DefaultTimestamp
  updated_at: DefaultTimestamp
  ended_at: NullableTimestamp
}

/**
 * A pending delayed event of a run (XState `after` / delayed raise). Claimed by the poller with
 * FOR UPDATE SKIP LOCKED ordered by due_at; a firing whose revision is stale is dropped.
 */
export interface TimersTable {
  merchant_id: string
  run_id: string
  timer_id: string
  due_at: Timestamp
  revision: number
  /** The flow event the timer raises (packages/flow's `FlowEventInput`). */
  event: Json<Record<string, unknown>>
  locked_until: NullableTimestamp
  locked_by: string | null
  created_at: DefaultTimestamp
}

/** `held`: a marketing send waiting while staff have the conversation; hand-back releases or ends it. */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'unknown' | 'held'

/**
 * A send to perform after commit. pending → sending (lease) → sent | failed | unknown. `unknown` means the
 * request may have reached the provider; it is never resent blindly.
 */
export interface OutboxTable {
  merchant_id: string
  id: Id
  run_id: string | null
  message_id: string | null
  conversation_id: string
  channel_id: string
  /** Everything the channel adapter needs to call the provider. */
  payload: Json<JsonObject>
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>
  attempts: Generated<number>
  next_attempt_at: DefaultTimestamp
  locked_until: NullableTimestamp
  locked_by: string | null
  provider_message_id: string | null
  last_error: string | null
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
  sent_at: NullableTimestamp
  /** Queue order (bigint identity; never written): a conversation's sends go out in this order, one at a time. */
  seq: GeneratedAlways<number>
  /** 'message' (sends, paced per channel) or 'http' (merchant HTTP-request jobs); derived from the payload. */
  lane: GeneratedAlways<OutboxLane>
}

export type OutboxLane = 'message' | 'http'

/**
 * A token bucket of the relay's pacing, shared by every replica: GCRA's theoretical arrival time of the next
 * send on `key` (`channel:<id>` or `chat:<conversation id>`), epoch milliseconds.
 */
export interface SendPacingTable {
  merchant_id: string
  key: string
  tat: number
}

/**
 * An external event id already processed: inserting a duplicate conflicts and the step ends. Kept for the runtime's
 * RECEIPT_RETENTION_DAYS, then purged (apps/runtime/src/maintenance/receipt-retention.ts).
 */
export interface ReceiptsTable {
  merchant_id: string
  /** e.g. 'whatsapp', 'telegram', 'shopify', 'api', or the channel id. */
  source: string
  external_id: string
  received_at: DefaultTimestamp
}

/**
 * One row per step of a run that entered nodes: the nodes in the order entered (analytics: funnel per node and
 * version; the inbox's "what the assistant did"). Migration 202612010000; before it, one row per node.
 */
export interface NodeVisitsTable {
  merchant_id: string
  run_id: string
  flow_version_id: string
  /** Never empty (a check constraint). */
  node_ids: string[]
  at: Timestamp
  /**
   * Insertion order (identity, never written): this tells a run's steps apart when they share `at`. The
   * primary key is (merchant_id, run_id, seq), a run's steps in order (migration 202611301010).
   */
  seq: GeneratedAlways<number>
}

/**
 * Template spend per merchant, month and category: a budget check reads and bumps one row
 * (row lock), so concurrent steps cannot both spend the last of the budget.
 */
export interface TemplateSpendTable {
  merchant_id: string
  /** First day of the month in the merchant's time zone, 'YYYY-MM-DD'. */
  month: ColumnType<string, string, string>
  category: string
  amount: Numeric
  currency: string
  messages: Generated<number>
  updated_at: DefaultTimestamp
}

export type PrivacyTopic = 'customers/data_request' | 'customers/redact' | 'shop/redact'

/**
 * A Shopify privacy webhook as received. Only Shopify's ids name the shopper here: a redacted shopper leaves no
 * name, email or phone behind. `export` holds what a data request produced, for the owner to download.
 */
export interface PrivacyRequestsTable {
  merchant_id: string
  id: Id
  channel_id: string | null
  topic: PrivacyTopic
  shopify_customer_id: string | null
  shopify_request_id: string | null
  export: ColumnType<JsonObject | null, JsonObject | null | undefined, JsonObject | null>
  created_at: DefaultTimestamp
}

export type PrivacyRequest = Selectable<PrivacyRequestsTable>
export type NewPrivacyRequest = Insertable<PrivacyRequestsTable>

export type Run = Selectable<RunsTable>
export type NewRun = Insertable<RunsTable>
export type RunUpdate = Updateable<RunsTable>
export type Timer = Selectable<TimersTable>
export type NewTimer = Insertable<TimersTable>
export type TimerUpdate = Updateable<TimersTable>
export type OutboxEntry = Selectable<OutboxTable>
export type NewOutboxEntry = Insertable<OutboxTable>
export type OutboxUpdate = Updateable<OutboxTable>
export type Receipt = Selectable<ReceiptsTable>
export type NewReceipt = Insertable<ReceiptsTable>
export type NodeVisit = Selectable<NodeVisitsTable>
export type NewNodeVisit = Insertable<NodeVisitsTable>
export type TemplateSpend = Selectable<TemplateSpendTable>
export type NewTemplateSpend = Insertable<TemplateSpendTable>
