// validate() must never throw and always answer with well-formed issues, whatever it is given:
// arbitrary JSON, arbitrary values, and real flows with fields, nodes and edges mutated at random.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nodeKinds } from './nodes/index.ts'
import type { FlowIssue } from './nodes/types.ts'
import { cartRecoveryByHand } from './test-support/flow-builder.ts'
import { PROPERTY_RUNS, PROPERTY_TIMEOUT_MS } from './test-support/property-runs.ts'
import { validate } from './validate.ts'

function expectWellFormed(issues: unknown): void {
  expect(Array.isArray(issues)).toBe(true)
  for (const issue of issues as FlowIssue[]) {
    expect(['error', 'warning']).toContain(issue.severity)
    expect(typeof issue.code).toBe('string')
    expect(issue.code).toMatch(/^[a-z_]+$/)
    expect(typeof issue.message).toBe('string')
    expect(issue.message.length).toBeGreaterThan(0)
    expect(issue.message).not.toContain('[object Object]')
    if (issue.nodeId !== undefined) expect(typeof issue.nodeId).toBe('string')
    if (issue.edgeId !== undefined) expect(typeof issue.edgeId).toBe('string')
    for (const key of Object.keys(issue))
      expect(['severity', 'code', 'message', 'nodeId', 'edgeId']).toContain(key)
  }
  const severities = (issues as FlowIssue[]).map((issue) => issue.severity)
  expect(severities).toEqual([...severities].sort((a, b) => (a === b ? 0 : a === 'error' ? -1 : 1)))
}

const base = cartRecoveryByHand()
const nodeIds = base.nodes.map((node) => node.id)
const kindIds = Object.keys(nodeKinds)

const idLike = fc.oneof(fc.constantFrom(...nodeIds), fc.string({ maxLength: 8 }), fc.jsonValue())
const handleLike = fc.oneof(
  fc.constantFrom('next', 'anything', 'timeout', 'yes', 'no', 'found', 'failed'),
  fc.string({ maxLength: 6 }),
)

const randomNode = fc.record({
  id: idLike,
  kind: fc.oneof(fc.constantFrom(...kindIds), fc.string({ maxLength: 10 })),
  name: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
  position: fc.oneof(fc.constant({ x: 0, y: 0 }), fc.jsonValue()),
  config: fc.oneof(
    fc.constant({}),
    fc.jsonValue(),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue()),
  ),
})

const randomEdge = fc.record({
  id: fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue()),
  source: idLike,
  sourceHandle: handleLike,
  target: idLike,
})

/** A change to a real flow: a field replaced, nodes and edges added, removed or rewired. */
const mutation = fc.oneof(
  fc.record({
    type: fc.constant('set-top' as const),
    key: fc.constantFrom('version', 'name', 'nodes', 'edges', 'settings'),
    value: fc.jsonValue(),
  }),
  fc.record({
    type: fc.constant('set-node-field' as const),
    index: fc.nat(20),
    key: fc.constantFrom('id', 'kind', 'name', 'position', 'config'),
    value: fc.jsonValue(),
  }),
  fc.record({
    type: fc.constant('set-config-field' as const),
    index: fc.nat(20),
    key: fc.string({ maxLength: 12 }),
    value: fc.jsonValue(),
  }),
  fc.record({
    type: fc.constant('set-edge-field' as const),
    index: fc.nat(20),
    key: fc.constantFrom('id', 'source', 'sourceHandle', 'target'),
    value: fc.oneof(idLike, handleLike),
  }),
  fc.record({ type: fc.constant('add-node' as const), node: randomNode }),
  fc.record({ type: fc.constant('add-edge' as const), edge: randomEdge }),
  fc.record({ type: fc.constant('remove-node' as const), index: fc.nat(20) }),
  fc.record({ type: fc.constant('remove-edge' as const), index: fc.nat(20) }),
  fc.record({
    type: fc.constant('set-channels' as const),
    value: fc.array(fc.constantFrom('webchat', 'whatsapp', 'telegram', 'sms')),
  }),
)
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never

function applyMutations(mutations: Mutation[]): unknown {
  const doc = structuredClone(base) as Record<string, unknown>
  for (const m of mutations) {
    const nodes: unknown[] = Array.isArray(doc.nodes) ? doc.nodes : []
    const edges: unknown[] = Array.isArray(doc.edges) ? doc.edges : []
    const at = <T>(list: T[], index: number) => (list.length > 0 ? list[index % list.length] : undefined)
    switch (m.type) {
      case 'set-top':
        doc[m.key] = m.value
        break
      case 'set-node-field': {
        const target = at(nodes, m.index)
        if (target && typeof target === 'object') (target as Record<string, unknown>)[m.key] = m.value
        break
      }
      case 'set-config-field': {
        const target = at(nodes, m.index) as { config?: unknown } | undefined
        if (target && typeof target.config === 'object' && target.config !== null) {
          ;(target.config as Record<string, unknown>)[m.key] = m.value
        }
        break
      }
      case 'set-edge-field': {
        const target = at(edges, m.index)
        if (target && typeof target === 'object') (target as Record<string, unknown>)[m.key] = m.value
        break
      }
      case 'add-node':
        nodes.push(m.node)
        break
      case 'add-edge':
        edges.push(m.edge)
        break
      case 'remove-node':
        if (nodes.length > 0) nodes.splice(m.index % nodes.length, 1)
        break
      case 'remove-edge':
        if (edges.length > 0) edges.splice(m.index % edges.length, 1)
        break
      case 'set-channels':
        if (doc.settings && typeof doc.settings === 'object') {
          ;(doc.settings as Record<string, unknown>).channels = m.value
        }
        break
    }
  }
  return doc
}

describe('validate (property)', () => {
  it(
    'never throws on arbitrary JSON and returns well-formed issues',
    () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          expectWellFormed(validate(value))
        }),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'never throws on arbitrary values (prototype keys, functions, cycles aside)',
    () => {
      fc.assert(
        fc.property(
          fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true }),
          (value) => {
            expectWellFormed(validate(value))
          },
        ),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'never throws on real flows with mutated fields, nodes and edges, and answers deterministically',
    () => {
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (mutations) => {
          const doc = applyMutations(mutations)
          const issues = validate(doc)
          expectWellFormed(issues)
          expect(validate(structuredClone(doc))).toEqual(issues)
        }),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'never throws on documents assembled from random nodes and edges',
    () => {
      fc.assert(
        fc.property(
          fc.array(randomNode, { maxLength: 12 }),
          fc.array(randomEdge, { maxLength: 20 }),
          (nodes, edges) => {
            expectWellFormed(validate({ version: 1, name: 'Random', nodes, edges }))
          },
        ),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})
