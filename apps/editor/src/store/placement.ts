// Where a new step goes: at the spot asked for when it is free, otherwise the nearest free spot below or
// beside it, so a new card never lands on top of another.
import type { EditorGraph } from './convert.ts'
import { handleIdsOf } from './graph-ops.ts'
import {
  DEFAULT_CARD_HEIGHT,
  DEFAULT_CARD_WIDTH,
  type EdgeRoute,
  outputOffsetX,
  type Point,
} from './layout.ts'

/** Space kept clear around a card. */
const MARGIN = 24
const STEP_DOWN = 40

interface Box {
  x: number
  y: number
  width: number
  height: number
}

function boxesOf(graph: EditorGraph): Box[] {
  return graph.nodes.map((n) => ({
    x: n.position.x,
    y: n.position.y,
    width: n.measured?.width ?? DEFAULT_CARD_WIDTH,
    height: n.measured?.height ?? DEFAULT_CARD_HEIGHT,
  }))
}

function overlaps(a: Box, b: Box): boolean {
  return (
    a.x < b.x + b.width + MARGIN &&
    b.x < a.x + a.width + MARGIN &&
    a.y < b.y + b.height + MARGIN &&
    b.y < a.y + a.height + MARGIN
  )
}

/**
 * The top-left corner for a new card near `desired`: the spot itself when free, otherwise the first free
 * one trying further down, then one card width to the right or left, and so on.
 */
export function findFreeSpot(
  graph: EditorGraph,
  desired: Point,
  size = { width: DEFAULT_CARD_WIDTH, height: DEFAULT_CARD_HEIGHT },
): Point {
  const boxes = boxesOf(graph)
  const columns = [0, 1, -1, 2, -2, 3, -3]
  for (let row = 0; row < 60; row++) {
    for (const column of columns) {
      const at = {
        x: Math.round(desired.x + column * (size.width + MARGIN * 2)),
        y: Math.round(desired.y + row * STEP_DOWN),
      }
      if (!boxes.some((b) => overlaps(b, { ...at, ...size }))) return at
    }
  }
  return desired
}

/** The spot just below one of a card's outputs, where the step it leads to would naturally go. */
export function belowOutput(graph: EditorGraph, nodeId: string, handle: string): Point | null {
  const node = graph.nodes.find((n) => n.id === nodeId)
  if (!node) return null
  const width = node.measured?.width ?? DEFAULT_CARD_WIDTH
  const height = node.measured?.height ?? DEFAULT_CARD_HEIGHT
  const handles = handleIdsOf(node)
  const index = Math.max(handles.indexOf(handle), 0)
  const handleX = node.position.x + outputOffsetX(index, handles.length, width)
  return { x: Math.round(handleX - DEFAULT_CARD_WIDTH / 2), y: node.position.y + height + 80 }
}

/**
 * Moves every card that starts at or below `y` down by `dy`, so a step inserted into a path gets its own row
 * instead of squeezing in beside the path. Connections between two moved cards keep their routes, moved along.
 */
export function makeRoomBelow(graph: EditorGraph, y: number, dy: number): EditorGraph {
  const moved = new Set(graph.nodes.filter((n) => n.position.y >= y).map((n) => n.id))
  if (moved.size === 0) return graph
  return {
    nodes: graph.nodes.map((n) =>
      moved.has(n.id) ? { ...n, position: { x: n.position.x, y: n.position.y + dy } } : n,
    ),
    edges: graph.edges.map((e) => {
      const route = (e.data as { route?: EdgeRoute } | undefined)?.route
      if (!route || !moved.has(e.source) || !moved.has(e.target)) return e
      return { ...e, data: { ...e.data, route: route.map((p) => ({ x: p.x, y: p.y + dy })) } }
    }),
  }
}
