// Where the canvas looks when a flow opens: at a readable zoom (75–100 %), on the trigger and the first
// steps after it, not the whole flow shrunk until its text cannot be read.
import { isTriggerKind } from '@parley/flow'
import type { EditorGraph } from '../store/convert.ts'
import { LARGE_FLOW_NODES } from '../store/estimated-size.ts'
import { DEFAULT_CARD_HEIGHT, DEFAULT_CARD_WIDTH } from '../store/layout.ts'

export const MIN_OPENING_ZOOM = 0.75
const MAX_OPENING_ZOOM = 1
const PADDING = 48
/** Steps after the trigger that the opening view tries to show. */
const FIRST_STEPS_DEPTH = 2

export interface Viewport {
  x: number
  y: number
  zoom: number
}

/**
 * Whether a flow is arranged (and framed) before it is first shown: one never saved since it was created (fresh
 * from a template) with steps to arrange, and small. A blank flow has none: arranged once its first card was
 * measured, the step the merchant had just dropped jumped to the layout's corner and the view reframed, a moment
 * later, and on a slow machine while the next steps were being dropped and connected.
 */
export function arrangesOnOpen(untouched: boolean, steps: number): boolean {
  return untouched && steps > 0 && steps < LARGE_FLOW_NODES
}

/** The trigger(s) and the steps up to two connections after them (or the first step, in a flow without one). */
export function openingNodeIds(graph: EditorGraph): string[] {
  const triggers = graph.nodes.filter((n) => isTriggerKind(n.data.kind)).map((n) => n.id)
  const start = triggers.length > 0 ? triggers : graph.nodes.slice(0, 1).map((n) => n.id)
  const seen = new Set(start)
  let frontier = start
  for (let depth = 0; depth < FIRST_STEPS_DEPTH; depth++) {
    const next: string[] = []
    for (const edge of graph.edges) {
      if (frontier.includes(edge.source) && !seen.has(edge.target)) {
        seen.add(edge.target)
        next.push(edge.target)
      }
    }
    frontier = next
  }
  return [...seen]
}

/**
 * The viewport for a pane of `width` × `height` that frames the opening steps at a readable zoom. When they
 * do not all fit at 75 %, the top of the flow stays in view (a flow is read from its trigger down).
 */
export function openingViewport(graph: EditorGraph, width: number, height: number): Viewport | null {
  const ids = new Set(openingNodeIds(graph))
  const boxes = graph.nodes
    .filter((n) => ids.has(n.id))
    .map((n) => ({
      x: n.position.x,
      y: n.position.y,
      w: n.measured?.width ?? DEFAULT_CARD_WIDTH,
      h: n.measured?.height ?? DEFAULT_CARD_HEIGHT,
    }))
  if (boxes.length === 0 || width <= 0 || height <= 0) return null
  const minX = Math.min(...boxes.map((b) => b.x))
  const minY = Math.min(...boxes.map((b) => b.y))
  const maxX = Math.max(...boxes.map((b) => b.x + b.w))
  const maxY = Math.max(...boxes.map((b) => b.y + b.h))
  const fit = Math.min((width - 2 * PADDING) / (maxX - minX), (height - 2 * PADDING) / (maxY - minY))
  const zoom = Math.min(MAX_OPENING_ZOOM, Math.max(MIN_OPENING_ZOOM, fit))
  const first = boxes[0]!
  const centreX = (maxX - minX) * zoom <= width - 2 * PADDING ? (minX + maxX) / 2 : first.x + first.w / 2
  const x = width / 2 - centreX * zoom
  const y =
    (maxY - minY) * zoom <= height - 2 * PADDING
      ? height / 2 - ((minY + maxY) / 2) * zoom
      : PADDING - minY * zoom
  return { x: Math.round(x), y: Math.round(y), zoom }
}
