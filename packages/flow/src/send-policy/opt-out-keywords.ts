// Opt-out (STOP, UNSUBSCRIBE and the merchant's words) and opt-in (START) keywords: the whole trimmed message,
// case-insensitive, so "stop sending me the blue one" is a question, not an opt-out.

export const DEFAULT_OPT_OUT_KEYWORDS = ['STOP', 'UNSUBSCRIBE']
export const DEFAULT_OPT_IN_KEYWORDS = ['START']

export function normaliseKeyword(text: string): string {
  return withoutTrailingPunctuation(text.trim()).replace(/\s+/gu, ' ').toUpperCase()
}

/** One character at a time a regex may be asked about: linear however long the message. */
const TRAILING = /^[.!\s]$/u

/**
 * The text without its trailing dots, exclamation marks and white space. Written as a loop from the end because
 * `/[.!\s]+$/` is quadratic: on a long run of spaces followed by anything else, the regex engine tries every
 * start in the run and scans to its end each time (100,000 spaces took seconds of the event loop).
 */
export function withoutTrailingPunctuation(text: string): string {
  let end = text.length
  while (end > 0 && TRAILING.test(text[end - 1] as string)) end -= 1
  return text.slice(0, end)
}

/**
 * Keywords as `normaliseKeyword` leaves them, by their text. Every reply is checked against the same few words (the
 * merchant's packs and own words, three times a message: opt-out, opt-in and the reply's intent); normalising each
 * of them again per message was ~2 % of the runtime's CPU per inbound message (issue 9). Bounded: cleared when full.
 */
const normalisedKeywords = new Map<string, string>()
const MAX_NORMALISED_KEYWORDS = 1024

function normalisedKeyword(keyword: string): string {
  let normalised = normalisedKeywords.get(keyword)
  if (normalised === undefined) {
    normalised = normaliseKeyword(keyword)
    if (normalisedKeywords.size >= MAX_NORMALISED_KEYWORDS) normalisedKeywords.clear()
    normalisedKeywords.set(keyword, normalised)
  }
  return normalised
}

export function matchesKeyword(text: string, keywords: readonly string[]): boolean {
  const said = normaliseKeyword(text)
  return said !== '' && keywords.some((k) => normalisedKeyword(k) === said)
}

/** STOP and UNSUBSCRIBE always count, whatever the merchant configured. */
export function isOptOutMessage(text: string, merchantKeywords: readonly string[]): boolean {
  return matchesKeyword(text, [...DEFAULT_OPT_OUT_KEYWORDS, ...merchantKeywords])
}

export function isOptInMessage(text: string, merchantKeywords: readonly string[]): boolean {
  return matchesKeyword(text, [...DEFAULT_OPT_IN_KEYWORDS, ...merchantKeywords])
}
