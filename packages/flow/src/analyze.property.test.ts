// analyze's dynamic programming against brute force: on random acyclic flows every path is enumerated and
// the exact answers compared; on random flows with loops the invariants between the answers are checked.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { analyzeGraph, WINDOW_MS } from './analyze.ts'
import { buildFlowGraph, type GraphDocument } from './flow-graph.ts'
import type { NodeFacts, NodeKind } from './nodes/types.ts'
import { PROPERTY_RUNS, PROPERTY_TIMEOUT_MS } from './test-support/property-runs.ts'

const H = 60 * 60 * 1000

interface FakeHandle {
  id: string
  min: number
  max: number
  opens: boolean
}
interface FakeConfig {
  trigger: boolean
  sends: number
  handles: FakeHandle[]
}

/** One kind whose facts are whatever the config says, so tests can build any timing they like. */
const fakeKind = {
  kind: 'fake',
  title: 'Fake',
  handles: (config: FakeConfig) => config.handles.map((h) => ({ id: h.id, label: h.id })),
  facts: (config: FakeConfig): NodeFacts => ({
    ...(config.trigger ? { trigger: { event: 'manual' as const } } : {}),
    sends: config.sends,
    marketing: false,
    timing: Object.fromEntries(config.handles.map((h) => [h.id, { min: h.min, max: h.max }])),
    opensWindow: config.handles.filter((h) => h.opens).map((h) => h.id),
    waits: true,
    terminal: false,
    writes: [],
    hasTemplateFallback: false,
  }),
} as unknown as NodeKind
const lookup = () => fakeKind

const durations = fc.constantFrom(0, H, 12 * H, 23 * H, 24 * H, 48 * H)
const extra = fc.constantFrom(0, H, 24 * H, Number.POSITIVE_INFINITY)
const handle = (id: string) =>
  fc
    .record({ id: fc.constant(id), min: durations, extra, opens: fc.boolean() })
    .map(({ id, min, extra, opens }) => ({
      id,
      min,
      max: min + extra,
      opens,
    }))

/** Random flows: node 0 is the trigger; each handle of node i leads nowhere or to a node (j > i unless `loops`). */
function randomFlow(loops: boolean) {
  return fc.integer({ min: 1, max: 8 }).chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.record({
          sends: i === 0 ? fc.constant(0) : fc.nat(2),
          handles: fc.tuple(handle('h0'), handle('h1')),
          targets: fc.tuple(
            fc.option(loops ? fc.nat(n - 1) : fc.integer({ min: i + 1, max: n })),
            fc.option(loops ? fc.nat(n - 1) : fc.integer({ min: i + 1, max: n })),
          ),
        }),
      ),
    ),
  )
}

type RandomNode = { sends: number; handles: FakeHandle[]; targets: (number | null)[] }

function toDocument(spec: RandomNode[]): GraphDocument {
  const n = spec.length
  return {
    nodes: spec.map((node, i) => ({
      id: `n${i}`,
      kind: 'fake',
      config: { trigger: i === 0, sends: node.sends, handles: node.handles } satisfies FakeConfig,
    })),
    edges: spec.flatMap((node, i) =>
      node.targets.flatMap((target, h) =>
        target === null || target >= n || target === 0
          ? []
          : [{ id: `e${i}-${h}`, source: `n${i}`, sourceHandle: `h${h}`, target: `n${target}` }],
      ),
    ),
    settings: { channels: ['whatsapp'] },
  }
}

/** Every path from the trigger, with arrival times and the time since the window last opened. */
function bruteForce(spec: RandomNode[], doc: GraphDocument) {
  const n = spec.length
  const earliest = new Array<number>(n).fill(Number.POSITIVE_INFINITY)
  const latest = new Array<number>(n).fill(Number.NEGATIVE_INFINITY)
  const since = new Array<number>(n).fill(Number.NEGATIVE_INFINITY)
  let perRun = 0
  let per24h = 0
  const out = (i: number) => doc.edges.filter((e) => e.source === `n${i}`)
  const walk = (path: { node: number; tMin: number; tMax: number; since: number }[]) => {
    const here = path[path.length - 1]!
    earliest[here.node] = Math.min(earliest[here.node]!, here.tMin)
    latest[here.node] = Math.max(latest[here.node]!, here.tMax)
    since[here.node] = Math.max(since[here.node]!, here.since)
    perRun = Math.max(
      perRun,
      path.reduce((sum, step) => sum + spec[step.node]!.sends, 0),
    )
    path.forEach((start, i) => {
      if (spec[start.node]!.sends === 0) return
      let count = 0
      for (const step of path.slice(i))
        if (step.tMin - start.tMin < WINDOW_MS) count += spec[step.node]!.sends
      per24h = Math.max(per24h, count)
    })
    for (const edge of out(here.node)) {
      const h = spec[here.node]!.handles.find((x) => x.id === edge.sourceHandle)!
      const target = Number(edge.target.slice(1))
      walk([
        ...path,
        {
          node: target,
          tMin: here.tMin + h.min,
          tMax: here.tMax + h.max,
          since: h.opens ? 0 : here.since + h.max,
        },
      ])
    }
  }
  walk([{ node: 0, tMin: 0, tMax: 0, since: 0 }])
  return { earliest, latest, since, perRun, per24h }
}

describe('analyze (property)', () => {
  it(
    'matches brute force over every path of random acyclic flows',
    () => {
      fc.assert(
        fc.property(randomFlow(false), (spec) => {
          const doc = toDocument(spec)
          const analysis = analyzeGraph(buildFlowGraph(doc, lookup))
          const exact = bruteForce(spec, doc)
          expect(analysis.maxMessagesPerRun).toBe(exact.perRun)
          expect(analysis.maxMessagesPer24h).toBe(exact.per24h)
          spec.forEach((node, i) => {
            const result = analysis.nodes[`n${i}`]!
            const reached = exact.earliest[i]! < Number.POSITIVE_INFINITY
            expect(result.reachable).toBe(reached)
            if (!reached) return
            expect(result.earliestMs).toBe(exact.earliest[i])
            expect(result.latestMs).toBe(exact.latest[i])
            expect(result.sinceLastInboundMs).toBe(exact.since[i])
            expect(result.needsTemplate).toBe(node.sends > 0 && exact.since[i]! >= WINDOW_MS)
          })
        }),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'keeps its answers consistent on random flows with loops',
    () => {
      fc.assert(
        fc.property(randomFlow(true), (spec) => {
          const analysis = analyzeGraph(buildFlowGraph(toDocument(spec), lookup))
          expect(analysis.maxMessagesPer24h).toBeLessThanOrEqual(analysis.maxMessagesPerRun)
          for (const node of Object.values(analysis.nodes)) {
            if (!node.reachable) continue
            expect(node.earliestMs).toBeLessThanOrEqual(node.latestMs)
            expect(node.sinceLastInboundMs).toBeLessThanOrEqual(node.latestMs)
          }
          expect(analysis.summary.length).toBeGreaterThan(0)
        }),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})
