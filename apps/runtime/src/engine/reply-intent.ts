// The intent of a shopper's reply, decided once per inbound message before a waiting run steps on it: the flow
// package's rules with the merchant's own opt-out words, so "stop" means what the opt-out policy means.
import type { Merchant } from '@parley/db'
import { classifyIntentByRules, type ReplyIntent } from '@parley/flow'
import { optOutKeywordsOf } from '../policy/keyword-packs.ts'

type IntentFacts = Pick<Merchant, 'keyword_languages' | 'opt_out_keywords'>

export function replyIntentOf(merchant: IntentFacts, text: string): ReplyIntent {
  return classifyIntentByRules(text, { optOutKeywords: optOutKeywordsOf(merchant) })
}
