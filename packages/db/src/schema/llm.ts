// Optional AI answers: each merchant's OpenAI-compatible endpoint and the cost of every answer attempt.
import type { ColumnType, Insertable, Selectable } from 'kysely'
import type { DefaultTimestamp, Id, Numeric, Timestamp } from './columns.ts'

type DefaultBoolean = ColumnType<boolean, boolean | undefined, boolean>
type DefaultText = ColumnType<string, string | undefined, string>
type NumericWithDefault = ColumnType<string, string | number | undefined, string | number>

/** One row per merchant that ever saved the AI answers settings; none means off. */
export interface LlmSettingsTable {
  merchant_id: string
  enabled: DefaultBoolean
  base_url: DefaultText
  model: DefaultText
  /** Sealed with the keyring (enc:v1:…), bound to the merchant; never returned by the API. */
  api_key: string | null
  /** The key's last 4 characters for display ('' for a short key). */
  api_key_hint: DefaultText
  input_price_per_1k: NumericWithDefault
  output_price_per_1k: NumericWithDefault
  currency: DefaultText
  stream: DefaultBoolean
  updated_at: DefaultTimestamp
}

export type LlmAnswerOutcome = 'answered' | 'fallback'

/** What an AI call was for: answering a shopper's question, or reading which intent their reply means. */
export type LlmCallPurpose = 'answer' | 'intent'

/** An AI answer attempt: what it cost and whether the shopper got the AI's words or the catalogue answer. */
export interface LlmAnswersTable {
  merchant_id: string
  id: Id
  run_id: string | null
  conversation_id: string | null
  node_id: string
  model: string
  outcome: LlmAnswerOutcome
  purpose: ColumnType<LlmCallPurpose, LlmCallPurpose | undefined, LlmCallPurpose>
  reason: string | null
  input_tokens: number
  output_tokens: number
  tokens_estimated: boolean
  cost: Numeric
  currency: string
  latency_ms: number
  created_at: Timestamp
}

export type LlmSettingsRow = Selectable<LlmSettingsTable>
export type NewLlmAnswer = Insertable<LlmAnswersTable>
