// Version history: every published version with who published it and when, which one is live; open one to
// see it on the canvas (read-only) with what differs from the draft or from the version before, restore it
// as the draft (undoable), or make it live again.
import type { FlowVersion } from '@parley/api'
import type { RawFlowDocument } from '@parley/flow'
import { lazy, Suspense, useCallback, useEffect, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'
import { editorStore, selectDocument } from '../store/editor-store.ts'
import { relativeTime } from '../ui/relative-time.ts'
import { useReadOnly } from './read-only.ts'
import type { VersionPreviewState } from './version-preview.tsx'

const VersionChanges = lazy(() =>
  import('./version-preview.tsx').then((m) => ({ default: m.VersionChanges })),
)

export function VersionsPanel({
  flowId,
  refreshKey,
  onRolledBack,
  preview,
  onPreview,
}: {
  flowId: string
  refreshKey: number
  onRolledBack(): void
  preview: VersionPreviewState | null
  onPreview(preview: VersionPreviewState | null): void
}) {
  const [versions, setVersions] = useState<FlowVersion[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  /** The comparison asked for, shown checked at once while its documents load. */
  const [against, setAgainst] = useState<VersionPreviewState['against']>('draft')

  const load = useCallback(() => {
    api.flows.versions(flowId).then(
      (r) => setVersions([...r.versions].sort((a, b) => b.version - a.version)),
      (e) => setError(errorMessage(e)),
    )
  }, [flowId])
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey reloads after a publish
  useEffect(load, [load, refreshKey])

  const documentOf = async (version: number) =>
    (await api.flows.version(flowId, version)).document as unknown as RawFlowDocument

  const open = async (version: number, against: VersionPreviewState['against']) => {
    setAgainst(against)
    setBusy(`open:${version}`)
    setError(null)
    try {
      const document = await documentOf(version)
      const base =
        against === 'draft'
          ? selectDocument(editorStore.getState())
          : version > 1
            ? await documentOf(version - 1)
            : null
      onPreview({ version, document, against, base })
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(null)
    }
  }

  const restore = (p: VersionPreviewState) => {
    editorStore.getState().replaceDocument(p.document)
    onPreview(null)
    editorStore
      .getState()
      .notify(`Version ${p.version} is your draft now. Undo brings your previous draft back.`)
  }

  const rollback = async (version: number) => {
    if (
      !window.confirm(
        `Make v${version} the live version again? New runs will start on it; the draft is replaced with it.`,
      )
    )
      return
    setBusy(`live:${version}`)
    try {
      await api.flows.rollback(flowId, version)
      onPreview(null)
      load()
      onRolledBack()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(null)
    }
  }

  const readOnly = useReadOnly()
  return (
    <div className="panel-pad">
      <h3 className="panel-title">Version history</h3>
      <p className="field-hint">
        Each publish creates a version. Runs stay on the version they started on. Open one to see it and what
        differs from your draft.
      </p>
      {error ? <p className="banner error">{error}</p> : null}
      {versions === null ? <p className="muted">Loading…</p> : null}
      {versions?.length === 0 ? (
        <p className="empty-small">Not published yet. Publish to create version 1.</p>
      ) : null}
      <ul className="versions">
        {versions?.map((v) => {
          const isOpen = preview?.version === v.version
          return (
            <li key={v.id} className={`${v.live ? 'live' : ''}${isOpen ? ' open' : ''}`}>
              <div className="version-row">
                <div>
                  <strong>v{v.version}</strong>{' '}
                  {v.live ? <span className="status published">Live</span> : null}
                  <div className="muted small">
                    Published {relativeTime(v.publishedAt)}
                    {v.publishedByName ? ` by ${v.publishedByName}` : ''}
                  </div>
                </div>
                <button
                  type="button"
                  className="button ghost sm"
                  aria-pressed={isOpen}
                  aria-label={isOpen ? `Close version ${v.version}` : `Open version ${v.version}`}
                  disabled={busy !== null}
                  onClick={() => (isOpen ? onPreview(null) : open(v.version, 'draft'))}
                >
                  {busy === `open:${v.version}` ? 'Opening…' : isOpen ? 'Close' : 'Open'}
                </button>
              </div>
              {isOpen && preview ? (
                <div className="version-open">
                  <fieldset className="compare-with">
                    <legend>Compare with</legend>
                    <label>
                      <input
                        type="radio"
                        name="compare-with"
                        checked={against === 'draft'}
                        onChange={() => open(v.version, 'draft')}
                      />
                      Your draft
                    </label>
                    <label>
                      <input
                        type="radio"
                        name="compare-with"
                        checked={against === 'previous'}
                        onChange={() => open(v.version, 'previous')}
                      />
                      {v.version > 1 ? `Version ${v.version - 1}` : 'Nothing (first version)'}
                    </label>
                  </fieldset>
                  <Suspense fallback={<p className="muted">Comparing…</p>}>
                    <VersionChanges preview={preview} />
                  </Suspense>
                  {readOnly ? null : (
                    <div className="version-actions">
                      <button type="button" className="button sm primary" onClick={() => restore(preview)}>
                        Restore as draft
                      </button>
                      {v.live ? null : (
                        <button
                          type="button"
                          className="button ghost sm"
                          disabled={busy !== null}
                          onClick={() => rollback(v.version)}
                        >
                          {busy === `live:${v.version}` ? 'Making it live…' : 'Make live again'}
                        </button>
                      )}
                    </div>
                  )}
                </div>
              ) : null}
            </li>
          )
        })}
      </ul>
    </div>
  )
}
