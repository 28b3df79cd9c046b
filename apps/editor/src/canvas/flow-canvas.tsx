// The canvas: React Flow bound to the editor store. Node types, edge options and callbacks are stable
// (module scope or useCallback), and the canvas is the only component that subscribes to the node list.

import { nodeKinds } from '@parley/flow'
import {
  Background,
  BackgroundVariant,
  type DefaultEdgeOptions,
  type EdgeTypes,
  type IsValidConnection,
  MarkerType,
  MiniMap,
  type NodeTypes,
  type OnDelete,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  useStoreApi,
} from '@xyflow/react'
import { type DragEvent, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { useReadOnly } from '../editor/read-only.ts'
import type { FlowCanvasEdge, FlowCanvasNode } from '../store/convert.ts'
import { editorStore, useEditor } from '../store/editor-store.ts'
import { LARGE_FLOW_NODES } from '../store/estimated-size.ts'
import { connectionProblem } from '../store/graph-ops.ts'
import { FlowEdge } from './flow-edge.tsx'
import { FlowNodeCard } from './flow-node-card.tsx'
import { arrangesOnOpen, openingViewport, type Viewport } from './opening-view.ts'
import { DRAG_MIME } from './palette.tsx'
import { StepMenu } from './step-menu.tsx'

export const nodeTypes: NodeTypes = Object.fromEntries(
  Object.keys(nodeKinds).map((kind) => [kind, FlowNodeCard]),
)

export const edgeTypes: EdgeTypes = { flow: FlowEdge }

const defaultEdgeOptions: DefaultEdgeOptions = {
  type: 'flow',
  markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: '#94a3b8' },
  // The edge's label chip (flow-edge.tsx) is what a keyboard or a screen reader meets, after every step.
  // React Flow leaves out its own "Edge from <id> to <id>" label when given null (its type says string).
  ariaLabel: null as unknown as string,
  domAttributes: { 'aria-hidden': true },
}

/**
 * From this many steps on, React Flow mounts only the cards and edges in view (cards out of view keep the size
 * they were estimated at until they come into view: estimated-size.ts), so opening, panning and painting a
 * large flow cost what is on screen; small flows keep every card mounted.
 */
export const VISIBLE_ONLY_FROM_NODES = LARGE_FLOW_NODES

/** How long after a flow opens its layout's routes are looked for. */
const ROUTES_AFTER_MS = 1500

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

/** How the canvas opens: at a viewport known before its first render, or hidden until a fresh template is arranged. */
interface Opening {
  /** The opening view, or none when arranging first (framed once the layout is done) or nothing to frame. */
  view?: Viewport
  arrange: boolean
}

/**
 * Reads the pane's size before React Flow first renders (a layout effect: nothing is painted in between) and
 * works out the opening view from the cards' estimated or default sizes, so the canvas renders its cards once,
 * already framed, and stays put: no fit after measuring that would move the view under a merchant's first drag.
 * React Flow's store gets the view and the pane's size up front, so the first cards it draws are those in view.
 * Only a fresh template (small and never arranged) is still arranged first and framed on its measured cards.
 */
function useOpening(untouched: boolean) {
  const area = useRef<HTMLDivElement>(null)
  const rf = useStoreApi()
  const [opening, setOpening] = useState<Opening | null>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once, when the canvas mounts
  useLayoutEffect(() => {
    const pane = area.current
    if (!pane) return
    const { clientWidth: width, clientHeight: height } = pane
    const graph = editorStore.getState()
    const arrange = arrangesOnOpen(untouched, graph.nodes.length)
    const view = arrange ? null : openingViewport(graph, width, height)
    if (view) rf.setState({ transform: [view.x, view.y, view.zoom], width, height })
    setOpening(view ? { view, arrange } : { arrange })
  }, [])
  return { area, opening }
}

/**
 * Once the cards are measured: arranges a fresh template and frames it, or picks up an arranged small flow's
 * routes once the page has settled. Large flows skip the layout, so opening them costs no more than before.
 */
function useArrangeOnOpen(opening: Opening | null): boolean {
  const initialised = useNodesInitialized()
  const { setViewport } = useReactFlow()
  const rf = useStoreApi()
  const done = useRef(false)
  const routesTimer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const [arranged, setArranged] = useState(false)
  useEffect(() => {
    if (!opening || !initialised || done.current) return
    done.current = true
    if (opening.arrange) {
      // Shown once arranged: no jump from the template's grid to the layout.
      editorStore
        .getState()
        .arrangeOnOpen(true)
        .catch(() => {})
        .finally(() => {
          const { width, height } = rf.getState()
          const view = openingViewport(editorStore.getState(), width, height)
          if (view) setViewport(view)
          setArranged(true)
        })
      return
    }
    if (editorStore.getState().nodes.length >= VISIBLE_ONLY_FROM_NODES) return
    // The routes of an arranged flow are picked up once the page has settled, so loading ELK never competes
    // with the first paint and the first pan (the editor-load bench).
    const pickUpRoutes = () =>
      editorStore
        .getState()
        .arrangeOnOpen(false)
        .catch(() => {})
    routesTimer.current = setTimeout(() => {
      if ('requestIdleCallback' in window) requestIdleCallback(pickUpRoutes, { timeout: 2000 })
      else pickUpRoutes()
    }, ROUTES_AFTER_MS)
  }, [opening, initialised, rf, setViewport])
  useEffect(() => () => clearTimeout(routesTimer.current), [])
  return opening !== null && (!opening.arrange || arranged)
}

export function FlowCanvas({
  untouched = false,
  showMap = false,
}: {
  untouched?: boolean
  showMap?: boolean
}) {
  const nodes = useEditor((s) => s.nodes)
  const edges = useEditor((s) => s.edges)
  const onNodesChange = useEditor((s) => s.onNodesChange)
  const onEdgesChange = useEditor((s) => s.onEdgesChange)
  const onConnect = useEditor((s) => s.onConnect)
  const readOnly = useReadOnly()
  const onNodesChangeAllowed = useCallback<typeof onNodesChange>(
    // A viewer may select steps (to read them in the inspector), nothing else.
    (changes) =>
      onNodesChange(
        readOnly ? changes.filter((c) => c.type === 'select' || c.type === 'dimensions') : changes,
      ),
    [onNodesChange, readOnly],
  )
  const { screenToFlowPosition } = useReactFlow()
  const { area, opening } = useOpening(untouched)
  const ready = useArrangeOnOpen(opening)
  const crossings = useEditor((s) => s.layoutReport?.crossings)

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(DRAG_MIME)) return
    event.preventDefault()
    event.dataTransfer.dropEffect = 'move'
  }, [])

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(DRAG_MIME)
      if (!kind || readOnly) return
      event.preventDefault()
      const at = screenToFlowPosition({ x: event.clientX, y: event.clientY })
      // Drop so the pointer sits near the card's top centre.
      editorStore.getState().addNode(kind, { x: at.x - 130, y: at.y - 20 })
    },
    [screenToFlowPosition, readOnly],
  )

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target for palette drags; keyboard users add steps by clicking in the palette
    <div
      ref={area}
      className={`canvas-area${ready ? '' : ' opening'}`}
      onDragOver={onDragOver}
      onDrop={onDrop}
      data-edge-crossings={crossings ?? undefined}
    >
      {opening ? (
        <ReactFlow<FlowCanvasNode, FlowCanvasEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          edgesFocusable={false}
          defaultEdgeOptions={defaultEdgeOptions}
          onNodesChange={onNodesChangeAllowed}
          onEdgesChange={readOnly ? undefined : onEdgesChange}
          onConnect={readOnly ? undefined : onConnect}
          onDelete={readOnly ? undefined : onDelete}
          isValidConnection={isValidConnection}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          deleteKeyCode={readOnly ? null : DELETE_KEYS}
          multiSelectionKeyCode={MULTI_SELECT_KEYS}
          selectionKeyCode="Shift"
          onlyRenderVisibleElements={nodes.length >= VISIBLE_ONLY_FROM_NODES}
          minZoom={0.1}
          {...(opening.view ? { defaultViewport: opening.view } : {})}
          proOptions={{ hideAttribution: true }}
        >
          <Background variant={BackgroundVariant.Dots} gap={18} size={1.2} color="#cbd5e1" />
          {showMap ? (
            <MiniMap<FlowCanvasNode>
              pannable
              zoomable
              nodeColor={minimapColor}
              nodeStrokeWidth={0}
              ariaLabel="Map of the whole flow"
            />
          ) : null}
        </ReactFlow>
      ) : null}
      <StepMenu />
    </div>
  )
}
