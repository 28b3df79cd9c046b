import { cartRecoveryFlow } from '@parley/flow'
import { describe, expect, it } from 'vitest'
import { docToGraph } from '../store/convert.ts'
import { LARGE_FLOW_NODES } from '../store/estimated-size.ts'
import { arrangesOnOpen, MIN_OPENING_ZOOM, openingNodeIds, openingViewport } from './opening-view.ts'

describe('the view a flow opens at', () => {
  const graph = docToGraph(cartRecoveryFlow)

  it('frames the trigger and the two steps after it', () => {
    expect(openingNodeIds(graph).sort()).toEqual(['cart-abandoned', 'hand-to-team', 'reminder', 'wait-1h'])
  })

  it('never opens below 75 % and keeps the trigger on screen', () => {
    for (const [width, height] of [
      [840, 780],
      [400, 300],
      [1600, 1000],
    ] as const) {
      const view = openingViewport(graph, width, height)!
      expect(view.zoom).toBeGreaterThanOrEqual(MIN_OPENING_ZOOM)
      expect(view.zoom).toBeLessThanOrEqual(1)
      const trigger = graph.nodes.find((n) => n.id === 'cart-abandoned')!
      const top = trigger.position.y * view.zoom + view.y
      expect(top).toBeGreaterThanOrEqual(0)
      expect(top).toBeLessThan(height)
    }
  })

  it('has nothing to frame in an empty flow', () => {
    expect(openingViewport({ nodes: [], edges: [] }, 800, 600)).toBeNull()
  })

  it('arranges a fresh template before showing it, never a blank flow (its first dropped step stays put)', () => {
    expect(arrangesOnOpen(true, graph.nodes.length)).toBe(true)
    expect(arrangesOnOpen(true, 0)).toBe(false)
    expect(arrangesOnOpen(false, graph.nodes.length)).toBe(false)
    expect(arrangesOnOpen(true, LARGE_FLOW_NODES)).toBe(false)
  })
})
