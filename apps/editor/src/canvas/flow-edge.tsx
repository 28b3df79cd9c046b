// A connection on the canvas: drawn along its ELK route when the cards still stand where the layout put
// them (orthogonal, around cards), otherwise as a smooth step. Its label chip names the branch it comes from
// and is the connection's keyboard stop: it is rendered after every card, so Tab reaches steps first, and a
// screen reader hears "From 'Wait 1 hour' when No reply to 'Reminder'", never an id. Focusing it selects the
// connection, so Delete or Backspace removes it through the canvas's own delete key.
import { BaseEdge, type EdgeProps, getSmoothStepPath, ViewportPortal } from '@xyflow/react'
import { memo } from 'react'
import { EdgeNumbers } from '../analytics/flow-numbers-bar.tsx'
import type { FlowCanvasEdge } from '../store/convert.ts'
import { editorStore, useEditor } from '../store/editor-store.ts'
import type { EdgeRoute } from '../store/layout.ts'
import { branchLabel, describeConnection, nodeIndex } from '../store/step-words.ts'
import { fitRoute, labelPoint, roundedPath } from './edge-path.ts'

export const FlowEdge = memo(function FlowEdge({
  id,
  source,
  target,
  sourceHandleId,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  markerEnd,
  selected,
  data,
}: EdgeProps<FlowCanvasEdge>) {
  const label = useEditor((s) => branchLabel(nodeIndex(s.nodes).get(source), sourceHandleId))
  const description = useEditor((s) =>
    describeConnection(s.nodes, { source, sourceHandle: sourceHandleId ?? null, target }),
  )
  const route = (data as { route?: EdgeRoute } | undefined)?.route
  const points = route ? fitRoute(route, { x: sourceX, y: sourceY }, { x: targetX, y: targetY }) : null
  let path: string
  let at: { x: number; y: number }
  if (points) {
    path = roundedPath(points)
    at = labelPoint(points)
  } else {
    const [smooth, x, y] = getSmoothStepPath({
      sourceX,
      sourceY,
      sourcePosition,
      targetX,
      targetY,
      targetPosition,
      borderRadius: 8,
    })
    path = smooth
    at = { x, y }
  }

  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={points ? 'routed' : undefined} />
      <ViewportPortal>
        <button
          type="button"
          className={`edge-chip nodrag nopan${label ? '' : ' plain'}${selected ? ' selected' : ''}`}
          style={{ transform: `translate(-50%, -50%) translate(${at.x}px, ${at.y}px)` }}
          aria-label={description}
          title={description}
          data-testid={`edge-chip-${id}`}
          onFocus={() => editorStore.getState().selectEdges([id])}
          onClick={() => editorStore.getState().selectEdges([id])}
        >
          {label ? <span aria-hidden="true">{label}</span> : null}
          <EdgeNumbers edgeId={id} />
        </button>
      </ViewportPortal>
    </>
  )
})
