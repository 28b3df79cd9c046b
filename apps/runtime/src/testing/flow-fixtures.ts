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

/** manual trigger → HTTP request to `url` → end (on success and on failure): publishable unless the URL is refused. */
export function flowDocumentCalling(url: string, name = 'Calls out'): FlowDocumentJson {
  const parsed = parseFlowDocument({
    version: 1,
    name,
    nodes: [
      { id: 'start', kind: 'trigger-manual', position: { x: 0, y: 0 }, config: {} },
      { id: 'call', kind: 'http-request', position: { x: 0, y: 160 }, config: { url } },
      { id: 'done', kind: 'end', position: { x: 0, y: 320 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
      { id: 'e2', source: 'call', sourceHandle: 'ok', target: 'done' },
      { id: 'e3', source: 'call', sourceHandle: 'error', target: 'done' },
    ],
  })
  if (!parsed.ok) throw new Error('The flow fixture does not parse')
  return parsed.doc as FlowDocumentJson
}

/** A document over the flow size limits: `steps` send-message steps in a chain. */
export function flowDocumentWithSteps(steps: number, text = 'Hi'): FlowDocumentJson {
  const nodes = Array.from({ length: steps }, (_, i) => ({
    id: `s${i}`,
    kind: 'send-message',
    position: { x: 0, y: i * 100 },
    config: { text },
  }))
  const edges = nodes
    .slice(1)
    .map((node, i) => ({ id: `e${i}`, source: `s${i}`, sourceHandle: 'next', target: node.id }))
  return { version: 1, name: 'Large', nodes, edges }
}
