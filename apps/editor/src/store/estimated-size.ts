// Large flows open drawing only the cards in view. React Flow draws every card it has never measured once
// (to learn its size and where its handles are), which on a 1,000-step flow meant 1,000 cards built, measured
// and thrown away before the first pan. So a large flow's cards start with an estimated size and handle
// positions (laid out as the card's CSS lays them out); a card's first real measurement replaces them.
import { isTriggerKind, type OutputHandle } from '@parley/flow'
import { type NodeHandle, Position } from '@xyflow/react'
import type { FlowCanvasNode } from './convert.ts'
import { DEFAULT_CARD_HEIGHT, DEFAULT_CARD_WIDTH, outputOffsetX } from './layout.ts'
import { outputsOf } from './step-words.ts'

/** From this many steps on, the canvas mounts only the cards and edges in view. */
export const LARGE_FLOW_NODES = 200

/** The handle dots' size (styles.css: `.react-flow__handle.handle`). */
const HANDLE_SIZE = 10
/** The card's top border, which the input handle is centred on. */
const CARD_TOP_BORDER = 3

/**
 * Half a pixel off any size the browser measures (whole pixels), so a card's first measurement always differs
 * from the estimate and always reaches the store, which then drops the estimated handles.
 */
const ESTIMATED_SIZE = { width: DEFAULT_CARD_WIDTH, height: DEFAULT_CARD_HEIGHT + 0.5 }

function estimatedHandles(node: FlowCanvasNode, outputs: OutputHandle[]): NodeHandle[] {
  const { width, height } = ESTIMATED_SIZE
  const half = HANDLE_SIZE / 2
  const handles: NodeHandle[] = outputs.map((output, i) => ({
    id: output.id,
    type: 'source',
    position: Position.Bottom,
    x: outputOffsetX(i, outputs.length, width) - half,
    y: height - 1 - half,
    width: HANDLE_SIZE,
    height: HANDLE_SIZE,
  }))
  if (!isTriggerKind(node.data.kind)) {
    handles.push({
      id: null,
      type: 'target',
      position: Position.Top,
      x: width / 2 - half,
      y: CARD_TOP_BORDER - half,
      width: HANDLE_SIZE,
      height: HANDLE_SIZE,
    })
  }
  return handles
}

/** The card with an estimated size and handles, so React Flow may leave it unmounted while out of view. */
export function withEstimatedSize(node: FlowCanvasNode): FlowCanvasNode {
  if (node.measured?.width !== undefined) return node
  return { ...node, measured: { ...ESTIMATED_SIZE }, handles: estimatedHandles(node, outputsOf(node)) }
}

/** The cards, estimated when the flow is large enough for the canvas to mount only what is in view. */
export function estimateLargeFlow(nodes: FlowCanvasNode[]): FlowCanvasNode[] {
  return nodes.length >= LARGE_FLOW_NODES ? nodes.map(withEstimatedSize) : nodes
}

/** The card without its estimated handles, once React Flow has measured the real ones. */
export function withoutEstimate(node: FlowCanvasNode): FlowCanvasNode {
  if (!node.handles) return node
  const { handles: _estimated, ...measured } = node
  return measured
}
