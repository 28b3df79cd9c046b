// Under the canvas: the analysis summary, always visible, and the issues list; clicking an issue
// selects its step and centres it.
import { useReactFlow } from '@xyflow/react'
import { useState } from 'react'
import { editorStore, useEditor } from '../store/editor-store.ts'

export function IssuesBar() {
  const blank = useEditor((s) => s.nodes.length === 0)
  const all = useEditor((s) => s.issues)
  // A blank flow is a start, not a mistake: it invites instead of listing "1 error".
  const issues = blank ? [] : all
  const summary = useEditor((s) => s.analysis?.summary)
  const [open, setOpen] = useState(false)
  const { getNode, setCenter } = useReactFlow()
  const errors = issues.filter((i) => i.severity === 'error').length
  const warnings = issues.length - errors

  const focus = (nodeId: string | undefined) => {
    if (!nodeId) return
    editorStore.getState().selectNodes([nodeId])
    const node = getNode(nodeId)
    if (node) {
      const w = node.measured?.width ?? 260
      const h = node.measured?.height ?? 100
      setCenter(node.position.x + w / 2, node.position.y + h / 2, { zoom: 1, duration: 300 })
    }
  }

  return (
    <div className="issues-bar">
      {open && issues.length > 0 ? (
        <ul className="issues-list" aria-label="Issues">
          {issues.map((issue, i) => (
            <li key={`${issue.code}-${issue.nodeId ?? ''}-${i.toString()}`}>
              <button type="button" className={`issue ${issue.severity}`} onClick={() => focus(issue.nodeId)}>
                <span className={`dot ${issue.severity}`} />
                {issue.message}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="issues-summary">
        <button
          type="button"
          className={`issues-toggle ${errors ? 'error' : warnings ? 'warning' : 'ok'}`}
          onClick={() => setOpen((o) => !o)}
          disabled={issues.length === 0}
          aria-expanded={open}
        >
          {blank
            ? 'Start by dragging a trigger from the palette'
            : issues.length === 0
              ? '✓ No problems'
              : `${errors ? `${errors} ${errors === 1 ? 'error' : 'errors'}` : ''}${errors && warnings ? ' · ' : ''}${warnings ? `${warnings} ${warnings === 1 ? 'warning' : 'warnings'}` : ''}`}
        </button>
        <span className="analysis-summary" data-testid="analysis-summary">
          {summary ?? 'Add a trigger to see how many messages a shopper can get'}
        </span>
      </div>
    </div>
  )
}
