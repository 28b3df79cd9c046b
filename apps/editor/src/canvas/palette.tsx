// The palette: every kind grouped by purpose. Drag a kind onto the canvas, or click to add it: after the
// selected step (connected to its first free output), or else in free space in view.
import { getNodeKind, type NodeGroup, nodeKinds } from '@parley/flow'
import { useReactFlow } from '@xyflow/react'
import { type DragEvent, useCallback } from 'react'
import { nodeUiOf } from '../nodes/registry.ts'
import { editorStore } from '../store/editor-store.ts'
import { connectedOutputs, outputsOf } from '../store/step-words.ts'

/** The output a new step joins when added with the step selected: the first one leading nowhere yet. */
function selectedOutput(): { nodeId: string; handle: string } | null {
  const { nodes, edges } = editorStore.getState()
  const selected = nodes.filter((n) => n.selected)
  if (selected.length !== 1) return null
  const node = selected[0]!
  const outputs = outputsOf(node)
  if (outputs.length === 0) return null
  const used = connectedOutputs(edges, node.id)
  const free = outputs.find((o) => !used?.has(o.id))
  return { nodeId: node.id, handle: (free ?? outputs[0]!).id }
}

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
  const { screenToFlowPosition, getNode, getViewport, setCenter } = useReactFlow()
  const addInView = useCallback(
    (kind: string) => {
      const after = selectedOutput()
      if (after) {
        const id = editorStore.getState().addStepAfter(after.nodeId, after.handle, kind)
        requestAnimationFrame(() => {
          const node = id ? getNode(id) : undefined
          if (node)
            setCenter(node.position.x + 130, node.position.y + 60, {
              zoom: getViewport().zoom,
              duration: 200,
            })
        })
        return
      }
      const canvas = document.querySelector('.canvas-area')?.getBoundingClientRect()
      const centre = canvas
        ? { x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 3 }
        : { x: window.innerWidth / 2, y: window.innerHeight / 3 }
      const at = screenToFlowPosition(centre)
      // The store moves it to the nearest free spot when this one is taken.
      editorStore.getState().addNode(kind, { x: at.x - 130, y: at.y })
    },
    [screenToFlowPosition, getNode, getViewport, setCenter],
  )

  return (
    <aside className="palette" aria-label="Steps">
      <div className="palette-title">Steps</div>
      <p className="palette-hint">Drag onto the canvas, or click to add after the selected step.</p>
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
