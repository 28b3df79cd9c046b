// How the canvas names steps, outputs and connections in words a merchant (and a screen reader) can use:
// the step's own name or its kind's title, and each output's label from its node kind in @parley/flow.
import { getNodeKind, type OutputHandle } from '@parley/flow'
import type { FlowCanvasEdge, FlowCanvasNode } from './convert.ts'

const handlesCache = new WeakMap<object, OutputHandle[]>()

/** The outputs a node offers now (they follow its config); cached per config object. */
export function outputsOf(node: Pick<FlowCanvasNode, 'data'>): OutputHandle[] {
  const { data } = node
  const key = (data.config !== null && typeof data.config === 'object' ? data.config : data) as object
  const hit = handlesCache.get(key)
  if (hit) return hit
  let handles: OutputHandle[] = []
  try {
    handles = getNodeKind(data.kind)?.handles(data.config as never) ?? []
  } catch {
    handles = []
  }
  handlesCache.set(key, handles)
  return handles
}

/** True for a step whose only way on is "next": its connection needs no label. */
export function hasSingleNext(outputs: OutputHandle[]): boolean {
  return outputs.length === 1 && outputs[0]!.id === 'next'
}

export function stepName(node: Pick<FlowCanvasNode, 'data'>): string {
  return node.data.name?.trim() || getNodeKind(node.data.kind)?.title || 'Step'
}

const indexCache = new WeakMap<FlowCanvasNode[], Map<string, FlowCanvasNode>>()

/** Nodes by id, built once per nodes array, so a selector per edge or card stays O(1). */
export function nodeIndex(nodes: FlowCanvasNode[]): Map<string, FlowCanvasNode> {
  let index = indexCache.get(nodes)
  if (!index) {
    index = new Map(nodes.map((n) => [n.id, n]))
    indexCache.set(nodes, index)
  }
  return index
}

/** The label of a branch ("No reply", "Found", a button's title); empty for a plain "then". */
export function branchLabel(source: FlowCanvasNode | undefined, handle: string | null | undefined): string {
  if (!source) return ''
  const outputs = outputsOf(source)
  if (hasSingleNext(outputs)) return ''
  return outputs.find((o) => o.id === (handle ?? 'next'))?.label ?? ''
}

/**
 * A connection in words.
 * @example "From 'Wait for a reply' when No reply to 'Send message'"
 */
export function describeConnection(
  nodes: FlowCanvasNode[],
  edge: Pick<FlowCanvasEdge, 'source' | 'sourceHandle' | 'target'>,
): string {
  const index = nodeIndex(nodes)
  const source = index.get(edge.source)
  const target = index.get(edge.target)
  const when = branchLabel(source, edge.sourceHandle)
  const from = source ? `'${stepName(source)}'` : 'a removed step'
  const to = target ? `'${stepName(target)}'` : 'a removed step'
  return `From ${from}${when ? ` when ${when}` : ''} to ${to}`
}

/** Which outputs of each node lead somewhere, built once per edges array. */
const connectedCache = new WeakMap<FlowCanvasEdge[], Map<string, Set<string>>>()
export function connectedOutputs(edges: FlowCanvasEdge[], nodeId: string): Set<string> | undefined {
  let index = connectedCache.get(edges)
  if (!index) {
    index = new Map()
    for (const edge of edges) {
      const set = index.get(edge.source) ?? new Set<string>()
      set.add(edge.sourceHandle ?? 'next')
      index.set(edge.source, set)
    }
    connectedCache.set(edges, index)
  }
  return index.get(nodeId)
}
