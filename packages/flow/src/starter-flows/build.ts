// Small builders for the shipped starter flows: a node starts from its kind's defaults, so each
// flow file only states what differs.
import type { FlowEdge } from '../document.ts'
import { type FlowNode, type NodeConfig, type NodeKindId, nodeKinds } from '../nodes/index.ts'

/** Vertical distance between steps; branches go to the right. */
export const ROW = 220
export const COLUMN = 340

export function flowNode<K extends NodeKindId>(
  kind: K,
  id: string,
  name: string,
  at: { col: number; row: number },
  config: Partial<NodeConfig<K>> = {},
): FlowNode {
  return {
    id,
    kind,
    name,
    position: { x: at.col * COLUMN, y: at.row * ROW },
    config: { ...(nodeKinds[kind].defaults as object), ...config },
  } as unknown as FlowNode
}

export function edge(source: string, target: string, sourceHandle = 'next'): FlowEdge {
  return { id: `${source}-${sourceHandle}-${target}`, source, sourceHandle, target }
}
