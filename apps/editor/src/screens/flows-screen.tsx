// The flows list: create (blank or from a starter flow), open, rename, duplicate, delete. Support agents see
// the list and open flows to read them; the controls that change flows are not shown to them.
import type { FlowKeyNumbers, FlowSummary, StarterFlowSummary } from '@parley/api'
import { useCallback, useEffect, useState } from 'react'
import { keyNumberWords } from '../analytics/analytics-words.ts'
import { api, errorMessage } from '../api/api.ts'
import { PAUSED_WORDS } from '../editor/paused-words.ts'
import { navigate } from '../shell/routing.ts'
import { useCan } from '../shell/session-context.ts'
import { relativeTime } from '../ui/relative-time.ts'

export function FlowsScreen() {
  const [flows, setFlows] = useState<FlowSummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)
  const canEdit = useCan('owner', 'editor')
  /** Each live flow's key number (owners and editors read analytics); a failure only leaves the column blank. */
  const [numbers, setNumbers] = useState<Map<string, FlowKeyNumbers['flows'][number]> | null>(null)
  useEffect(() => {
    if (!canEdit) return
    let stale = false
    api.analytics.flowKeyNumbers().then(
      (r) => !stale && setNumbers(new Map(r.flows.map((f) => [f.flowId, f]))),
      () => {},
    )
    return () => {
      stale = true
    }
  }, [canEdit])

  const load = useCallback(() => {
    api.flows.list().then(
      (r) => setFlows(r.flows),
      (e) => setError(errorMessage(e)),
    )
  }, [])
  useEffect(load, [load])

  const act = async (work: () => Promise<unknown>) => {
    setError(null)
    try {
      await work()
      load()
    } catch (e) {
      setError(errorMessage(e))
    }
  }

  const rename = (flow: FlowSummary) => {
    const name = window.prompt('Rename flow', flow.name)?.trim()
    if (!name || name === flow.name) return
    act(async () => {
      const detail = await api.flows.get(flow.id)
      await api.flows.update(flow.id, { name, document: { ...detail.document, name } })
    })
  }

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Flows</h1>
          <p className="muted">Conversations Parley runs for you: cart reminders, order updates, answers.</p>
        </div>
        {canEdit ? (
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            New flow
          </button>
        ) : null}
      </div>
      {error ? (
        <p className="banner error" role="alert">
          {error}
        </p>
      ) : null}
      {flows === null ? (
        <div className="flow-table" aria-busy="true">
          {[0, 1, 2].map((i) => (
            <div key={i} className="flow-row skeleton" />
          ))}
        </div>
      ) : flows.length === 0 ? (
        <div className="empty">
          <h2>No flows yet</h2>
          {canEdit ? (
            <>
              <p>
                Start from a proven template, such as abandoned-cart recovery, or draw your own from scratch.
              </p>
              <button type="button" className="button primary" onClick={() => setCreating(true)}>
                Create your first flow
              </button>
            </>
          ) : (
            <p>The store's owner or an editor creates flows; they will appear here for you to read.</p>
          )}
        </div>
      ) : (
        <div className={canEdit ? 'flow-table with-numbers' : 'flow-table'}>
          <div className="flow-row head">
            <span>Name</span>
            <span>Status</span>
            {canEdit ? <span>Last 30 days</span> : null}
            <span>Last edited</span>
            <span />
          </div>
          {flows.map((flow) => (
            <div key={flow.id} className="flow-row">
              <a className="flow-name" href={`#/flows/${flow.id}`}>
                {flow.name}
              </a>
              <span>
                {flow.publishedVersion && flow.paused ? (
                  <span className="status paused" title={`Version ${flow.publishedVersion} is published`}>
                    {PAUSED_WORDS}
                  </span>
                ) : flow.publishedVersion ? (
                  <span className="status published">Published v{flow.publishedVersion}</span>
                ) : (
                  <span className="status draft">Draft</span>
                )}
                {flow.publishedVersion && flow.hasUnpublishedChanges ? (
                  <span className="status-note">edited</span>
                ) : null}
              </span>
              {canEdit ? (
                <span className="flow-key-number" data-testid={`key-number-${flow.id}`}>
                  {flow.publishedVersion ? (
                    keyNumberWords(numbers?.get(flow.id))
                  ) : (
                    <span className="muted">Not live</span>
                  )}
                </span>
              ) : null}
              <span className="muted">{relativeTime(flow.updatedAt)}</span>
              {canEdit ? (
                <span className="row-actions">
                  <button type="button" className="button ghost sm" onClick={() => rename(flow)}>
                    Rename
                  </button>
                  <button
                    type="button"
                    className="button ghost sm"
                    onClick={() => act(() => api.flows.duplicate(flow.id))}
                  >
                    Duplicate
                  </button>
                  {flow.publishedVersion ? (
                    <button
                      type="button"
                      className="button ghost sm"
                      aria-label={`${flow.paused ? 'Resume' : 'Pause'} ${flow.name}`}
                      onClick={() =>
                        act(() => (flow.paused ? api.flows.resume(flow.id) : api.flows.pause(flow.id)))
                      }
                    >
                      {flow.paused ? 'Resume' : 'Pause'}
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="button ghost sm danger"
                    onClick={() => {
                      if (
                        window.confirm(`Delete “${flow.name}”? Runs in progress finish on their version.`)
                      ) {
                        act(() => api.flows.remove(flow.id))
                      }
                    }}
                  >
                    Delete
                  </button>
                </span>
              ) : (
                <span className="row-actions">
                  <a className="button ghost sm" href={`#/flows/${flow.id}`}>
                    View
                  </a>
                </span>
              )}
            </div>
          ))}
        </div>
      )}
      {creating ? <NewFlowDialog onClose={() => setCreating(false)} onError={setError} /> : null}
    </>
  )
}

function NewFlowDialog({ onClose, onError }: { onClose(): void; onError(message: string): void }) {
  const [starters, setStarters] = useState<StarterFlowSummary[] | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])
  useEffect(() => {
    api.flows.starters().then(
      (r) => setStarters(r.starterFlows),
      () => setStarters([]),
    )
  }, [])

  const create = async (starterFlowId?: string) => {
    setBusy(true)
    try {
      const flow = await api.flows.create(starterFlowId ? { starterFlowId } : { name: 'Untitled flow' })
      navigate(`/flows/${flow.id}`)
    } catch (e) {
      onError(errorMessage(e))
      onClose()
    }
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: clicking outside the dialog closes it; the × button does the same for keyboards
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-label="New flow">
        <div className="modal-head">
          <h2>New flow</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </div>
        <button type="button" className="starter blank" disabled={busy} onClick={() => create()}>
          <strong>Blank flow</strong>
          <span>Start with an empty canvas.</span>
        </button>
        <div className="starter-label">Or start from a template</div>
        {starters === null ? <p className="muted">Loading templates…</p> : null}
        <div className="starter-grid">
          {starters?.map((s) => (
            <button type="button" key={s.id} className="starter" disabled={busy} onClick={() => create(s.id)}>
              <strong>{s.name}</strong>
              <span>{s.description}</span>
            </button>
          ))}
        </div>
      </div>
    </div>
  )
}
