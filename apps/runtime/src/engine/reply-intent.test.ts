import { classifyIntentByRules } from '@parley/flow'
import { describe, expect, it } from 'vitest'
import { optOutKeywordsOf } from '../policy/keyword-packs.ts'
import { replyIntentOf, rulesIntentWithDefaultWords } from './reply-intent.ts'

const merchants = {
  english: { keyword_languages: ['en'], opt_out_keywords: [], opt_in_keywords: [] },
  germanWithOwnWords: {
    keyword_languages: ['de'],
    opt_out_keywords: ['HALT', 'NO MORE'],
    opt_in_keywords: [],
  },
  noPacks: { keyword_languages: [], opt_out_keywords: [], opt_in_keywords: [] },
}

const texts = [
  'where is my order',
  'wo ist meine Bestellung?',
  'stop',
  'Stop all!',
  'halt',
  'HALT.',
  'no more',
  'stopp',
  'abmelden',
  'can I talk to someone',
  'I want to return these shoes',
  'no thanks',
  'hi',
  '   ',
  '1004',
  'do you have it in blue?',
  'the zip came off on day two',
  // Opt-out words padded to the edge of what is classified whole, and past it.
  `HALT${' '.repeat(994)}.`,
  `HALT${' '.repeat(990)}x`,
  `HALT${' '.repeat(1500)}x`,
  `HALT${' '.repeat(2495)}x`,
  `HALT${' '.repeat(1995)}.`,
  `HALT${' '.repeat(1996)}.`,
  `HALT${' '.repeat(1995)}x`,
  `HALT${' '.repeat(1996)}x`,
  `where is my order ${'please '.repeat(300)}`,
]

describe('replyIntentOf', () => {
  it("answers what the rules answer with the merchant's opt-out words, whether or not the pre-check asked first", () => {
    for (const [name, merchant] of Object.entries(merchants)) {
      for (const text of texts) {
        const expected = classifyIntentByRules(text, { optOutKeywords: optOutKeywordsOf(merchant) })
        expect(replyIntentOf(merchant, { text }), `${name}: ${text.slice(0, 30)}`).toBe(expected)
        const checked = { text }
        rulesIntentWithDefaultWords(checked)
        expect(replyIntentOf(merchant, checked), `${name} after the pre-check: ${text.slice(0, 30)}`).toBe(
          expected,
        )
      }
    }
  })

  it("reads a merchant's own opt-out word as stop although the pre-check's default words did not", () => {
    const msg = { text: 'halt' }
    expect(rulesIntentWithDefaultWords(msg)).not.toBe('stop')
    expect(replyIntentOf(merchants.germanWithOwnWords, msg)).toBe('stop')
    expect(replyIntentOf(merchants.english, msg)).toBe(classifyIntentByRules('halt'))
  })

  it('classifies a message whose text changed after the pre-check anew, and keeps an intent the LLM found', () => {
    const msg = { text: 'hi' }
    rulesIntentWithDefaultWords(msg)
    msg.text = 'where is my order'
    expect(replyIntentOf(merchants.english, msg)).toBe('order_status')
    expect(replyIntentOf(merchants.english, { text: 'the zip came off', intent: 'return' })).toBe('return')
  })
})
