// Auto-layout: a layered top-down arrangement with dagre, sized from the cards as React Flow measured them.
import dagre from '@dagrejs/dagre'
import type { EditorGraph } from './convert.ts'

const DEFAULT_WIDTH = 260
const DEFAULT_HEIGHT = 110

export function layoutGraph(graph: EditorGraph): EditorGraph {
  const g = new dagre.graphlib.Graph()
  g.setGraph({ rankdir: 'TB', nodesep: 60, ranksep: 70, marginx: 20, marginy: 20 })
  g.setDefaultEdgeLabel(() => ({}))
  const size = new Map<string, { width: number; height: number }>()
  for (const node of graph.nodes) {
    const width = node.measured?.width ?? DEFAULT_WIDTH
    const height = node.measured?.height ?? DEFAULT_HEIGHT
    size.set(node.id, { width, height })
    g.setNode(node.id, { width, height })
  }
  for (const edge of graph.edges) {
    if (size.has(edge.source) && size.has(edge.target)) g.setEdge(edge.source, edge.target)
  }
  dagre.layout(g)
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const placed = g.node(node.id)
      const { width, height } = size.get(node.id)!
      if (!placed) return node
      // dagre gives centres; React Flow positions are top-left corners.
      return {
        ...node,
        position: { x: Math.round(placed.x - width / 2), y: Math.round(placed.y - height / 2) },
      }
    }),
  }
}
