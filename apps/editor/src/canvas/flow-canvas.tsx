// The canvas: React Flow bound to the editor store. Node types, edge options and callbacks are stable
// (module scope or useCallback), and the canvas is the only component that subscribes to the node list.

import { nodeKinds } from '@parley/flow'
import {
  Background,
  BackgroundVariant,
  Controls,
  type DefaultEdgeOptions,
  type IsValidConnection,
  MarkerType,
  MiniMap,
  type NodeTypes,
  type OnDelete,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react'
import { type DragEvent, useCallback } from 'react'
import type { FlowCanvasEdge, FlowCanvasNode } from '../store/convert.ts'
import { editorStore, useEditor } from '../store/editor-store.ts'
import { connectionProblem } from '../store/graph-ops.ts'
import { FlowNodeCard } from './flow-node-card.tsx'
import { DRAG_MIME } from './palette.tsx'

export const nodeTypes: NodeTypes = Object.fromEntries(
  Object.keys(nodeKinds).map((kind) => [kind, FlowNodeCard]),
)

const defaultEdgeOptions: DefaultEdgeOptions = {
  type: 'smoothstep',
  markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: '#94a3b8' },
}

/**
 * From this many steps on, React Flow mounts only the cards and edges in view (after measuring every card
 * once), so panning and painting a large flow cost what is on screen; small flows keep every card mounted.
 */
export const VISIBLE_ONLY_FROM_NODES = 200

const DELETE_KEYS = ['Backspace', 'Delete']
const MULTI_SELECT_KEYS = ['Meta', 'Control', 'Shift']

function minimapColor(node: FlowCanvasNode): string {
  const group = nodeKinds[node.data.kind as keyof typeof nodeKinds]?.group
  return (
    {
      triggers: '#10b981',
      messages: '#6366f1',
      timing: '#f59e0b',
      logic: '#8b5cf6',
      actions: '#0ea5e9',
      people: '#ec4899',
    }[group ?? 'logic'] ?? '#94a3b8'
  )
}

const onDelete: OnDelete<FlowCanvasNode, FlowCanvasEdge> = ({ nodes, edges }) => {
  editorStore.getState().deleteElements(
    nodes.map((n) => n.id),
    edges.map((e) => e.id),
  )
}

const isValidConnection: IsValidConnection<FlowCanvasEdge> = (connection) => {
  const state = editorStore.getState()
  return (
    connectionProblem(
      { nodes: state.nodes, edges: state.edges },
      {
        source: connection.source,
        target: connection.target,
        sourceHandle: connection.sourceHandle ?? null,
        targetHandle: connection.targetHandle ?? null,
      },
    ) === null
  )
}

export function FlowCanvas() {
  const nodes = useEditor((s) => s.nodes)
  const edges = useEditor((s) => s.edges)
  const onNodesChange = useEditor((s) => s.onNodesChange)
  const onEdgesChange = useEditor((s) => s.onEdgesChange)
  const onConnect = useEditor((s) => s.onConnect)
  const { screenToFlowPosition } = useReactFlow()

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(DRAG_MIME)) return
    event.preventDefault()
    event.dataTransfer.dropEffect = 'move'
  }, [])

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(DRAG_MIME)
      if (!kind) return
      event.preventDefault()
      const at = screenToFlowPosition({ x: event.clientX, y: event.clientY })
      // Drop so the pointer sits near the card's top centre.
      editorStore.getState().addNode(kind, { x: at.x - 130, y: at.y - 20 })
    },
    [screenToFlowPosition],
  )

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target for palette drags; keyboard users add steps by clicking in the palette
    <div className="canvas-area" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<FlowCanvasNode, FlowCanvasEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onDelete={onDelete}
        isValidConnection={isValidConnection}
        deleteKeyCode={DELETE_KEYS}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        selectionKeyCode="Shift"
        onlyRenderVisibleElements={nodes.length >= VISIBLE_ONLY_FROM_NODES}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
        minZoom={0.1}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={18} size={1.2} color="#cbd5e1" />
        <MiniMap<FlowCanvasNode> pannable zoomable nodeColor={minimapColor} nodeStrokeWidth={0} />
        <Controls showInteractive={false} position="top-right" />
      </ReactFlow>
    </div>
  )
}
