// The menu a "+" on an output opens: add a new step there (placed in free space below, connected), or lead
// the output to a step that already exists, which is how steps are connected without a mouse.
import { isTriggerKind, type NodeGroup, nodeKinds } from '@parley/flow'
import { useReactFlow } from '@xyflow/react'
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { nodeUiOf } from '../nodes/registry.ts'
import { editorStore, useEditor } from '../store/editor-store.ts'
import { branchLabel, nodeIndex, stepName } from '../store/step-words.ts'
import { useDismiss } from '../ui/use-dismiss.ts'
import { closeStepMenu, type StepMenuTarget, stepMenuStore, useStepMenu } from './step-menu-store.ts'

const GROUP_ORDER: NodeGroup[] = ['messages', 'timing', 'logic', 'actions', 'people']
const NEW_STEP_KINDS = Object.values(nodeKinds)
  .filter((k) => !isTriggerKind(k.kind))
  .sort((a, b) => GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group))

const MENU_WIDTH = 320

export function StepMenu() {
  const open = useStepMenu()
  return open ? <StepMenuPanel key={`${open.nodeId}:${open.handle}`} target={open} /> : null
}

function StepMenuPanel({ target }: { target: StepMenuTarget }) {
  const ref = useRef<HTMLDivElement>(null)
  const [at, setAt] = useState<{ left: number; top: number } | null>(null)
  const source = useEditor((s) => nodeIndex(s.nodes).get(target.nodeId))
  const nodes = useEditor((s) => s.nodes)
  const currentTarget = useEditor(
    (s) =>
      s.edges.find((e) => e.source === target.nodeId && (e.sourceHandle ?? 'next') === target.handle)?.target,
  )
  const { getNode, getViewport, setCenter } = useReactFlow()
  const close = useCallback(() => closeStepMenu(), [])
  useDismiss(true, ref, close)

  useLayoutEffect(() => {
    const rect = target.anchor.getBoundingClientRect()
    const height = ref.current?.offsetHeight ?? 400
    const left = Math.min(
      Math.max(8, rect.left + rect.width / 2 - MENU_WIDTH / 2),
      window.innerWidth - MENU_WIDTH - 8,
    )
    const below = rect.bottom + 6
    const top = below + height > window.innerHeight - 8 ? Math.max(8, rect.top - height - 6) : below
    setAt({ left, top })
  }, [target])

  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('button')?.focus()
  }, [])

  if (!source) return null
  const branch = branchLabel(source, target.handle)
  const heading = `After '${stepName(source)}'${branch ? ` · ${branch}` : ''}`
  const destinations = nodes.filter((n) => n.id !== target.nodeId && !isTriggerKind(n.data.kind))

  /** Keeps the new step in view at the current zoom. */
  const reveal = (id: string) => {
    requestAnimationFrame(() => {
      const node = getNode(id)
      if (!node) return
      const { zoom } = getViewport()
      setCenter(node.position.x + 130, node.position.y + 60, { zoom, duration: 200 })
    })
  }

  const add = (kind: string) => {
    const id = editorStore.getState().addStepAfter(target.nodeId, target.handle, kind)
    editorStore.getState().selectNodes(id ? [id] : [])
    closeStepMenu()
    if (id) reveal(id)
  }

  const connectTo = (nodeId: string) => {
    editorStore
      .getState()
      .onConnect({ source: target.nodeId, sourceHandle: target.handle, target: nodeId, targetHandle: null })
    closeStepMenu()
  }

  return (
    <div
      ref={ref}
      className="popover step-menu"
      role="dialog"
      aria-label={heading}
      style={{ left: at?.left ?? -9999, top: at?.top ?? -9999, width: MENU_WIDTH }}
      onBlur={(e) => {
        // Tabbing out of the menu puts it away, like a click elsewhere.
        const next = e.relatedTarget as Node | null
        if (next && !ref.current?.contains(next) && next !== target.anchor)
          stepMenuStore.setState({ open: null })
      }}
    >
      <div className="step-menu-head">{heading}</div>
      <section className="step-menu-section" aria-label="Add a new step">
        <div className="step-menu-label">Add a new step</div>
        <div className="step-menu-kinds">
          {NEW_STEP_KINDS.map((kind) => (
            <button
              key={kind.kind}
              type="button"
              className={`step-menu-kind group-${kind.group}`}
              data-kind={kind.kind}
              onClick={() => add(kind.kind)}
            >
              <span className="palette-icon" aria-hidden="true">
                {nodeUiOf(kind.kind)?.icon}
              </span>
              {kind.title}
            </button>
          ))}
        </div>
      </section>
      {destinations.length > 0 ? (
        <section className="step-menu-section" aria-label="Or go to a step you already have">
          <div className="step-menu-label">Or go to a step you already have</div>
          <ul className="step-menu-targets">
            {destinations.map((node) => (
              <li key={node.id}>
                <button
                  type="button"
                  className={`step-menu-target${node.id === currentTarget ? ' current' : ''}`}
                  aria-current={node.id === currentTarget ? 'true' : undefined}
                  onClick={() => connectTo(node.id)}
                >
                  <span className="palette-icon" aria-hidden="true">
                    {nodeUiOf(node.data.kind)?.icon}
                  </span>
                  {stepName(node)}
                  {node.id === currentTarget ? <span className="muted"> (now)</span> : null}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  )
}
