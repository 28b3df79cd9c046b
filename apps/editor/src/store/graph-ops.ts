// Pure edits of the canvas graph: add, connect, delete, copy / paste, config and name changes.
// Each takes a graph and returns a new one (or a reason it refused), so the store stays thin and
// every rule here is unit-tested without React.
import { getNodeKind, isTriggerKind } from '@parley/flow'
import type { Connection, XYPosition } from '@xyflow/react'
import type { EditorGraph, FlowCanvasEdge, FlowCanvasNode } from './convert.ts'
import { toCanvasNode } from './convert.ts'

export type IdFactory = (prefix: 'n' | 'e') => string

/** Short random ids that fit the document's id rule (letters, digits, "-" and "_"). */
export const randomId: IdFactory = (prefix) =>
  `${prefix}_${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`

export type EditResult = { ok: true; graph: EditorGraph } | { ok: false; reason: string }

/** A fresh node of a kind with the kind's defaults (deep-copied, so edits never touch the registry). */
export function createNode(kind: string, position: XYPosition, newId: IdFactory = randomId): FlowCanvasNode {
  const spec = getNodeKind(kind)
  if (!spec) throw new Error(`Unknown node kind "${kind}"`)
  return toCanvasNode({ id: newId('n'), kind, position, config: structuredClone(spec.defaults) })
}

export function addNode(graph: EditorGraph, node: FlowCanvasNode, select = true): EditorGraph {
  const nodes = select ? graph.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)) : graph.nodes
  const edges = select ? graph.edges.map((e) => (e.selected ? { ...e, selected: false } : e)) : graph.edges
  return { nodes: [...nodes, { ...node, selected: select }], edges }
}

/** Output handles a node currently offers (they follow its config: buttons, branches, variants). */
export function handleIdsOf(node: FlowCanvasNode): string[] {
  const spec = getNodeKind(node.data.kind)
  if (!spec) return []
  try {
    return spec.handles(node.data.config).map((h) => h.id)
  } catch {
    return []
  }
}

/** Why a connection is not allowed, or null when it is. */
export function connectionProblem(graph: EditorGraph, connection: Connection): string | null {
  const { source, target } = connection
  if (source === target) return 'A step cannot lead to itself.'
  const from = graph.nodes.find((n) => n.id === source)
  const to = graph.nodes.find((n) => n.id === target)
  if (!from || !to) return 'That step no longer exists.'
  if (isTriggerKind(to.data.kind)) return 'Triggers start a flow, so nothing can lead into them.'
  const handle = connection.sourceHandle ?? 'next'
  if (!handleIdsOf(from).includes(handle)) return 'That output no longer exists.'
  return null
}

/**
 * Connects an output handle to a node. Each output leads to one step, so a new connection from a
 * handle replaces the old one.
 */
export function connect(graph: EditorGraph, connection: Connection, newId: IdFactory = randomId): EditResult {
  const problem = connectionProblem(graph, connection)
  if (problem) return { ok: false, reason: problem }
  const sourceHandle = connection.sourceHandle ?? 'next'
  const kept = graph.edges.filter(
    (e) => !(e.source === connection.source && (e.sourceHandle ?? 'next') === sourceHandle),
  )
  const edge: FlowCanvasEdge = {
    id: newId('e'),
    source: connection.source,
    sourceHandle,
    target: connection.target,
    selected: false,
  }
  return { ok: true, graph: { nodes: graph.nodes, edges: [...kept, edge] } }
}

/** Removes nodes with every edge touching them, and the given edges. */
export function deleteElements(
  graph: EditorGraph,
  nodeIds: Iterable<string>,
  edgeIds: Iterable<string> = [],
): EditorGraph {
  const goneNodes = new Set(nodeIds)
  const goneEdges = new Set(edgeIds)
  return {
    nodes: graph.nodes.filter((n) => !goneNodes.has(n.id)),
    edges: graph.edges.filter(
      (e) => !goneEdges.has(e.id) && !goneNodes.has(e.source) && !goneNodes.has(e.target),
    ),
  }
}

export function deleteSelection(graph: EditorGraph): EditorGraph {
  return deleteElements(
    graph,
    graph.nodes.filter((n) => n.selected).map((n) => n.id),
    graph.edges.filter((e) => e.selected).map((e) => e.id),
  )
}

/** What Ctrl/Cmd+C keeps: the selected nodes and the edges between them. */
export interface Clipboard {
  nodes: FlowCanvasNode[]
  edges: FlowCanvasEdge[]
}

export function copySelection(graph: EditorGraph): Clipboard | null {
  const nodes = graph.nodes.filter((n) => n.selected)
  if (nodes.length === 0) return null
  const ids = new Set(nodes.map((n) => n.id))
  const edges = graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target))
  return structuredClone({
    nodes: nodes.map(({ measured: _m, handles: _h, ...n }) => n),
    edges,
  })
}

export const PASTE_OFFSET = 40

/**
 * Pastes copied nodes with new ids, shifted by `offset`, keeping the edges between them. The pasted
 * nodes become the selection.
 */
export function paste(
  graph: EditorGraph,
  clipboard: Clipboard,
  newId: IdFactory = randomId,
  offset: XYPosition = { x: PASTE_OFFSET, y: PASTE_OFFSET },
): { graph: EditorGraph; pastedIds: string[] } {
  const idMap = new Map<string, string>()
  for (const node of clipboard.nodes) idMap.set(node.id, newId('n'))
  const pasted: FlowCanvasNode[] = clipboard.nodes.map((node) => ({
    ...structuredClone(node),
    id: idMap.get(node.id)!,
    position: { x: node.position.x + offset.x, y: node.position.y + offset.y },
    selected: true,
  }))
  const pastedEdges: FlowCanvasEdge[] = clipboard.edges.map((edge) => ({
    ...structuredClone(edge),
    id: newId('e'),
    source: idMap.get(edge.source)!,
    target: idMap.get(edge.target)!,
    selected: false,
  }))
  return {
    graph: {
      nodes: [...graph.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted],
      edges: [...graph.edges.map((e) => (e.selected ? { ...e, selected: false } : e)), ...pastedEdges],
    },
    pastedIds: pasted.map((n) => n.id),
  }
}

function mapNode(graph: EditorGraph, id: string, update: (n: FlowCanvasNode) => FlowCanvasNode): EditorGraph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? update(n) : n)) }
}

/**
 * Replaces a node's config. Edges from outputs the new config no longer has (a removed button or
 * branch) are dropped, so the document never points out of a handle that does not exist.
 */
export function updateNodeConfig(graph: EditorGraph, id: string, config: unknown): EditorGraph {
  const next = mapNode(graph, id, (n) => ({ ...n, data: { ...n.data, config } }))
  const node = next.nodes.find((n) => n.id === id)
  if (!node) return graph
  const handles = new Set(handleIdsOf(node))
  return {
    ...next,
    edges: next.edges.filter((e) => e.source !== id || handles.has(e.sourceHandle ?? 'next')),
  }
}

export function renameNode(graph: EditorGraph, id: string, name: string): EditorGraph {
  return mapNode(graph, id, (n) => {
    const data = { ...n.data }
    if (name.trim() === '') delete data.name
    else data.name = name
    return { ...n, data }
  })
}

export function selectOnly(graph: EditorGraph, nodeIds: Iterable<string>): EditorGraph {
  const ids = new Set(nodeIds)
  return {
    nodes: graph.nodes.map((n) =>
      Boolean(n.selected) === ids.has(n.id) ? n : { ...n, selected: ids.has(n.id) },
    ),
    edges: graph.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
  }
}

/**
 * Puts a new step on an output: the output now leads to the new step, and when the output already led
 * somewhere, the new step's first output continues there (a step inserted into a path keeps the path whole).
 */
export function insertAfter(
  graph: EditorGraph,
  sourceId: string,
  sourceHandle: string,
  node: FlowCanvasNode,
  newId: IdFactory = randomId,
): EditResult {
  const previous = graph.edges.find(
    (e) => e.source === sourceId && (e.sourceHandle ?? 'next') === sourceHandle,
  )
  const withNode = addNode(graph, node)
  const linked = connect(
    withNode,
    { source: sourceId, sourceHandle, target: node.id, targetHandle: null },
    newId,
  )
  if (!linked.ok) return linked
  const onward = handleIdsOf(node)[0]
  if (!previous || !onward) return linked
  const continued = connect(
    linked.graph,
    { source: node.id, sourceHandle: onward, target: previous.target, targetHandle: null },
    newId,
  )
  return continued.ok ? continued : linked
}

/** Vertical room made for a step inserted above another. */
export const INSERT_GAP = 300

/**
 * Puts `node` just before `beforeId`: whatever led into that step now leads into `node`, which leads
 * on to it; that step and the steps after it move down to make room (steps before it stay put).
 */
export function insertBefore(
  graph: EditorGraph,
  beforeId: string,
  node: FlowCanvasNode,
  newId: IdFactory = randomId,
): EditorGraph {
  const before = graph.nodes.find((n) => n.id === beforeId)
  if (!before) return graph
  const y = before.position.y
  const after = new Set([beforeId])
  for (let grew = true; grew; ) {
    grew = false
    for (const e of graph.edges) {
      if (after.has(e.source) && !after.has(e.target)) {
        after.add(e.target)
        grew = true
      }
    }
  }
  const moved = graph.nodes.map((n) =>
    after.has(n.id) && n.position.y >= y
      ? { ...n, position: { ...n.position, y: n.position.y + INSERT_GAP } }
      : n,
  )
  const placed = { ...node, position: { x: before.position.x, y } }
  const edges = graph.edges.map((e) => (e.target === beforeId ? { ...e, target: node.id } : e))
  const link: FlowCanvasEdge = { id: newId('e'), source: node.id, sourceHandle: 'next', target: beforeId }
  return addNode({ nodes: moved, edges: [...edges, link] }, placed)
}
