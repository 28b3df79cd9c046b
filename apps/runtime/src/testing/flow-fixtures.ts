// Flow documents for route tests: one that publishes, one with graph errors, one that does not parse.
import type { FlowDocumentJson } from '@parley/api'

/** manual trigger → send "text" → end: valid, publishable, trigger kind 'manual'. */
export function validFlowDocument(name = 'Hello flow', text = 'Hi there'): FlowDocumentJson {
  return {
    version: 1,
    name,
    nodes: [
      { id: 'start', kind: 'trigger-manual', position: { x: 0, y: 0 }, config: {} },
      { id: 'hello', kind: 'send-message', position: { x: 0, y: 160 }, config: { text } },
      { id: 'done', kind: 'end', position: { x: 0, y: 320 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'hello' },
      { id: 'e2', source: 'hello', sourceHandle: 'next', target: 'done' },
    ],
  }
}

/** Parses, but validate() reports errors (dead ends): saving works, publishing is refused. */
export function flowDocumentWithErrors(name = 'Unfinished flow'): FlowDocumentJson {
  return { ...validFlowDocument(name), edges: [] }
}

/** Does not parse: a node of a kind that does not exist. */
export function unreadableFlowDocument(name = 'Broken flow'): FlowDocumentJson {
  return {
    ...validFlowDocument(name),
    nodes: [{ id: 'x', kind: 'teleport', position: { x: 0, y: 0 }, config: {} }],
    edges: [],
  }
}
