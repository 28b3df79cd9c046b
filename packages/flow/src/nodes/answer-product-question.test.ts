import { describe, expect, it } from 'vitest'
import {
  answerProductQuestion,
  answerProductQuestionDefaults,
  answerText,
} from './answer-product-question.ts'
import { EFFECT_RESULT_TIMEOUT_MS } from './effect-wait.ts'
import { runNode, T0 } from './node-test-kit.ts'

describe('answer-product-question', () => {
  it('parses its defaults and counts the answer as a send when it sends it', () => {
    expect(answerProductQuestion.configSchema.parse(answerProductQuestionDefaults)).toEqual({
      sendAnswer: true,
    })
    expect(answerProductQuestion.handles(answerProductQuestionDefaults).map((h) => h.id)).toEqual([
      'answered',
      'unanswered',
    ])
    expect(answerProductQuestion.facts({ sendAnswer: true })).toMatchObject({
      sends: 1,
      writes: ['answer'],
      waits: true,
    })
    expect(answerProductQuestion.facts({ sendAnswer: false }).sends).toBe(0)
  })

  it('asks the host about the last reply, stores and sends the answer', () => {
    const run = runNode('answer-product-question', {}, { vars: { reply: 'Is the mug dishwasher safe?' } })
    expect(run.last.effects).toEqual([
      { type: 'product.answer', nodeId: 'n', question: 'Is the mug dishwasher safe?' },
    ])
    const result = run.send({ type: 'effect.result', nodeId: 'n', ok: true, data: { text: 'Yes, it is.' } })
    expect(result.effects).toEqual([
      { type: 'send', nodeId: 'n', purpose: 'service', message: { text: 'Yes, it is.' } },
    ])
    expect(run.outcome).toBe('answered')
  })

  it('sends the card of the product the answer is about with it', () => {
    const run = runNode('answer-product-question', {}, { vars: { reply: 'Is the hoodie in M?' } })
    const card = { title: 'Classic Hoodie', productId: 'p1', price: 59, currency: 'USD' }
    const data = { text: 'M is in stock in Navy.', productIds: ['p1'], cards: [card] }
    expect(run.send({ type: 'effect.result', nodeId: 'n', ok: true, data }).effects).toEqual([
      {
        type: 'send',
        nodeId: 'n',
        purpose: 'service',
        message: { text: 'M is in stock in Navy.', product: card },
      },
    ])
  })

  it('stays quiet when not sending, and goes unanswered on failure or timeout', () => {
    const quiet = runNode('answer-product-question', { sendAnswer: false }, { vars: { reply: 'q' } })
    expect(quiet.send({ type: 'effect.result', nodeId: 'n', ok: true, data: 'A' }).effects).toEqual([])
    expect((quiet.snapshot.context as { vars: Record<string, unknown> }).vars.answer).toBe('A')
    const failed = runNode('answer-product-question', {}, { vars: { reply: 'q' } })
    failed.send({ type: 'effect.result', nodeId: 'n', ok: false })
    expect(failed.outcome).toBe('unanswered')
    const silent = runNode('answer-product-question', {}, { vars: { reply: 'q' } })
    silent.advanceTo(T0 + EFFECT_RESULT_TIMEOUT_MS)
    expect(silent.outcome).toBe('unanswered')
    expect(answerText(42)).toBe('')
  })
})
