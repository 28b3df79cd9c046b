// A merchant's AI-answers settings: read and written here only. The API key is sealed with the keyring the way
// channel secrets are (AES-256-GCM, bound to the merchant and field, so a value copied to another merchant's row
// does not open), opened only where the endpoint is called, and shown as "set, ending in 1a2b".
import type { AiAnswersSettings, AiAnswersSettingsInput, BudgetCurrency } from '@parley/api'
import type { LlmSettingsRow } from '@parley/db'
import { sql } from 'kysely'
import type { RuntimeConfig } from '../config.ts'
import type { Db } from '../engine/step-transaction.ts'
import { isSealed, type Keyring } from '../security/keyring.ts'
import { fixedStatement } from '../sql/fixed-statement.ts'
import type { ChatEndpoint } from './chat-completion.ts'

/** Keys shorter than this show no characters at all (as channel secrets). */
const MIN_LENGTH_FOR_HINT = 12

export const DEFAULT_AI_ANSWERS: AiAnswersSettings = {
  enabled: false,
  baseUrl: '',
  model: '',
  apiKey: { set: false, last4: '' },
  inputPricePer1k: 0,
  outputPricePer1k: 0,
  currency: 'USD',
  stream: true,
}

/** What an answer needs to call the endpoint and price the call. */
export interface LlmAnswerConfig {
  endpoint: ChatEndpoint
  stream: boolean
  inputPricePer1k: number
  outputPricePer1k: number
  currency: string
}

function keyContext(merchantId: string): string {
  return `llm:${merchantId}:apiKey`
}

export function readLlmSettingsRow(db: Db, merchantId: string): Promise<LlmSettingsRow | undefined> {
  return db.selectFrom('llm_settings').selectAll().where('merchant_id', '=', merchantId).executeTakeFirst()
}

/** The settings as the owner may see them: never the key. */
export function describeLlmSettings(row: LlmSettingsRow | undefined): AiAnswersSettings {
  if (!row) return DEFAULT_AI_ANSWERS
  return {
    enabled: row.enabled,
    baseUrl: row.base_url,
    model: row.model,
    apiKey: { set: row.api_key !== null, last4: row.api_key === null ? '' : row.api_key_hint },
    inputPricePer1k: Number(row.input_price_per_1k),
    outputPricePer1k: Number(row.output_price_per_1k),
    currency: row.currency as BudgetCurrency,
    stream: row.stream,
  }
}

/**
 * Saves the settings; a given key is sealed, an omitted one kept, `removeApiKey` forgets it. Throws
 * `MissingKeyError` when the result would be switched on without a key (nothing is written then).
 */
export async function saveLlmSettings(
  db: Db,
  keyring: Keyring,
  merchantId: string,
  input: AiAnswersSettingsInput,
  now: Date,
): Promise<LlmSettingsRow> {
  const key = input.apiKey
    ? { api_key: keyring.seal(input.apiKey, keyContext(merchantId)), api_key_hint: hintOf(input.apiKey) }
    : input.removeApiKey
      ? { api_key: null, api_key_hint: '' }
      : {}
  const values = {
    enabled: input.enabled,
    base_url: input.baseUrl,
    model: input.model,
    input_price_per_1k: input.inputPricePer1k,
    output_price_per_1k: input.outputPricePer1k,
    currency: input.currency,
    stream: input.stream,
    updated_at: now,
    ...key,
  }
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('llm_settings')
      .values({ merchant_id: merchantId, ...values })
      .onConflict((oc) => oc.column('merchant_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow()
    // Checked on the row as saved, so "on, key kept" works and "on, key removed" does not; thrown inside the
    // transaction, it writes nothing.
    if (row.enabled && row.api_key === null) throw new MissingKeyError()
    return row
  })
}

export class MissingKeyError extends Error {
  constructor() {
    super('Enter the API key before turning AI answers on')
    this.name = 'MissingKeyError'
  }
}

function hintOf(key: string): string {
  return key.length >= MIN_LENGTH_FOR_HINT ? key.slice(-4) : ''
}

/** The stored key, opened; null when none is stored. Throws when it does not open (key not configured). */
export function openLlmApiKey(keyring: Keyring, row: Pick<LlmSettingsRow, 'merchant_id' | 'api_key'>) {
  if (row.api_key === null) return null
  // A plain value (written by hand) is taken as it is, like a plain channel secret.
  return isSealed(row.api_key) ? keyring.open(row.api_key, keyContext(row.merchant_id)) : row.api_key
}

/**
 * The merchant's endpoint when AI answers are on and usable, else null (off, no key, or a key that no longer
 * opens: then the catalogue answers, as when the AI is down).
 */
export async function loadLlmAnswerConfig(
  db: Db,
  config: Pick<RuntimeConfig, 'keyring'>,
  merchantId: string,
): Promise<LlmAnswerConfig | null> {
  const row = await readLlmSettingsRow(db, merchantId)
  return row ? llmAnswerConfigOf(config.keyring, row) : null
}

export function llmAnswerConfigOf(keyring: Keyring, row: LlmSettingsRow): LlmAnswerConfig | null {
  if (!row.enabled || row.base_url === '' || row.model === '') return null
  let apiKey: string | null
  try {
    apiKey = openLlmApiKey(keyring, row)
  } catch {
    return null
  }
  if (!apiKey) return null
  return {
    endpoint: { baseUrl: row.base_url, apiKey, model: row.model },
    stream: row.stream,
    inputPricePer1k: Number(row.input_price_per_1k),
    outputPricePer1k: Number(row.output_price_per_1k),
    currency: row.currency,
  }
}

const answersOn = fixedStatement<[string], { on: boolean }>(1, (db, merchantId) =>
  db
    .selectFrom('llm_settings')
    .select(sql<boolean>`enabled and api_key is not null and base_url <> '' and model <> ''`.as('on'))
    .where('merchant_id', '=', merchantId),
)

/** Is AI answers on for the merchant? One indexed read (every inbound batch makes it), for the step's product answers. */
export async function llmAnswersEnabled(db: Db, merchantId: string): Promise<boolean> {
  const [row] = await answersOn.execute(db, merchantId)
  return row?.on === true
}
