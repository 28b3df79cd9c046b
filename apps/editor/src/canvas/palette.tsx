// The palette: every kind grouped by purpose. Drag a kind onto the canvas, or click to add it in view.
import { getNodeKind, type NodeGroup, nodeKinds } from '@parley/flow'
import { useReactFlow } from '@xyflow/react'
import { type DragEvent, useCallback } from 'react'
import { nodeUiOf } from '../nodes/registry.ts'
import { editorStore } from '../store/editor-store.ts'

export const DRAG_MIME = 'application/x-parley-kind'

const GROUPS: { id: NodeGroup; label: string }[] = [
  { id: 'triggers', label: 'Triggers' },
  { id: 'messages', label: 'Messages' },
  { id: 'timing', label: 'Timing' },
  { id: 'logic', label: 'Logic' },
  { id: 'actions', label: 'Actions' },
  { id: 'people', label: 'People' },
]

const kindsByGroup = GROUPS.map((group) => ({
  ...group,
  kinds: Object.values(nodeKinds).filter((k) => k.group === group.id),
}))

function onDragStart(event: DragEvent, kind: string) {
  event.dataTransfer.setData(DRAG_MIME, kind)
  event.dataTransfer.effectAllowed = 'move'
}

export function Palette() {
  const { screenToFlowPosition } = useReactFlow()
  const addInView = useCallback(
    (kind: string) => {
      const canvas = document.querySelector('.canvas-area')?.getBoundingClientRect()
      const centre = canvas
        ? { x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 3 }
        : { x: window.innerWidth / 2, y: window.innerHeight / 3 }
      const at = screenToFlowPosition(centre)
      // Nudge each new node so repeated clicks do not stack exactly.
      const count = editorStore.getState().nodes.length
      editorStore.getState().addNode(kind, { x: at.x - 130 + (count % 5) * 16, y: at.y + (count % 5) * 16 })
    },
    [screenToFlowPosition],
  )

  return (
    <aside className="palette" aria-label="Steps">
      <div className="palette-title">Steps</div>
      <p className="palette-hint">Drag onto the canvas, or click to add.</p>
      {kindsByGroup.map((group) => (
        <div key={group.id} className="palette-group">
          <div className="palette-group-label">{group.label}</div>
          {group.kinds.map((kind) => (
            <button
              type="button"
              key={kind.kind}
              className={`palette-item group-${group.id}`}
              draggable
              onDragStart={(e) => onDragStart(e, kind.kind)}
              onClick={() => addInView(kind.kind)}
              title={getNodeKind(kind.kind)?.description}
              data-kind={kind.kind}
            >
              <span className="palette-icon" aria-hidden="true">
                {nodeUiOf(kind.kind)?.icon}
              </span>
              <span>{kind.title}</span>
            </button>
          ))}
        </div>
      ))}
    </aside>
  )
}
