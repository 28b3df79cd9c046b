// Flow documents for route tests: one that publishes, one with graph errors, one that does not parse.
import type { FlowDocumentJson } from '@parley/api'
import { parseFlowDocument } from '@parley/flow'

/**
 * manual trigger → send "text" → end: valid, publishable, trigger kind 'manual'. As the runtime stores it:
 * the sparse document parsed, every config complete with its kind's defaults.
 */
export function validFlowDocument(name = 'Hello flow', text = 'Hi there'): FlowDocumentJson {
  const parsed = parseFlowDocument(sparseFlowDocument(name, text))
  if (!parsed.ok) throw new Error('The flow fixture does not parse')
  return parsed.doc as FlowDocumentJson
}

/** A valid flow whose configs leave out every field that has a default. */
export function sparseFlowDocument(name = 'Hello flow', text = 'Hi there'): FlowDocumentJson {
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
