// The flow as a graph of node indices with each node's kind facts: what validation and analysis walk.
// Nodes whose kind is unknown or whose config did not parse stay in the graph as "opaque" nodes,
// so one bad node does not hide every other problem.
import type { ChannelKind } from './document.ts'
import type { NodeFacts, NodeKind, OutputHandle } from './nodes/types.ts'

/** The parts of a flow document the graph needs; a parsed FlowDocument fits. */
export interface GraphDocument {
  nodes: readonly { id: string; kind: string; name?: string | undefined; config: unknown }[]
  edges: readonly { id: string; source: string; sourceHandle: string; target: string }[]
  settings: { channels: ChannelKind[] }
}

export type NodeKindLookup = (kind: string) => NodeKind | undefined

export interface GraphNode {
  /** Position in the document's node list (first occurrence of the id). */
  index: number
  id: string
  /** The merchant's name, else the kind's title, else the raw kind. */
  label: string
  kind: NodeKind | undefined
  config: unknown
  /** Undefined for an opaque node (unknown kind or invalid config). */
  facts: NodeFacts | undefined
  handles: OutputHandle[] | undefined
}

export interface GraphEdge {
  /** Position in the document's edge list. */
  index: number
  id: string
  source: number
  target: number
  handle: string
  minMs: number
  maxMs: number
}

export interface FlowGraph {
  nodes: GraphNode[]
  indexById: Map<string, number>
  /** Edges a run can follow: both ends exist, the handle can be taken, the target is not a trigger. */
  edges: GraphEdge[]
  outgoing: GraphEdge[][]
  triggers: number[]
  /** Nodes a trigger can lead to (triggers included). */
  reachable: Uint8Array
}

export interface BuildGraphOptions {
  /** Marks document nodes (by position) whose config did not parse. */
  isOpaque?: (documentIndex: number) => boolean
}

export function nodeLabel(
  node: { name?: string | undefined; kind: string },
  kind: NodeKind | undefined,
): string {
  const name = node.name?.trim()
  return name ? name : (kind?.title ?? node.kind)
}

export function buildFlowGraph(
  doc: GraphDocument,
  lookup: NodeKindLookup,
  options: BuildGraphOptions = {},
): FlowGraph {
  const nodes: GraphNode[] = []
  const indexById = new Map<string, number>()
  doc.nodes.forEach((node, documentIndex) => {
    if (indexById.has(node.id)) return
    const kind = lookup(node.kind)
    const opaque = !kind || (options.isOpaque?.(documentIndex) ?? false)
    indexById.set(node.id, nodes.length)
    nodes.push({
      index: nodes.length,
      id: node.id,
      label: nodeLabel(node, kind),
      kind,
      config: node.config,
      facts: opaque ? undefined : kind.facts(node.config),
      handles: opaque ? undefined : kind.handles(node.config),
    })
  })

  const edges: GraphEdge[] = []
  const outgoing: GraphEdge[][] = nodes.map(() => [])
  doc.edges.forEach((edge, index) => {
    const source = indexById.get(edge.source)
    const target = indexById.get(edge.target)
    if (source === undefined || target === undefined) return
    if (nodes[target]!.facts?.trigger) return
    const facts = nodes[source]!.facts
    let minMs = 0
    let maxMs = 0
    if (facts) {
      const timing = facts.timing[edge.sourceHandle]
      if (!timing) return
      minMs = timing.min
      maxMs = timing.max
    }
    const graphEdge = { index, id: edge.id, source, target, handle: edge.sourceHandle, minMs, maxMs }
    edges.push(graphEdge)
    outgoing[source]!.push(graphEdge)
  })

  const triggers = nodes.filter((node) => node.facts?.trigger).map((node) => node.index)
  const reachable = new Uint8Array(nodes.length)
  const queue = [...triggers]
  for (const trigger of triggers) reachable[trigger] = 1
  while (queue.length > 0) {
    const node = queue.pop()!
    for (const edge of outgoing[node]!) {
      if (!reachable[edge.target]) {
        reachable[edge.target] = 1
        queue.push(edge.target)
      }
    }
  }
  return { nodes, indexById, edges, outgoing, triggers, reachable }
}
