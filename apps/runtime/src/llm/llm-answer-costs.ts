// SQL of AI-answer costs: one row per answer attempt (tokens, cost, outcome), and their sums over a period for
// the Settings screen and the conversations report.
import type { AiAnswersUsage } from '@parley/api'
import type { LlmAnswerOutcome, LlmCallPurpose } from '@parley/db'
import { sql } from 'kysely'
import type { Db } from '../engine/step-transaction.ts'
import type { ChatUsage } from './chat-completion.ts'

export interface LlmAnswerRecord {
  /** An answer to a question (the default), or reading which intent a reply means. */
  purpose?: LlmCallPurpose
  merchantId: string
  runId: string | null
  conversationId: string | null
  nodeId: string
  model: string
  outcome: LlmAnswerOutcome
  reason: string | null
  usage: ChatUsage | null
  inputPricePer1k: number
  outputPricePer1k: number
  currency: string
  latencyMs: number
  at: Date
}

/** Tokens priced per 1,000, rounded to a millionth (the column's scale). */
export function llmAnswerCost(
  usage: ChatUsage | null,
  inputPricePer1k: number,
  outputPricePer1k: number,
): number {
  if (!usage) return 0
  const cost = (usage.inputTokens / 1000) * inputPricePer1k + (usage.outputTokens / 1000) * outputPricePer1k
  return Math.round(cost * 1e6) / 1e6
}

export async function recordLlmAnswer(db: Db, record: LlmAnswerRecord): Promise<void> {
  await db
    .insertInto('llm_answers')
    .values({
      merchant_id: record.merchantId,
      run_id: record.runId,
      conversation_id: record.conversationId,
      node_id: record.nodeId,
      model: record.model,
      outcome: record.outcome,
      purpose: record.purpose ?? 'answer',
      reason: record.reason,
      input_tokens: record.usage?.inputTokens ?? 0,
      output_tokens: record.usage?.outputTokens ?? 0,
      tokens_estimated: record.usage?.estimated ?? false,
      cost: llmAnswerCost(record.usage, record.inputPricePer1k, record.outputPricePer1k),
      currency: record.currency,
      latency_ms: Math.max(0, Math.round(record.latencyMs)),
      created_at: record.at,
    })
    .execute()
}

/**
 * Answer attempts and outcomes, replies read for their intent, and the tokens and cost of both in [from, to). Costs in several currencies (the merchant changed it) are
 * summed in the latest one's name: a merchant picks one currency for their AI bill.
 */
export async function llmAnswerUsage(
  db: Db,
  merchantId: string,
  from: Date,
  to: Date,
  fallbackCurrency: string,
): Promise<AiAnswersUsage> {
  const row = await db
    .selectFrom('llm_answers')
    .select([
      sql<number>`(count(*) filter (where purpose = 'answer'))::int`.as('attempts'),
      sql<number>`(count(*) filter (where purpose = 'answer' and outcome = 'answered'))::int`.as('answered'),
      sql<number>`(count(*) filter (where purpose = 'intent'))::int`.as('intentChecks'),
      sql<number>`coalesce(sum(input_tokens), 0)::bigint`.as('inputTokens'),
      sql<number>`coalesce(sum(output_tokens), 0)::bigint`.as('outputTokens'),
      sql<string>`coalesce(sum(cost), 0)::text`.as('cost'),
      sql<string | null>`(array_agg(currency order by created_at desc))[1]`.as('currency'),
    ])
    .where('merchant_id', '=', merchantId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .executeTakeFirst()
  const attempts = Number(row?.attempts ?? 0)
  const answered = Number(row?.answered ?? 0)
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    attempts,
    answered,
    fallbacks: attempts - answered,
    intentChecks: Number(row?.intentChecks ?? 0),
    inputTokens: Number(row?.inputTokens ?? 0),
    outputTokens: Number(row?.outputTokens ?? 0),
    cost: Math.round(Number(row?.cost ?? 0) * 1e6) / 1e6,
    currency: row?.currency ?? fallbackCurrency,
  }
}
