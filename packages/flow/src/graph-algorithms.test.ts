import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { longestPaths, MinHeap, shortestPaths, stronglyConnectedComponents } from './graph-algorithms.ts'
import { PROPERTY_RUNS, PROPERTY_TIMEOUT_MS } from './test-support/property-runs.ts'

const NEG = Number.NEGATIVE_INFINITY
const INF = Number.POSITIVE_INFINITY

function seeds(count: number, sources: number[], empty: number): Float64Array {
  const values = new Float64Array(count).fill(empty)
  for (const source of sources) values[source] = 0
  return values
}

describe('stronglyConnectedComponents', () => {
  it('groups loops and orders components topologically', () => {
    // 0 → 1 ⇄ 2 → 3, 3 → 3, 4 alone
    const { componentOf, order, cyclic } = stronglyConnectedComponents(5, [[1], [2], [1, 3], [3], []])
    expect(componentOf[1]).toBe(componentOf[2])
    expect(new Set(componentOf).size).toBe(4)
    expect(componentOf[0]!).toBeLessThan(componentOf[1]!)
    expect(componentOf[1]!).toBeLessThan(componentOf[3]!)
    expect(cyclic[componentOf[1]!]).toBe(true)
    expect(cyclic[componentOf[3]!]).toBe(true)
    expect(cyclic[componentOf[0]!]).toBe(false)
    expect(order.flat().sort()).toEqual([0, 1, 2, 3, 4])
  })

  it('handles a 20,000-node chain without overflowing the stack', () => {
    const n = 20_000
    const successors = Array.from({ length: n }, (_, i) => (i + 1 < n ? [i + 1] : [0]))
    const { order, cyclic } = stronglyConnectedComponents(n, successors)
    expect(order).toHaveLength(1)
    expect(cyclic[0]).toBe(true)
  })

  it(
    'keeps every edge pointing forward in the component order',
    () => {
      fc.assert(
        fc.property(
          fc
            .integer({ min: 1, max: 12 })
            .chain((n) =>
              fc.tuple(
                fc.constant(n),
                fc.array(fc.array(fc.nat(n - 1), { maxLength: 4 }), { minLength: n, maxLength: n }),
              ),
            ),
          ([n, successors]) => {
            const { componentOf } = stronglyConnectedComponents(n, successors)
            successors.forEach((targets, from) => {
              for (const to of targets) expect(componentOf[from]!).toBeLessThanOrEqual(componentOf[to]!)
            })
          },
        ),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})

describe('longestPaths', () => {
  it('sums weights along the longest path of a DAG', () => {
    const edges = [
      { from: 0, to: 1, weight: 5 },
      { from: 0, to: 2, weight: 1 },
      { from: 1, to: 3, weight: 1 },
      { from: 2, to: 3, weight: 10 },
    ]
    expect([...longestPaths({ nodeCount: 5, edges, seeds: seeds(5, [0], NEG) })]).toEqual([0, 5, 1, 11, NEG])
  })

  it('makes a growing loop and everything after it Infinity, but not a loop that adds nothing', () => {
    const growing = [
      { from: 0, to: 1, weight: 1 },
      { from: 1, to: 2, weight: 1 },
      { from: 2, to: 1, weight: 1 },
      { from: 2, to: 3, weight: 0 },
    ]
    expect([...longestPaths({ nodeCount: 4, edges: growing, seeds: seeds(4, [0], NEG) })]).toEqual([
      0,
      INF,
      INF,
      INF,
    ])
    const flat = growing.map((edge) => (edge.from === 2 && edge.to === 1 ? { ...edge, weight: 0 } : edge))
    flat[1] = { from: 1, to: 2, weight: 0 }
    expect([...longestPaths({ nodeCount: 4, edges: flat, seeds: seeds(4, [0], NEG) })]).toEqual([0, 1, 1, 1])
  })

  it('adds node weights, and a loop through a weighted node is unbounded', () => {
    const edges = [
      { from: 0, to: 1, weight: 0 },
      { from: 1, to: 2, weight: 0 },
    ]
    const weight = (node: number) => (node === 1 ? 2 : 1)
    expect([...longestPaths({ nodeCount: 3, edges, seeds: seeds(3, [0], NEG), nodeWeight: weight })]).toEqual(
      [1, 3, 4],
    )
    const loop = [...edges, { from: 2, to: 1, weight: 0 }]
    expect([
      ...longestPaths({ nodeCount: 3, edges: loop, seeds: seeds(3, [0], NEG), nodeWeight: weight }),
    ]).toEqual([1, INF, INF])
  })
})

describe('shortestPaths', () => {
  it('finds the cheapest route through loops', () => {
    const edges = [
      { from: 0, to: 1, weight: 10 },
      { from: 0, to: 2, weight: 1 },
      { from: 2, to: 1, weight: 2 },
      { from: 1, to: 0, weight: 1 },
    ]
    expect([...shortestPaths(4, edges, seeds(4, [0], INF))]).toEqual([0, 3, 1, INF])
  })
})

describe('MinHeap', () => {
  it(
    'pops in priority order',
    () => {
      fc.assert(
        fc.property(fc.array(fc.integer()), (priorities) => {
          const heap = new MinHeap()
          for (const [node, priority] of priorities.entries()) heap.push(priority, node)
          const popped: number[] = []
          while (heap.size > 0) popped.push(heap.pop()[0])
          expect(popped).toEqual([...priorities].sort((a, b) => a - b))
        }),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})
