import { describe, expect, it } from 'vitest'
import { intentFromAnswer, intentPrompt } from './llm-intent.ts'

describe('the LLM fallback for intents', () => {
  it('reads exactly one listed label, nothing else', () => {
    expect(intentFromAnswer('wants_person')).toBe('wants_person')
    expect(intentFromAnswer(' Order_Status.\n')).toBe('order_status')
    expect(intentFromAnswer('"return"')).toBe('return')
    expect(intentFromAnswer('unknown')).toBe('unknown')
    // Not in the list, a sentence, or opt-out: never a path the rules do not allow.
    expect(intentFromAnswer('stop')).toBe('unknown')
    expect(intentFromAnswer('The shopper wants_person')).toBe('unknown')
    expect(intentFromAnswer('refund')).toBe('unknown')
    expect(intentFromAnswer('')).toBe('unknown')
  })

  it('lists every label once and keeps the reply as the user message, capped', () => {
    const [system, user] = intentPrompt(`the zip broke ${'x'.repeat(5000)}`)
    for (const label of [
      'wants_person',
      'order_status',
      'return',
      'question',
      'not_interested',
      'greeting',
    ]) {
      expect(system!.content.split(`- ${label}:`)).toHaveLength(2)
    }
    expect(system!.content).not.toContain('the zip broke')
    expect(user).toMatchObject({ role: 'user' })
    expect(user!.content.startsWith('the zip broke')).toBe(true)
    expect(user!.content.length).toBe(1000)
  })
})
