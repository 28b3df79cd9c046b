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

interface EffectiveKeywords {
  /** The arrays the lists were built from: a row given other arrays is built again. */
  languages: KeywordFacts['keyword_languages']
  ownOptOut: KeywordFacts['opt_out_keywords']
  ownOptIn: KeywordFacts['opt_in_keywords']
  optOut: readonly string[]
  optIn: readonly string[]
}

/**
 * A merchant row's effective lists, built once per row object: an inbound message asks for them two or three times
 * (opt-out, opt-in, the reply's intent) and a batch's messages share their merchant's row (read once per
 * transaction), so rebuilding them per ask was ~1 % of the runtime's CPU per message (BENCHMARKS.md session 14).
 * Weakly held: a row's lists go with the row.
 */
const effective = new WeakMap<KeywordFacts, EffectiveKeywords>()

function effectiveKeywords(merchant: KeywordFacts): EffectiveKeywords {
  const known = effective.get(merchant)
  if (
    known &&
    known.languages === merchant.keyword_languages &&
    known.ownOptOut === merchant.opt_out_keywords &&
    known.ownOptIn === merchant.opt_in_keywords
  )
    return known
  const languagePacks = packs(merchant)
  const built: EffectiveKeywords = {
    languages: merchant.keyword_languages,
    ownOptOut: merchant.opt_out_keywords,
    ownOptIn: merchant.opt_in_keywords,
    optOut: Object.freeze([...languagePacks.flatMap((p) => p.optOut), ...merchant.opt_out_keywords]),
    optIn: Object.freeze([...languagePacks.flatMap((p) => p.optIn), ...merchant.opt_in_keywords]),
  }
  effective.set(merchant, built)
  return built
}

/** @example optOutKeywordsOf({ keyword_languages: ['de'], opt_out_keywords: [] }) // ['ABMELDEN', 'STOPP', ...] */
export function optOutKeywordsOf(merchant: KeywordFacts): readonly string[] {
  return effectiveKeywords(merchant).optOut
}

export function optInKeywordsOf(merchant: KeywordFacts): readonly string[] {
  return effectiveKeywords(merchant).optIn
}

export function optOutConfirmationOf(merchant: Pick<Merchant, 'opt_out_confirmation'>): string {
  return merchant.opt_out_confirmation ?? OPT_OUT_CONFIRMATION
}

export function optInConfirmationOf(merchant: Pick<Merchant, 'opt_in_confirmation'>): string {
  return merchant.opt_in_confirmation ?? OPT_IN_CONFIRMATION
}
