// The editor's top bar: back, the flow's name (editable), save state, validation summary, help, publish.
import type { TriggerOverlapJson } from '@parley/api'
import { useCallback, useRef, useState } from 'react'
import { editorStore, useEditor } from '../store/editor-store.ts'
import { Logo } from '../ui/logo.tsx'
import { useDismiss } from '../ui/use-dismiss.ts'
import { PAUSED_WORDS } from './paused-words.ts'
import { useReadOnly } from './read-only.ts'
import type { SaveState } from './use-autosave.ts'
import { SHORTCUTS } from './use-shortcuts.ts'

function SaveIndicator({ state, onRetry }: { state: SaveState; onRetry(): void }) {
  if (state.kind === 'error') {
    return (
      <span className="save-state error" title={state.message}>
        Not saved ·{' '}
        <button type="button" className="link-button" onClick={onRetry}>
          Retry
        </button>
      </span>
    )
  }
  const text = { saved: 'Saved', pending: 'Unsaved changes', saving: 'Saving…' }[state.kind]
  return <span className={`save-state ${state.kind}`}>{text}</span>
}

function HelpPopover() {
  const [open, setOpen] = useState(false)
  const ref = useRef<HTMLDivElement>(null)
  useDismiss(
    open,
    ref,
    useCallback(() => setOpen(false), []),
  )
  return (
    <div className="help" ref={ref}>
      <button
        type="button"
        className="button ghost icon"
        aria-label="Keyboard shortcuts"
        onClick={() => setOpen((o) => !o)}
      >
        ?
      </button>
      {open ? (
        <div className="popover help-popover" role="dialog" aria-label="Keyboard shortcuts">
          <h4>Keyboard shortcuts</h4>
          <dl>
            {SHORTCUTS.map(([keys, what]) => (
              <div key={keys}>
                <dt>{keys}</dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
        </div>
      ) : null}
    </div>
  )
}

export interface PublishState {
  busy: boolean
  /** Shown under the button after a publish attempt. */
  message: {
    kind: 'ok' | 'error' | 'warning'
    text: string
    reasons?: string[]
    /** Other live flows starting on the same words or event, each with a way to open it. */
    overlaps?: TriggerOverlapJson[]
    /** Set while the overlaps wait for the merchant to publish anyway or not. */
    confirm?: boolean
  } | null
  liveVersion: number | null
  /** The live flow is paused: it starts no new conversations. */
  paused: boolean
}

export function TopBar({
  save,
  onRetrySave,
  publish,
  onPublish,
  onDismissPublish,
  onTogglePause,
}: {
  save: SaveState
  onRetrySave(): void
  publish: PublishState
  onPublish(anyway?: boolean): void
  onDismissPublish(): void
  onTogglePause(): void
}) {
  const name = useEditor((s) => s.meta.name)
  const blank = useEditor((s) => s.nodes.length === 0)
  const errors = useEditor((s) => s.issues.filter((i) => i.severity === 'error').length)
  const warnings = useEditor((s) => s.issues.filter((i) => i.severity === 'warning').length)
  const canUndo = useEditor((s) => s.history.past.length > 0)
  const canRedo = useEditor((s) => s.history.future.length > 0)
  const publishRef = useRef<HTMLDivElement>(null)
  const readOnly = useReadOnly()
  // Escape (or a press elsewhere) puts the publish message away.
  useDismiss(publish.message !== null, publishRef, onDismissPublish)
  return (
    <header className="top-bar">
      <a href="#/flows" className="back" aria-label="Parley: all flows">
        <Logo small />
      </a>
      <span className="crumb-sep">/</span>
      {readOnly ? (
        <h1 className="flow-name-input read-only">{name}</h1>
      ) : (
        <>
          <input
            className="flow-name-input"
            aria-label="Flow name"
            value={name}
            onChange={(e) => editorStore.getState().setFlowName(e.target.value)}
            onBlur={(e) =>
              e.target.value.trim() === '' && editorStore.getState().setFlowName('Untitled flow')
            }
          />
          <SaveIndicator state={save} onRetry={onRetrySave} />
        </>
      )}
      <span className="spacer" />
      {readOnly ? null : (
        <div className="history-buttons">
          <button
            type="button"
            className="button ghost icon"
            aria-label="Undo"
            title="Undo (⌘/Ctrl+Z)"
            disabled={!canUndo}
            onClick={() => editorStore.getState().undo()}
          >
            ↶
          </button>
          <button
            type="button"
            className="button ghost icon"
            aria-label="Redo"
            title="Redo (⇧⌘/Ctrl+Z)"
            disabled={!canRedo}
            onClick={() => editorStore.getState().redo()}
          >
            ↷
          </button>
        </div>
      )}
      {readOnly ? null : (
        <span className={`validation-chip ${blank ? 'ok' : errors ? 'error' : warnings ? 'warning' : 'ok'}`}>
          {blank
            ? 'Add a trigger to start'
            : errors
              ? `${errors} to fix`
              : warnings
                ? `${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`
                : 'Ready to publish'}
        </span>
      )}
      <HelpPopover />
      {publish.liveVersion && publish.paused ? (
        <span className="live-version paused">{PAUSED_WORDS}</span>
      ) : publish.liveVersion ? (
        <span className="live-version">Live: v{publish.liveVersion}</span>
      ) : null}
      {publish.liveVersion && !readOnly ? (
        <button
          type="button"
          className="button ghost sm"
          onClick={onTogglePause}
          title={
            publish.paused
              ? 'Start new conversations from this flow again'
              : 'Stop starting new conversations; those already going carry on'
          }
        >
          {publish.paused ? 'Resume' : 'Pause'}
        </button>
      ) : null}
      {readOnly ? null : (
        <div className="publish" ref={publishRef}>
          <button
            type="button"
            className="button primary"
            onClick={() => onPublish()}
            disabled={publish.busy}
          >
            {publish.busy ? 'Publishing…' : 'Publish'}
          </button>
          {publish.message ? (
            <div className={`popover publish-popover ${publish.message.kind}`} role="status">
              <div className="publish-popover-head">
                <strong>{publish.message.text}</strong>
                <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismissPublish}>
                  ×
                </button>
              </div>
              {publish.message.reasons ? (
                <ul>
                  {publish.message.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              ) : null}
              {publish.message.overlaps?.length ? (
                <ul className="overlaps" aria-label="Other flows that start the same way">
                  {publish.message.overlaps.map((o) => (
                    <li key={`${o.flowId}:${o.kind}`}>
                      {o.message}{' '}
                      <a href={`#/flows/${o.flowId}`} className="link-button">
                        Open “{o.flowName}”
                      </a>
                    </li>
                  ))}
                </ul>
              ) : null}
              {publish.message.confirm ? (
                <div className="publish-popover-actions">
                  <button type="button" className="button ghost sm" onClick={onDismissPublish}>
                    Not now
                  </button>
                  <button type="button" className="button primary sm" onClick={() => onPublish(true)}>
                    Publish anyway
                  </button>
                </div>
              ) : null}
            </div>
          ) : null}
        </div>
      )}
    </header>
  )
}
