// The intent of a shopper's reply, decided once per inbound message before a waiting run steps on it: the one the
// optional LLM found before the step (llm/reply-intent-llm.ts), else the flow package's rules with the merchant's
// own opt-out words, so "stop" means what the opt-out policy means.
import type { Merchant } from '@parley/db'
import { classifyIntentByRules, isOptOutMessage, MAX_CLASSIFIED_CHARS, type ReplyIntent } from '@parley/flow'
import type { InboundMessage } from '../channels/types.ts'
import { optOutKeywordsOf } from '../policy/keyword-packs.ts'

type IntentFacts = Pick<Merchant, 'keyword_languages' | 'opt_out_keywords' | 'opt_in_keywords'>
type Reply = Pick<InboundMessage, 'text' | 'intent'>

/**
 * The rules' answer with only the default opt-out words, by message, where the LLM's pre-check
 * (llm/reply-intent-llm.ts) already asked for it before the step: see `replyIntentOf`.
 */
const withDefaultWords = new WeakMap<Reply, { text: string; intent: ReplyIntent }>()

/** `classifyIntentByRules(msg.text)` (the default opt-out words), remembered for the message's `replyIntentOf`. */
export function rulesIntentWithDefaultWords(msg: Reply): ReplyIntent {
  const intent = classifyIntentByRules(msg.text)
  withDefaultWords.set(msg, { text: msg.text, intent })
  return intent
}

export function replyIntentOf(merchant: IntentFacts, msg: Reply): ReplyIntent {
  if (msg.intent) return msg.intent
  const optOutKeywords = optOutKeywordsOf(merchant)
  // The opt-out words decide only the rules' first answer ('stop'), and the merchant's include the default ones:
  // a text that is no opt-out with the merchant's words gets from the rules what it got with the default words.
  // Classifying it again cost ~1.5 % of the runtime's CPU per inbound message (BENCHMARKS.md session 14).
  const known = withDefaultWords.get(msg)
  if (
    known?.text === msg.text &&
    // A longer text the rules classify by its start only, so their opt-out check is not this whole-text one.
    msg.text.length <= MAX_CLASSIFIED_CHARS &&
    !isOptOutMessage(msg.text, optOutKeywords)
  )
    return known.intent
  return classifyIntentByRules(msg.text, { optOutKeywords })
}
