import type { AiAnswersUsage } from '@parley/api'
import { describe, expect, it } from 'vitest'
import { usageWords } from './ai-answers-section.tsx'

const month: AiAnswersUsage = {
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-12-01T00:00:00.000Z',
  attempts: 0,
  answered: 0,
  fallbacks: 0,
  intentChecks: 0,
  inputTokens: 0,
  outputTokens: 0,
  cost: 0,
  currency: 'EUR',
}

describe("the month's AI use in words", () => {
  it('says so when the AI was not used', () => {
    expect(usageWords(month)).toBe('No AI answers this month yet.')
  })

  it('counts replies read for their meaning in the bill, even with no answers', () => {
    const words = usageWords({ ...month, intentChecks: 3, inputTokens: 1260, outputTokens: 108, cost: 0.79 })
    expect(words).toMatch(/^This month: 3 replies read by the AI to tell what the shopper meant; 1,260 input/)
    expect(words).toContain('€0.79')
    expect(words).not.toContain('questions sent')
  })

  it('names answers and replies read side by side', () => {
    const words = usageWords({ ...month, attempts: 2, answered: 1, fallbacks: 1, intentChecks: 1, cost: 0.5 })
    expect(words).toMatch(
      /^This month: 2 questions sent to the AI, 1 answered by it, 1 answered from the catalogue instead; 1 reply read by the AI/,
    )
  })
})
