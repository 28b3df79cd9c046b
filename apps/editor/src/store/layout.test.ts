import { cartRecoveryFlow, starterFlows } from '@parley/flow'
import ELK from 'elkjs/lib/elk.bundled.js'
import { describe, expect, it } from 'vitest'
import { docToGraph } from './convert.ts'
import {
  applyLayout,
  computeLayout,
  countEdgeCrossings,
  matchesLayout,
  outputOffsetX,
  toElkGraph,
} from './layout.ts'

const elk = new ELK()

describe('countEdgeCrossings', () => {
  it('counts a plus-shaped crossing once', () => {
    expect(
      countEdgeCrossings([
        [
          { x: 0, y: 0 },
          { x: 0, y: 10 },
        ],
        [
          { x: -5, y: 5 },
          { x: 5, y: 5 },
        ],
      ]),
    ).toBe(1)
  })

  it('does not count edges that only meet at an end or join into the same input', () => {
    const into = { x: 50, y: 100 }
    expect(
      countEdgeCrossings([
        [{ x: 0, y: 0 }, { x: 0, y: 80 }, { x: 50, y: 80 }, into],
        [{ x: 100, y: 0 }, { x: 100, y: 80 }, { x: 50, y: 80 }, into],
        [
          { x: 50, y: 0 },
          { x: 50, y: 80 },
        ],
      ]),
    ).toBe(0)
  })

  it('counts every crossing of two zig-zags', () => {
    expect(
      countEdgeCrossings([
        [
          { x: 0, y: 0 },
          { x: 0, y: 100 },
        ],
        [
          { x: -10, y: 10 },
          { x: 10, y: 10 },
          { x: 10, y: 50 },
          { x: -10, y: 50 },
        ],
      ]),
    ).toBe(2)
  })
})

// Layouts run ELK (warming it up on the first one): generous timeouts on a busy machine.
describe('layout with ELK', () => {
  it('gives each output its own port, in the order the card shows them', () => {
    const graph = docToGraph(cartRecoveryFlow)
    const elkGraph = toElkGraph(graph)
    const wait = elkGraph.children!.find((c) => c.id === 'wait-1h')!
    expect(wait.ports!.map((p) => [p.id, p.x])).toEqual([
      ['wait-1h::out::anything', outputOffsetX(0, 2, 260)],
      ['wait-1h::out::timeout', outputOffsetX(1, 2, 260)],
      ['wait-1h::in', 130],
    ])
    expect(elkGraph.edges).toHaveLength(cartRecoveryFlow.edges.length)
  })

  it('lays out the cart-recovery template top to bottom with no crossings and routes for every edge', async () => {
    const graph = docToGraph(cartRecoveryFlow)
    const layout = await computeLayout(graph, elk)
    expect(layout.crossings).toBe(0)
    expect(layout.routes.size).toBe(cartRecoveryFlow.edges.length)
    const y = (id: string) => layout.positions.get(id)!.y
    expect(y('cart-abandoned')).toBeLessThan(y('wait-1h'))
    expect(y('wait-1h')).toBeLessThan(y('reminder'))
    expect(y('personal-offer')).toBeLessThan(y('wait-final'))
    // Routes are orthogonal: every segment is horizontal or vertical.
    for (const route of layout.routes.values()) {
      for (let i = 1; i < route.length; i++) {
        const [a, b] = [route[i - 1]!, route[i]!]
        expect(a.x === b.x || a.y === b.y).toBe(true)
      }
    }
    const laid = applyLayout(graph, layout)
    expect(matchesLayout(laid, layout)).toBe(true)
    expect(matchesLayout(graph, layout)).toBe(false)
  })

  it('keeps sibling branches in their output order', async () => {
    const graph = docToGraph(cartRecoveryFlow)
    const layout = await computeLayout(graph, elk)
    // "Anything else" is the wait's first output, "No reply" its second: the team is to the left.
    expect(layout.positions.get('hand-to-team')!.x).toBeLessThan(layout.positions.get('reminder')!.x)
  })

  it('leaves no card on top of another in any starter flow', async () => {
    for (const starter of starterFlows) {
      const layout = await computeLayout(docToGraph(starter.doc), elk)
      const boxes = [...layout.positions.entries()]
      for (const [i, [, a]] of boxes.entries()) {
        for (const [, b] of boxes.slice(i + 1)) {
          const apart = Math.abs(a.x - b.x) >= 260 || Math.abs(a.y - b.y) >= 110
          expect(apart).toBe(true)
        }
      }
      expect(layout.crossings, starter.id).toBe(0)
    }
  })
})
