// The optional LLM for reply intents: when the rules cannot place a shopper's reply ("the zip came off on day
// two"), a run is waiting for that shopper's reply and the merchant has AI answers configured, the endpoint is
// asked once, before the step transaction (the step never waits on the network), under a short deadline. Slow,
// down, rate-limited or unreadable: the reply stays `unknown` ("Anything else"), exactly as without the LLM.
import { INTENT_MAX_TOKENS, intentFromAnswer, intentPrompt, type ReplyIntent } from '@parley/flow'
import type { InboundMessage } from '../channels/types.ts'
import type { RuntimeDeps } from '../deps.ts'
import { replyIntentOf, rulesIntentWithDefaultWords } from '../engine/reply-intent.ts'
import { waitsForReplySql } from '../engine/run-store.ts'
import type { Db } from '../engine/step-transaction.ts'
import { requestChatCompletion } from './chat-completion.ts'
import { recordLlmAnswer } from './llm-answer-costs.ts'
import { llmAnswersEnabled, loadLlmAnswerConfig } from './llm-settings.ts'

/** The shopper is waiting on our reply meanwhile: a second and a half, then the rules' `unknown` stands. */
export const LLM_INTENT_DEADLINE_MS = 1_500

/** The run waiting for this sender's reply on this channel, if any. One indexed read through their identity. */
async function runAwaitingReply(
  db: Db,
  msg: InboundMessage,
): Promise<{ id: string; conversationId: string | null } | null> {
  const row = await db
    .selectFrom('contact_identities as i')
    .innerJoin('runs as r', (join) =>
      join.onRef('r.merchant_id', '=', 'i.merchant_id').onRef('r.contact_id', '=', 'i.contact_id'),
    )
    .select(['r.id', 'r.conversation_id'])
    .where('i.merchant_id', '=', msg.merchantId)
    .where('i.channel_id', '=', msg.channelId)
    .where('i.external_id', '=', msg.sender.externalId)
    .where(waitsForReplySql('r'))
    .limit(1)
    .executeTakeFirst()
  return row ? { id: row.id, conversationId: row.conversation_id } : null
}

/**
 * The message with the intent the LLM found, when the rules alone say `unknown` and asking is worth it; otherwise
 * the message as it came (the step then applies the rules, inbound.ts).
 */
export async function withLlmReplyIntent(
  deps: RuntimeDeps,
  msg: InboundMessage,
  enabled: (merchantId: string) => Promise<boolean> = (merchantId) => llmAnswersEnabled(deps.db, merchantId),
): Promise<InboundMessage> {
  if (msg.intent || msg.buttonId || msg.command || msg.text.trim() === '') return msg
  const db: Db = deps.db
  // Cheapest first: most replies the rules place without reading anything; then no AI configured, no LLM (one
  // indexed read); then the merchant's own opt-out words and a run waiting for the reply.
  if (rulesIntentWithDefaultWords(msg) !== 'unknown') return msg
  if (!(await enabled(msg.merchantId))) return msg
  const merchant = await db
    .selectFrom('merchants')
    .select(['keyword_languages', 'opt_out_keywords', 'opt_in_keywords'])
    .where('id', '=', msg.merchantId)
    .executeTakeFirst()
  if (!merchant || replyIntentOf(merchant, msg) !== 'unknown') return msg
  const run = await runAwaitingReply(db, msg)
  if (!run) return msg
  const intent = await askLlmForIntent(deps, msg.merchantId, msg.text, run)
  return intent === 'unknown' ? msg : { ...msg, intent }
}

/**
 * withLlmReplyIntent for the messages of one inbound batch, in order. Whether a merchant has AI answers on is
 * read once per merchant in the batch, not once per message: free text the rules cannot place is most of what
 * shoppers write, so that read was a statement (and a pool checkout) of its own for nearly every message.
 */
export function withLlmReplyIntents(deps: RuntimeDeps, msgs: InboundMessage[]): Promise<InboundMessage[]> {
  const enabled = new Map<string, Promise<boolean>>()
  const enabledOnce = (merchantId: string) => {
    let answer = enabled.get(merchantId)
    if (!answer) {
      answer = llmAnswersEnabled(deps.db, merchantId)
      enabled.set(merchantId, answer)
    }
    return answer
  }
  return Promise.all(msgs.map((msg) => withLlmReplyIntent(deps, msg, enabledOnce)))
}

/**
 * Asks the merchant's model which intent `text` means. Every call is recorded with its tokens and cost (purpose
 * `intent`), whatever came of it, so the AI bill on the Settings screen is whole.
 */
export async function askLlmForIntent(
  deps: RuntimeDeps,
  merchantId: string,
  text: string,
  run: { id: string; conversationId: string | null } | null = null,
): Promise<ReplyIntent> {
  const settings = await loadLlmAnswerConfig(deps.db, deps.config, merchantId)
  if (!settings) return 'unknown'
  const started = performance.now()
  const outcome = await requestChatCompletion(
    deps.egress,
    settings.endpoint,
    { messages: intentPrompt(text), stream: false, maxTokens: INTENT_MAX_TOKENS, temperature: 0 },
    AbortSignal.timeout(LLM_INTENT_DEADLINE_MS),
  )
  const intent = outcome.ok ? intentFromAnswer(outcome.text) : 'unknown'
  await recordLlmAnswer(deps.db, {
    purpose: 'intent',
    merchantId,
    runId: run?.id ?? null,
    conversationId: run?.conversationId ?? null,
    // An intent check belongs to no step of its own: the waiting step takes the path the intent names.
    nodeId: '',
    model: settings.endpoint.model,
    outcome: intent === 'unknown' ? 'fallback' : 'answered',
    reason: outcome.ok ? (intent === 'unknown' ? 'unknown_intent' : null) : outcome.failure,
    usage: outcome.ok ? outcome.usage : null,
    inputPricePer1k: settings.inputPricePer1k,
    outputPricePer1k: settings.outputPricePer1k,
    currency: settings.currency,
    latencyMs: performance.now() - started,
    at: new Date(deps.clock.now()),
  })
  if (!outcome.ok) {
    deps.logger.info('reply intent: the LLM gave no answer, the rules stand', {
      merchantId,
      failure: outcome.failure,
    })
  }
  return intent
}
