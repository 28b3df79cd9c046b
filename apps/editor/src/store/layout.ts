// Auto-layout: elkjs's layered algorithm, top to bottom, with each card's outputs as ports in the order the
// card shows them (so sibling branches keep their order and do not cross), orthogonal edge routes that go
// around cards, and a count of the crossings left in the routes. ELK itself is loaded lazily (elk-loader.ts).
import type { ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api.js'
import type { EditorGraph, FlowCanvasEdge } from './convert.ts'
import { handleIdsOf } from './graph-ops.ts'

/** What the layout needs from ELK: the promise-returning `layout` of `elk-api` or `elk.bundled`. */
export interface ElkEngine {
  layout(graph: ElkNode): Promise<ElkNode>
}

export interface Point {
  x: number
  y: number
}

/** An edge's path from its output to its target's input, in flow coordinates, bends included. */
export type EdgeRoute = Point[]

export interface LayoutResult {
  /** Top-left corner of each card. */
  positions: Map<string, Point>
  routes: Map<string, EdgeRoute>
  /** Proper crossings between the routed edges (0 for a planar arrangement). */
  crossings: number
}

export const DEFAULT_CARD_WIDTH = 260
export const DEFAULT_CARD_HEIGHT = 110

const LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.nodeNode': '60',
  'elk.layered.spacing.nodeNodeBetweenLayers': '80',
  'elk.spacing.edgeNode': '28',
  'elk.spacing.edgeEdge': '18',
  'elk.layered.spacing.edgeNodeBetweenLayers': '28',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '14',
  // The document's order breaks ties, so a layout is stable and reads the way the flow was written.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.crossingMinimization.semiInteractive': 'true',
  'elk.separateConnectedComponents': 'true',
  'elk.spacing.componentComponent': '80',
  'elk.padding': '[top=20,left=20,bottom=20,right=20]',
}

const inPort = (nodeId: string) => `${nodeId}::in`
const outPort = (nodeId: string, handle: string) => `${nodeId}::out::${handle}`

/**
 * Where an output's handle sits on the card's bottom edge: outputs share the width equally and each handle
 * is at the middle of its share (the card's CSS lays them out that way; a single output sits in the middle).
 */
export function outputOffsetX(index: number, count: number, width: number): number {
  return (width * (2 * index + 1)) / (2 * Math.max(count, 1))
}

function sizeOf(node: EditorGraph['nodes'][number]) {
  return {
    width: node.measured?.width ?? DEFAULT_CARD_WIDTH,
    height: node.measured?.height ?? DEFAULT_CARD_HEIGHT,
  }
}

/** The ELK graph for a canvas graph: cards with fixed ports, edges from an output port to an input port. */
export function toElkGraph(graph: EditorGraph): ElkNode {
  const known = new Set(graph.nodes.map((n) => n.id))
  const handles = new Map<string, string[]>()
  const children: ElkNode[] = graph.nodes.map((node) => {
    const { width, height } = sizeOf(node)
    const outputs = handleIdsOf(node)
    handles.set(node.id, outputs)
    const ports: ElkPort[] = outputs.map((handle, i) => ({
      id: outPort(node.id, handle),
      x: outputOffsetX(i, outputs.length, width),
      y: height,
      width: 0,
      height: 0,
      layoutOptions: { 'elk.port.side': 'SOUTH' },
    }))
    ports.push({
      id: inPort(node.id),
      x: width / 2,
      y: 0,
      width: 0,
      height: 0,
      layoutOptions: { 'elk.port.side': 'NORTH' },
    })
    return { id: node.id, width, height, ports, layoutOptions: { 'elk.portConstraints': 'FIXED_POS' } }
  })
  const edges: ElkExtendedEdge[] = graph.edges
    .filter((e) => known.has(e.source) && known.has(e.target))
    .map((edge) => {
      const handle = edge.sourceHandle ?? 'next'
      const hasPort = handles.get(edge.source)?.includes(handle)
      return {
        id: edge.id,
        sources: [hasPort ? outPort(edge.source, handle) : edge.source],
        targets: [inPort(edge.target)],
      }
    })
  return { id: 'root', layoutOptions: LAYOUT_OPTIONS, children, edges }
}

function routeOf(edge: ElkExtendedEdge): EdgeRoute | null {
  const section = edge.sections?.[0]
  if (!section) return null
  const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]
  return points.map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) }))
}

/** Lays the graph out with ELK: card positions, edge routes and how many crossings remain. */
export async function computeLayout(graph: EditorGraph, elk: ElkEngine): Promise<LayoutResult> {
  const laid = await elk.layout(toElkGraph(graph))
  const positions = new Map<string, Point>()
  for (const child of laid.children ?? []) {
    positions.set(child.id, { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) })
  }
  const routes = new Map<string, EdgeRoute>()
  for (const edge of laid.edges ?? []) {
    const route = routeOf(edge as ElkExtendedEdge)
    if (route) routes.set(edge.id, route)
  }
  return { positions, routes, crossings: countEdgeCrossings([...routes.values()]) }
}

/** The graph with the layout's positions, and each edge carrying its route for the canvas to draw. */
export function applyLayout(graph: EditorGraph, layout: LayoutResult): EditorGraph {
  return {
    nodes: graph.nodes.map((node) => {
      const at = layout.positions.get(node.id)
      return at ? { ...node, position: at } : node
    }),
    edges: graph.edges.map((edge) => withRoute(edge, layout.routes.get(edge.id))),
  }
}

/** Adds (or removes) an edge's route; a route lives on the canvas only, never in the saved document. */
export function withRoute(edge: FlowCanvasEdge, route: EdgeRoute | undefined): FlowCanvasEdge {
  const { route: _old, ...data } = (edge.data ?? {}) as { route?: EdgeRoute }
  return route ? { ...edge, data: { ...data, route } } : { ...edge, data }
}

/** True when every card already stands where the layout would put it (within a pixel). */
export function matchesLayout(graph: EditorGraph, layout: LayoutResult): boolean {
  return graph.nodes.every((node) => {
    const at = layout.positions.get(node.id)
    return at !== undefined && Math.abs(at.x - node.position.x) <= 1 && Math.abs(at.y - node.position.y) <= 1
  })
}

type Segment = readonly [Point, Point]

function segmentsOf(route: EdgeRoute): Segment[] {
  const out: Segment[] = []
  for (let i = 1; i < route.length; i++) out.push([route[i - 1]!, route[i]!])
  return out
}

function cross(o: Point, a: Point, b: Point): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
}

/**
 * Whether two segments cross at a point inside both. Touching (a shared end, a T where one edge joins
 * another's path into the same input) and running along the same line are not crossings.
 */
function properlyCross([a, b]: Segment, [c, d]: Segment): boolean {
  const d1 = cross(c, d, a)
  const d2 = cross(c, d, b)
  const d3 = cross(a, b, c)
  const d4 = cross(a, b, d)
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
}

/**
 * Counts the places where two different routes cross each other.
 * @example countEdgeCrossings([[{x:0,y:0},{x:0,y:10}], [{x:-5,y:5},{x:5,y:5}]]) // 1
 */
export function countEdgeCrossings(routes: EdgeRoute[]): number {
  const segments = routes.map(segmentsOf)
  let crossings = 0
  for (let i = 0; i < segments.length; i++) {
    for (let j = i + 1; j < segments.length; j++) {
      for (const s of segments[i]!) {
        for (const t of segments[j]!) if (properlyCross(s, t)) crossings += 1
      }
    }
  }
  return crossings
}
