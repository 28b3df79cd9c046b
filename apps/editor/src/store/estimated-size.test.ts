import { describe, expect, it } from 'vitest'
import { docToGraph } from './convert.ts'
import { estimateLargeFlow, LARGE_FLOW_NODES, withEstimatedSize, withoutEstimate } from './estimated-size.ts'

/** A card as a saved flow opens it (the kind's defaults under the given config). */
const node = (id: string, kind: string, config: unknown = {}) =>
  docToGraph({ nodes: [{ id, kind, position: { x: 0, y: 0 }, config }], edges: [] }).nodes[0]!

describe('estimated card sizes for large flows', () => {
  it('gives a card a size no browser measures and a handle per output, plus its input', () => {
    const card = withEstimatedSize(node('w', 'wait-for-reply', { timeout: { amount: 1, unit: 'hours' } }))
    expect(card.measured?.width).toBe(260)
    expect(Number.isInteger(card.measured?.height)).toBe(false)
    const sources = card.handles?.filter((h) => h.type === 'source') ?? []
    expect(sources.length).toBeGreaterThan(1)
    // Outputs share the bottom edge left to right, in the card's order.
    const xs = sources.map((h) => h.x)
    expect([...xs].sort((a, b) => a - b)).toEqual(xs)
    expect(card.handles?.filter((h) => h.type === 'target')).toHaveLength(1)
  })

  it('gives a trigger no input handle, and leaves a measured card as it is', () => {
    const trigger = withEstimatedSize(node('t', 'trigger-cart-abandoned'))
    expect(trigger.handles?.map((h) => h.type)).toEqual(['source'])
    const measured = { ...node('m', 'end'), measured: { width: 250, height: 90 } }
    expect(withEstimatedSize(measured)).toBe(measured)
  })

  it('estimates only flows large enough to mount just what is in view', () => {
    const small = Array.from({ length: LARGE_FLOW_NODES - 1 }, (_, i) => node(`n${i}`, 'end'))
    expect(estimateLargeFlow(small)).toBe(small)
    const large = [...small, node('last', 'end')]
    expect(estimateLargeFlow(large).every((n) => n.handles && n.measured)).toBe(true)
  })

  it('drops the estimated handles once the card is measured', () => {
    const card = { ...withEstimatedSize(node('e', 'end')), measured: { width: 260, height: 96 } }
    const measured = withoutEstimate(card)
    expect(measured.handles).toBeUndefined()
    expect(measured.measured).toEqual({ width: 260, height: 96 })
  })
})
