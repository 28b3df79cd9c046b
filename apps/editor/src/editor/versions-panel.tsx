// Version history: every published version, which one is live, and rollback.
import type { FlowVersion } from '@parley/api'
import { useCallback, useEffect, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'
import { relativeTime } from '../ui/relative-time.ts'
import { useReadOnly } from './read-only.ts'

export function VersionsPanel({
  flowId,
  refreshKey,
  onRolledBack,
}: {
  flowId: string
  refreshKey: number
  onRolledBack(): void
}) {
  const [versions, setVersions] = useState<FlowVersion[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<number | null>(null)

  const load = useCallback(() => {
    api.flows.versions(flowId).then(
      (r) => setVersions([...r.versions].sort((a, b) => b.version - a.version)),
      (e) => setError(errorMessage(e)),
    )
  }, [flowId])
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey reloads after a publish
  useEffect(load, [load, refreshKey])

  const rollback = async (version: number) => {
    if (
      !window.confirm(
        `Make v${version} the live version again? New runs will start on it; the draft is replaced with it.`,
      )
    )
      return
    setBusy(version)
    try {
      await api.flows.rollback(flowId, version)
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
      <p className="field-hint">Each publish creates a version. Runs stay on the version they started on.</p>
      {error ? <p className="banner error">{error}</p> : null}
      {versions === null ? <p className="muted">Loading…</p> : null}
      {versions?.length === 0 ? (
        <p className="empty-small">Not published yet. Publish to create version 1.</p>
      ) : null}
      <ul className="versions">
        {versions?.map((v) => (
          <li key={v.id} className={v.live ? 'live' : ''}>
            <div>
              <strong>v{v.version}</strong> {v.live ? <span className="status published">Live</span> : null}
              <div className="muted small">Published {relativeTime(v.publishedAt)}</div>
            </div>
            {v.live || readOnly ? null : (
              <button
                type="button"
                className="button ghost sm"
                disabled={busy !== null}
                onClick={() => rollback(v.version)}
              >
                {busy === v.version ? 'Rolling back…' : 'Roll back'}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  )
}
