// An AI product answer as an outbox job on the HTTP lane: the step answers from the catalogue as always, and when
// the merchant has AI answers on it queues this job instead of answering at once, carrying the question, the
// retrieved facts and the catalogue answer. After commit the lane asks the endpoint under a hard deadline, checks
// the answer against the facts, records tokens and cost, and hands the run the AI's words or, on anything less
// (slow, down, 429, 5xx, garbled, a price or stock claim not in the facts), the catalogue answer: no retries.
import type { JsonObject, NewOutboxEntry, OutboxEntry } from '@parley/db'
import type { EffectAnswer } from '@parley/flow'
import { answerLaneJob } from '../delivery/lane-answer.ts'
import type { RuntimeDeps } from '../deps.ts'
import type { AnswerFacts } from './answer-facts.ts'
import { checkGrounding } from './answer-grounding.ts'
import { requestChatCompletion } from './chat-completion.ts'
import { ANSWER_MAX_TOKENS, groundedPrompt } from './grounded-prompt.ts'
import { recordLlmAnswer } from './llm-answer-costs.ts'
import { loadLlmAnswerConfig } from './llm-settings.ts'

/**
 * How long the endpoint gets. A shopper's question must be answered within 3 s in all: the question's step,
 * the lane's claim, the answer's step and its delivery share the remaining second.
 */
export const LLM_ANSWER_DEADLINE_MS = 2_000

export interface CatalogueAnswer {
  text: string
  productIds: string[]
}

export interface LlmAnswerJob {
  kind: 'llm.answer'
  runId: string
  nodeId: string
  question: string
  /** The catalogue's own answer, sent when the AI's cannot be; null: the catalogue had no confident answer. */
  fallback: CatalogueAnswer | null
  facts: AnswerFacts
}

/** The outbox row of the job, on the conversation's channel (lane `http`, derived from the kind). */
export function llmAnswerJobRow(
  run: { merchant_id: string; id: string },
  conversation: { id: string; channel_id: string },
  job: Omit<LlmAnswerJob, 'kind' | 'runId'>,
  now: number,
): NewOutboxEntry {
  const payload: LlmAnswerJob = { kind: 'llm.answer', runId: run.id, ...job }
  return {
    merchant_id: run.merchant_id,
    run_id: run.id,
    conversation_id: conversation.id,
    channel_id: conversation.channel_id,
    payload: JSON.parse(JSON.stringify(payload)) as JsonObject,
    next_attempt_at: new Date(now),
    created_at: new Date(now),
    updated_at: new Date(now),
  }
}

type LlmDeps = Pick<RuntimeDeps, 'db' | 'egress' | 'config' | 'clock' | 'logger' | 'metrics'>

/** Where an AI answer came from: the run's `answer.source`, and what tests and transcripts can tell apart. */
export type AnswerSource = 'ai' | 'catalogue'

/**
 * The effect answer for the job: the AI's words when they came in time and hold up against the facts, else
 * the catalogue answer (or "no answer" when there was none). Records the attempt's tokens and cost.
 * @example const answer = await answerWithLlm(deps, row.merchant_id, row.conversation_id, job)
 */
export async function answerWithLlm(
  deps: LlmDeps,
  merchantId: string,
  conversationId: string | null,
  job: LlmAnswerJob,
  deadline: AbortSignal = AbortSignal.timeout(LLM_ANSWER_DEADLINE_MS),
): Promise<EffectAnswer> {
  const fallback = (): EffectAnswer =>
    job.fallback
      ? { ok: true, data: { ...job.fallback, source: 'catalogue' satisfies AnswerSource } }
      : { ok: false, data: { error: 'no_answer' } }
  const settings = await loadLlmAnswerConfig(deps.db, deps.config, merchantId)
  // Turned off (or the key removed) since the question was asked: the catalogue answers, nothing is spent.
  if (!settings) return fallback()
  const started = performance.now()
  const outcome = await requestChatCompletion(
    deps.egress,
    settings.endpoint,
    {
      messages: groundedPrompt(job.question, job.facts, job.fallback?.text ?? null),
      stream: settings.stream,
      maxTokens: ANSWER_MAX_TOKENS,
      temperature: 0.2,
    },
    deadline,
  )
  const latencyMs = performance.now() - started
  const verdict = outcome.ok ? checkGrounding(outcome.text, job.facts) : null
  const answered = outcome.ok && verdict?.grounded === true
  const reason = !outcome.ok ? outcome.failure : verdict && !verdict.grounded ? 'ungrounded' : null
  await recordLlmAnswer(deps.db, {
    merchantId,
    runId: job.runId,
    conversationId,
    nodeId: job.nodeId,
    model: settings.endpoint.model,
    outcome: answered ? 'answered' : 'fallback',
    reason,
    usage: outcome.ok ? outcome.usage : null,
    inputPricePer1k: settings.inputPricePer1k,
    outputPricePer1k: settings.outputPricePer1k,
    currency: settings.currency,
    latencyMs,
    at: new Date(deps.clock.now()),
  })
  deps.metrics.llmAnswers.inc({ outcome: answered ? 'answered' : 'fallback', reason: reason ?? 'none' })
  if (!outcome.ok) {
    deps.logger.warn('ai answer failed, catalogue answer used', {
      merchantId,
      runId: job.runId,
      failure: outcome.failure,
      error: outcome.message,
      latencyMs: Math.round(latencyMs),
    })
  } else if (verdict && !verdict.grounded) {
    // The claim is the model's words about the catalogue, not the shopper's: safe to log, and what to look at.
    deps.logger.warn('ai answer made a claim not in the facts, catalogue answer used', {
      merchantId,
      runId: job.runId,
      claim: verdict.claim,
    })
  }
  if (!answered || !outcome.ok) return fallback()
  return {
    ok: true,
    data: {
      text: outcome.text,
      productIds: job.fallback?.productIds ?? [],
      source: 'ai' satisfies AnswerSource,
    },
  }
}

/** Runs a claimed `llm.answer` job: the answer goes to its run as an `effect.result`, then the row settles. */
export async function runLlmAnswerJob(
  deps: RuntimeDeps,
  row: OutboxEntry,
  job: LlmAnswerJob,
): Promise<'sent' | 'failed'> {
  let answer: EffectAnswer
  try {
    answer = await answerWithLlm(deps, row.merchant_id, row.conversation_id, job)
  } catch (error) {
    // The cost row or the settings read failed (database trouble): the shopper still gets the catalogue answer.
    deps.logger.error('ai answer job failed, catalogue answer used', { outboxId: row.id, error })
    answer = job.fallback
      ? { ok: true, data: { ...job.fallback, source: 'catalogue' } }
      : { ok: false, data: { error: 'no_answer' } }
  }
  return answerLaneJob(deps, row, { runId: job.runId, nodeId: job.nodeId }, answer)
}
