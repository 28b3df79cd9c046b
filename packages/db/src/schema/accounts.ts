// Tenants and the people and keys that act for them: merchants, staff users, sessions, API keys, channels.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { DefaultTimestamp, Id, Json, NullableNumeric, NullableTimestamp, Timestamp } from './columns.ts'

export interface MerchantsTable {
  id: Id
  name: string
  /** IANA zone for merchant-level reports and for contacts without their own zone. */
  timezone: Generated<string>
  /** A cart with no activity for this long is abandoned (default 30). */
  cart_abandon_after_minutes: Generated<number>
  /** Quiet hours in the shopper's time zone, minutes after midnight; both null = none. May wrap midnight. */
  quiet_hours_start_minute: ColumnType<number | null, number | null | undefined, number | null>
  quiet_hours_end_minute: ColumnType<number | null, number | null | undefined, number | null>
  /** Frequency cap: at most `count` bot-initiated messages per contact in any `window_minutes`. */
  frequency_cap_count: Generated<number>
  /** Days after delivery (else shipping, else the order) within which returns are accepted (default 30). */
  return_window_days: Generated<number>
  /** Burst merge: the quiet window the bot waits for a shopper's follow-up messages, ms; 0 = off (default 2500). */
  burst_window_ms: Generated<number>
  frequency_cap_window_minutes: Generated<number>
  /** WhatsApp template spend allowed per calendar month (merchant time zone); null = unlimited. */
  monthly_template_budget: NullableNumeric
  budget_currency: Generated<string>
  /** Upper-case keywords; matched against the whole trimmed inbound text. */
  opt_out_keywords: ColumnType<string[], string[] | undefined, string[]>
  opt_in_keywords: ColumnType<string[], string[] | undefined, string[]>
  /** Opt-out/opt-in language packs switched on ('en', 'de', ...), on top of the keywords above. */
  keyword_languages: ColumnType<string[], string[] | undefined, string[]>
  /** What the shopper is told on opting out / back in; null = the built-in text. */
  opt_out_confirmation: string | null
  opt_in_confirmation: string | null
  /** The merchant's own price per template category in budget_currency; null = Meta's list price. */
  template_prices: ColumnType<TemplatePrices | null, TemplatePrices | null | undefined, TemplatePrices | null>
  /** Opening hours in the store's zone; null = none set. */
  /** Percent (0–50) of abandoned carts drawn into the control group that gets no recovery messages. */
  holdout_percent: Generated<number>
  /** An order this many days (1–30) after the last recovery message still counts as recovered by Parley. */
  attribution_window_days: Generated<number>
  business_hours: ColumnType<
    BusinessHoursRow | null,
    BusinessHoursRow | null | undefined,
    BusinessHoursRow | null
  >
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export type TemplatePrices = { marketing: number; utility: number; authentication: number }
export type BusinessHoursRow = { days: string[]; open: string; close: string }

export type UserRole = 'owner' | 'editor' | 'agent'

/** A pending or used invitation to join the team; only the hash of the link's token is stored. */
export interface InvitesTable {
  merchant_id: string
  id: Id
  /** Stored lower-case. */
  email: string
  role: UserRole
  token_hash: string
  created_by: string | null
  expires_at: Timestamp
  accepted_at: NullableTimestamp
  revoked_at: NullableTimestamp
  created_at: DefaultTimestamp
}
export type Invite = Selectable<InvitesTable>

export interface UsersTable {
  merchant_id: string
  id: Id
  /** Stored lower-case (a check enforces it). */
  email: string
  name: Generated<string>
  /** The name shoppers see ("Sam from North Thread joined the chat"); null = the first word of `name`. */
  display_name: ColumnType<string | null, string | null | undefined, string | null>
  /** A picture shown beside this person's messages in the web-chat widget; null = their initials. */
  avatar_url: ColumnType<string | null, string | null | undefined, string | null>
  /** scrypt hash in a self-describing string (parameters, salt, key). */
  password_hash: string
  role: UserRole
  last_sign_in_at: NullableTimestamp
  disabled_at: NullableTimestamp
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

/**
 * A signed-in staff session. Only a hash of the cookie token is stored. Lookups go by (merchant_id, token_hash),
 * so the cookie carries the merchant id next to the secret.
 */
export interface SessionsTable {
  merchant_id: string
  id: Id
  user_id: string
  token_hash: string
  csrf_token: string
  expires_at: Timestamp
  created_at: DefaultTimestamp
  last_seen_at: DefaultTimestamp
}

/** A store's key for POST /api/events. `prefix` is shown in the UI; only the hash of the key is stored. */
export interface ApiKeysTable {
  merchant_id: string
  id: Id
  name: string
  prefix: string
  key_hash: string
  created_by: string | null
  last_used_at: NullableTimestamp
  revoked_at: NullableTimestamp
  created_at: DefaultTimestamp
}

export type ChannelKind = 'webchat' | 'whatsapp' | 'telegram' | 'shopify'

export interface ChannelsTable {
  merchant_id: string
  id: Id
  kind: ChannelKind
  name: string
  /** Provider settings including secrets (tokens, app secret, webhook secret); never sent to the browser. */
  config: Json<Record<string, unknown>>
  /** Overrides the provider's API base URL (tests point it at a fake provider on loopback). */
  base_url: string | null
  enabled: Generated<boolean>
  /** The provider's words when our last check was refused (the channel needs attention); null when it passed. */
  provider_error: string | null
  checked_at: Date | null
  /** Set when the provider ended the connection (Shopify app/uninstalled); the channel is disabled too. */
  disconnected_at: NullableTimestamp
  disconnected_reason: string | null
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export type Merchant = Selectable<MerchantsTable>
export type NewMerchant = Insertable<MerchantsTable>
export type MerchantUpdate = Updateable<MerchantsTable>
export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
export type Session = Selectable<SessionsTable>
export type NewSession = Insertable<SessionsTable>
export type SessionUpdate = Updateable<SessionsTable>
export type ApiKey = Selectable<ApiKeysTable>
export type NewApiKey = Insertable<ApiKeysTable>
export type ApiKeyUpdate = Updateable<ApiKeysTable>
export type Channel = Selectable<ChannelsTable>
export type NewChannel = Insertable<ChannelsTable>
export type ChannelUpdate = Updateable<ChannelsTable>
