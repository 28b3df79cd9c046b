import { describe, expect, it } from 'vitest'
import { isOptInMessage, isOptOutMessage } from './keywords.ts'

describe('opt-out and opt-in keywords', () => {
  it('matches the whole message, any case, trailing punctuation allowed', () => {
    for (const text of ['STOP', 'stop', ' Stop. ', 'unsubscribe!', 'Unsubscribe']) {
      expect(isOptOutMessage(text, [])).toBe(true)
    }
    expect(isOptOutMessage('stop sending me the blue one', [])).toBe(false)
    expect(isOptOutMessage('', [])).toBe(false)
  })
  it("adds the merchant's own words", () => {
    expect(isOptOutMessage('no more messages', ['NO MORE MESSAGES'])).toBe(true)
    expect(isOptInMessage('start', [])).toBe(true)
    expect(isOptInMessage('Resume', ['RESUME'])).toBe(true)
  })
})
