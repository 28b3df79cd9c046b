// The one place the flow document and React Flow's shapes meet: docToGraph turns a saved document into
// canvas nodes and edges; graphToDoc turns them back. Everything else works on one side or the other.
import {
  FLOW_DOCUMENT_VERSION,
  type FlowEdge,
  type FlowSettings,
  getNodeKind,
  parseNodeConfig,
  type RawFlowDocument,
  type RawFlowNode,
} from '@parley/flow'
import type { Edge, Node } from '@xyflow/react'

/** What a card needs: the node's kind, the merchant's name for it and its config. */
export type FlowNodeData = {
  kind: string
  name?: string
  config: unknown
}

export type FlowCanvasNode = Node<FlowNodeData, string>
export type FlowCanvasEdge = Edge

export interface EditorGraph {
  nodes: FlowCanvasNode[]
  edges: FlowCanvasEdge[]
}

/** The parts of a document that are not the graph. */
export interface FlowMeta {
  name: string
  settings: FlowSettings
}

export const DEFAULT_SETTINGS: FlowSettings = {
  description: '',
  channels: ['webchat', 'whatsapp', 'telegram'],
  exitEvents: [],
}

export function toCanvasNode(node: RawFlowNode, selected = false): FlowCanvasNode {
  const data: FlowNodeData = { kind: node.kind, config: node.config }
  if (node.name !== undefined) data.name = node.name
  return { id: node.id, type: node.kind, position: { ...node.position }, data, selected }
}

export function toCanvasEdge(edge: FlowEdge, selected = false): FlowCanvasEdge {
  return { id: edge.id, source: edge.source, sourceHandle: edge.sourceHandle, target: edge.target, selected }
}

/**
 * Configs are read the way the flow package reads them (kind defaults under the saved fields), so a
 * document saved by another client without some fields still renders; a config that does not parse is
 * kept as it is and validation points at it.
 */
export function docToGraph(doc: Pick<RawFlowDocument, 'nodes' | 'edges'>): EditorGraph {
  const withDefaults = (node: RawFlowNode): RawFlowNode => {
    const kind = getNodeKind(node.kind)
    const parsed = kind ? parseNodeConfig(kind, node.config) : undefined
    return parsed?.ok ? { ...node, config: parsed.config } : node
  }
  return {
    nodes: doc.nodes.map((n) => toCanvasNode(withDefaults(n))),
    edges: doc.edges.map((e) => toCanvasEdge(e)),
  }
}

export function toDocNode(node: FlowCanvasNode): RawFlowNode {
  const out: RawFlowNode = {
    id: node.id,
    kind: node.data.kind,
    position: { x: node.position.x, y: node.position.y },
    config: node.data.config,
  }
  if (node.data.name !== undefined) out.name = node.data.name
  return out
}

export function toDocEdge(edge: FlowCanvasEdge): FlowEdge {
  return { id: edge.id, source: edge.source, sourceHandle: edge.sourceHandle ?? 'next', target: edge.target }
}

export function graphToDoc(meta: FlowMeta, graph: EditorGraph): RawFlowDocument {
  return {
    version: FLOW_DOCUMENT_VERSION,
    name: meta.name,
    nodes: graph.nodes.map(toDocNode),
    edges: graph.edges.map(toDocEdge),
    settings: meta.settings,
  }
}
