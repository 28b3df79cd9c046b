// The intent of a shopper's reply, decided once per inbound message before a waiting run steps on it: the one the
// optional LLM found before the step (llm/reply-intent-llm.ts), else the flow package's rules with the merchant's
// own opt-out words, so "stop" means what the opt-out policy means.
import type { Merchant } from '@parley/db'
import { classifyIntentByRules, type ReplyIntent } from '@parley/flow'
import type { InboundMessage } from '../channels/types.ts'
import { optOutKeywordsOf } from '../policy/keyword-packs.ts'

type IntentFacts = Pick<Merchant, 'keyword_languages' | 'opt_out_keywords' | 'opt_in_keywords'>

export function replyIntentOf(
  merchant: IntentFacts,
  msg: Pick<InboundMessage, 'text' | 'intent'>,
): ReplyIntent {
  return msg.intent ?? classifyIntentByRules(msg.text, { optOutKeywords: optOutKeywordsOf(merchant) })
}
