import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  type EffectHandlers,
  type EffectPort,
  effectHandlers,
  performEffects,
  performEffectsNow,
  type SyncEffectPort,
} from './effect-handlers.ts'
import type { Effect, EffectType } from './effects.ts'

const send = (nodeId: string, text: string): Effect => ({
  type: 'send',
  nodeId,
  message: { text },
  purpose: 'service',
})

function recordingPort(log: string[]): SyncEffectPort {
  return {
    send: (effect, exemption) => {
      log.push(`send ${effect.message.text} ${exemption}`)
    },
    escalate: (effect) => {
      log.push(`escalate ${effect.queue}`)
    },
    lookupOrder: (effect) => (effect.orderNumber === '1001' ? { number: '1001' } : null),
    answerProductQuestion: (_effect, productIds) => (productIds.length > 0 ? { text: productIds[0] } : null),
    requestHttp: (effect) =>
      effect.url.startsWith('https:') ? 'queued' : { ok: false, data: { error: 'x' } },
    offerIncentive: (effect) => {
      log.push(`incentive ${effect.code}`)
    },
  }
}

describe('effect handlers', () => {
  it('has one handler per effect kind: a kind without one fails typecheck', () => {
    expectTypeOf<keyof EffectHandlers>().toEqualTypeOf<EffectType>()
    const { 'incentive.offered': _dropped, ...incomplete } = effectHandlers
    // @ts-expect-error: the registry must name every effect kind
    const missing: EffectHandlers = incomplete
    expect(Object.keys(missing)).not.toContain('incentive.offered')
    expect(Object.keys(effectHandlers).sort()).toEqual(
      ['escalate', 'http.request', 'incentive.offered', 'order.lookup', 'product.answer', 'send'].sort(),
    )
  })

  it('performs in order; a send from the escalating node is the hand-off note', () => {
    const log: string[] = []
    const answers = performEffectsNow(
      [
        send('a', 'hello'),
        send('esc', 'a person will reply'),
        { type: 'escalate', nodeId: 'esc', queue: 'support', summary: '', fields: {} },
        { type: 'incentive.offered', nodeId: 'i', code: 'SAVE10' },
      ],
      recordingPort(log),
      {},
    )
    expect(log).toEqual([
      'send hello none',
      'send a person will reply handoff',
      'escalate support',
      'incentive SAVE10',
    ])
    expect(answers).toEqual([])
  })

  it('answers look-ups now (no data is a failure) and an HTTP request only when it cannot be queued', () => {
    const answers = performEffectsNow(
      [
        { type: 'order.lookup', nodeId: 'o1', orderNumber: '1001' },
        { type: 'order.lookup', nodeId: 'o2', orderNumber: '9' },
        { type: 'product.answer', nodeId: 'p', question: 'blue?' },
        { type: 'http.request', nodeId: 'h1', method: 'GET', url: 'https://x', headers: {}, timeoutMs: 1 },
        { type: 'http.request', nodeId: 'h2', method: 'GET', url: 'http://x', headers: {}, timeoutMs: 1 },
      ],
      recordingPort([]),
      { cart: { items: [{ productId: 'shirt' }, { title: 'no id' }] } },
    )
    expect(answers).toEqual([
      { type: 'effect.result', nodeId: 'o1', ok: true, data: { number: '1001' } },
      { type: 'effect.result', nodeId: 'o2', ok: false, data: null },
      { type: 'effect.result', nodeId: 'p', ok: true, data: { text: 'shirt' } },
      { type: 'effect.result', nodeId: 'h2', ok: false, data: { error: 'x' } },
    ])
  })

  it('keeps the order when the port is asynchronous', async () => {
    const log: string[] = []
    const sync = recordingPort(log)
    const port: EffectPort = {
      ...sync,
      send: async (effect, exemption) => {
        await new Promise((r) => setTimeout(r, effect.message.text === 'slow' ? 5 : 0))
        sync.send(effect, exemption)
      },
      lookupOrder: async (effect) => sync.lookupOrder(effect),
    }
    const answers = await performEffects(
      [send('a', 'slow'), { type: 'order.lookup', nodeId: 'o', orderNumber: '1001' }, send('b', 'fast')],
      port,
      {},
    )
    expect(log).toEqual(['send slow none', 'send fast none'])
    expect(answers).toEqual([{ type: 'effect.result', nodeId: 'o', ok: true, data: { number: '1001' } }])
  })
})
