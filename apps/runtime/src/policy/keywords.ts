// Opt-out (STOP, UNSUBSCRIBE and the merchant's words) and opt-in (START) keywords: the whole trimmed message,
// case-insensitive, so "stop sending me the blue one" is a question, not an opt-out.

export const DEFAULT_OPT_OUT_KEYWORDS = ['STOP', 'UNSUBSCRIBE']
export const DEFAULT_OPT_IN_KEYWORDS = ['START']

export function normaliseKeyword(text: string): string {
  return text
    .trim()
    .replace(/[.!\s]+$/u, '')
    .replace(/\s+/gu, ' ')
    .toUpperCase()
}

export function matchesKeyword(text: string, keywords: readonly string[]): boolean {
  const said = normaliseKeyword(text)
  return said !== '' && keywords.some((k) => normaliseKeyword(k) === said)
}

/** STOP and UNSUBSCRIBE always count, whatever the merchant configured. */
export function isOptOutMessage(text: string, merchantKeywords: readonly string[]): boolean {
  return matchesKeyword(text, [...DEFAULT_OPT_OUT_KEYWORDS, ...merchantKeywords])
}

export function isOptInMessage(text: string, merchantKeywords: readonly string[]): boolean {
  return matchesKeyword(text, [...DEFAULT_OPT_IN_KEYWORDS, ...merchantKeywords])
}
