// The merchant's effective opt-out / opt-in words (the language packs they switched on plus their own words) and
// the confirmation texts, read from the merchant row. inbound.ts decides with these; the Settings screen shows
// the same packs (@parley/api `keywordPacks`).
import { type KeywordLanguage, keywordPacks } from '@parley/api'
import type { Merchant } from '@parley/db'

export const OPT_OUT_CONFIRMATION =
  "You're unsubscribed and won't get more messages from us. Reply START to subscribe again."
export const OPT_IN_CONFIRMATION = "You're subscribed again. Reply STOP at any time to unsubscribe."

type KeywordFacts = Pick<Merchant, 'keyword_languages' | 'opt_out_keywords' | 'opt_in_keywords'>

function packs(merchant: KeywordFacts) {
  return merchant.keyword_languages.flatMap((language) =>
    language in keywordPacks ? [keywordPacks[language as KeywordLanguage]] : [],
  )
}

/** @example optOutKeywordsOf({ keyword_languages: ['de'], opt_out_keywords: [] }) // ['ABMELDEN', 'STOPP', ...] */
export function optOutKeywordsOf(merchant: KeywordFacts): string[] {
  return [...packs(merchant).flatMap((p) => p.optOut), ...merchant.opt_out_keywords]
}

export function optInKeywordsOf(merchant: KeywordFacts): string[] {
  return [...packs(merchant).flatMap((p) => p.optIn), ...merchant.opt_in_keywords]
}

export function optOutConfirmationOf(merchant: Pick<Merchant, 'opt_out_confirmation'>): string {
  return merchant.opt_out_confirmation ?? OPT_OUT_CONFIRMATION
}

export function optInConfirmationOf(merchant: Pick<Merchant, 'opt_in_confirmation'>): string {
  return merchant.opt_in_confirmation ?? OPT_IN_CONFIRMATION
}
