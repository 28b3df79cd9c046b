import { describe, expect, it } from 'vitest'
import { EFFECT_RESULT_TIMEOUT_MS } from './effect-wait.ts'
import { lookupOrder, lookupOrderDefaults } from './lookup-order.ts'
import { runNode, T0 } from './node-test-kit.ts'

describe('lookup-order', () => {
  it('parses its defaults and writes the order', () => {
    expect(lookupOrder.configSchema.parse(lookupOrderDefaults)).toEqual(lookupOrderDefaults)
    expect(lookupOrder.handles(lookupOrderDefaults).map((h) => h.id)).toEqual(['found', 'not_found'])
    expect(lookupOrder.facts(lookupOrderDefaults)).toMatchObject({ waits: true, writes: ['order'] })
    expect(lookupOrder.templates(lookupOrderDefaults)).toEqual(['{{order_number}}'])
    expect(
      lookupOrder.check(lookupOrderDefaults, { nodeId: 'n', nodeLabel: 'x', channels: ['webchat'] }),
    ).toEqual([])
  })

  it('looks up the number from the variable and stores the order found', () => {
    const run = runNode('lookup-order', {}, { vars: { order_number: 'A1042' } })
    expect(run.last.effects).toEqual([{ type: 'order.lookup', nodeId: 'n', orderNumber: 'A1042' }])
    run.send({ type: 'effect.result', nodeId: 'n', ok: true, data: { number: 'A1042', status: 'shipped' } })
    expect(run.outcome).toBe('found')
    expect((run.snapshot.context as { vars: Record<string, unknown> }).vars.order).toEqual({
      number: 'A1042',
      status: 'shipped',
    })
  })

  it('asks for the latest order when configured so, and goes not_found on failure or timeout', () => {
    const latest = runNode('lookup-order', { source: 'latest' })
    expect(latest.last.effects).toEqual([{ type: 'order.lookup', nodeId: 'n' }])
    latest.send({ type: 'effect.result', nodeId: 'n', ok: false })
    expect(latest.outcome).toBe('not_found')
    const silent = runNode('lookup-order', {})
    silent.advanceTo(T0 + EFFECT_RESULT_TIMEOUT_MS)
    expect(silent.outcome).toBe('not_found')
  })
})
