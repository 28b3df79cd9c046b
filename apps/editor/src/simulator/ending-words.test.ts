import { describe, expect, it } from 'vitest'
import { endingWords } from './ending-words.ts'

describe('endingWords', () => {
  it('says how a conversation ended in words, never the outcome key', () => {
    expect(endingWords('assisted')).toBe('Ended: handed to your team')
    expect(endingWords('recovered')).toBe('Ended: the cart was recovered')
    expect(endingWords('completed')).toBe('Ended')
    expect(endingWords(null)).toBe('Ended')
    expect(endingWords('size_sorted')).toBe('Ended: size sorted')
    for (const key of ['resolved_by_staff', 'not_recovered', 'no_reply', 'handed_back', 'opted_out'])
      expect(endingWords(key)).not.toMatch(/_/)
  })
})
