import { describe, expect, it } from 'vitest'
import { isOptInMessage, isOptOutMessage, withoutTrailingPunctuation } from './opt-out-keywords.ts'

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
  it('normalises a keyword as it normalises the message, however many keywords it has seen', () => {
    // Keywords as a caller may pass them (not upper-cased, spaced, punctuated): each matches as normalised.
    expect(isOptOutMessage('leave  me alone', [' Leave me   alone! '])).toBe(true)
    expect(isOptOutMessage('leave me', [' Leave me   alone! '])).toBe(false)
    // More distinct keywords than are kept normalised at once: still each one's own normal form.
    for (let i = 0; i < 3000; i++) {
      expect(isOptOutMessage(`halt ${i}`, [`halt  ${i}.`])).toBe(true)
      expect(isOptOutMessage(`halt ${i}`, [`halt ${i + 1}`])).toBe(false)
    }
    expect(isOptOutMessage('stop', [])).toBe(true)
  })
})

describe('keyword matching on long messages', () => {
  const spaces = (n: number) => ' '.repeat(n)

  it('matches across 100,000 spaces', () => {
    expect(isOptOutMessage(`STOP${spaces(100_000)}!`, [])).toBe(true)
    expect(isOptOutMessage(`stop${'. '.repeat(50_000)}`, [])).toBe(true)
    expect(isOptOutMessage(`no${spaces(100_000)}more messages`, ['NO MORE MESSAGES'])).toBe(true)
    // Spaces followed by something else: where the old /[.!\s]+$/ tried every start in the run.
    expect(isOptOutMessage(`STOP${spaces(100_000)}x`, [])).toBe(false)
    expect(isOptOutMessage(spaces(100_000), [])).toBe(false)
    expect(withoutTrailingPunctuation(`a${spaces(100_000)}b`)).toBe(`a${spaces(100_000)}b`)
    expect(withoutTrailingPunctuation(`a. !${spaces(100_000)}`)).toBe('a')
  })

  it('takes time in proportion to the length (10x the spaces, about 10x the time, not 100x)', () => {
    // The best of several runs of each size, so a pause of the machine does not count: a linear matcher gives
    // a ratio near 10, a quadratic one near 100; the bound sits between with room for noise on either side.
    const bestOf = (text: string) => {
      let best = Number.POSITIVE_INFINITY
      for (let i = 0; i < 15; i++) {
        const start = performance.now()
        isOptOutMessage(text, ['NO MORE MESSAGES'])
        best = Math.min(best, performance.now() - start)
      }
      return best
    }
    bestOf(`STOP${spaces(1_000)}x`) // warm up the JIT
    const small = bestOf(`STOP${spaces(10_000)}x`)
    const large = bestOf(`STOP${spaces(100_000)}x`)
    expect(large / Math.max(small, 0.001)).toBeLessThan(35)
  })
})
