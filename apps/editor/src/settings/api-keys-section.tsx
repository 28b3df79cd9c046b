// Store API keys (for POST /api/events from a store's backend): create (the key is shown once), list, revoke.
import type { ApiKeySummary, CreatedApiKey } from '@parley/api'
import { type FormEvent, useCallback, useEffect, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'
import { relativeTime } from '../ui/relative-time.ts'
import { CopyOnce } from './copy-once.tsx'

export function ApiKeysSection() {
  const [keys, setKeys] = useState<ApiKeySummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [name, setName] = useState('')
  const [created, setCreated] = useState<CreatedApiKey | null>(null)
  const [busy, setBusy] = useState(false)

  const load = useCallback(() => {
    api.apiKeys.list().then(
      (r) => setKeys(r.apiKeys),
      (e) => setError(errorMessage(e)),
    )
  }, [])
  useEffect(load, [load])

  const create = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    setCreated(null)
    try {
      setCreated(await api.apiKeys.create({ name }))
      setName('')
      load()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const revoke = async (key: ApiKeySummary) => {
    if (!window.confirm(`Revoke “${key.name}”? Requests with it are refused from now on.`)) return
    setError(null)
    try {
      await api.apiKeys.revoke(key.id)
      if (created?.apiKey.id === key.id) setCreated(null)
    } catch (e) {
      setError(errorMessage(e))
    }
    load()
  }

  return (
    <div className="settings-section">
      <p className="muted">
        Your store's backend sends cart and order events to Parley with an API key. Give each system its own
        key, so you can revoke one without touching the others.
      </p>
      {error ? (
        <p className="banner error" role="alert">
          {error}
        </p>
      ) : null}
      <form className="row" onSubmit={create}>
        <label className="field grow">
          <span className="label">Key name</span>
          <input
            className="input"
            required
            maxLength={80}
            placeholder="e.g. Shop backend"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <button type="submit" className="button primary" disabled={busy || name.trim() === ''}>
          {busy ? 'Creating…' : 'Create API key'}
        </button>
      </form>
      {created ? (
        <CopyOnce
          label={`New key “${created.apiKey.name}”`}
          value={created.key}
          note="Copy it now and store it in your shop's secrets: it is never shown again."
        />
      ) : null}
      {keys === null ? (
        <p className="muted">Loading keys…</p>
      ) : keys.length === 0 ? (
        <p className="empty-small">No API keys yet.</p>
      ) : (
        <ul className="settings-list" aria-label="API keys">
          {keys.map((k) => (
            <li key={k.id} className={k.revokedAt ? 'revoked' : ''}>
              <div className="grow">
                <strong>{k.name}</strong> <span className="mono muted small">{k.prefix}_…</span>
                <div className="muted small">
                  Created {relativeTime(k.createdAt)} ·{' '}
                  {k.lastUsedAt ? `last used ${relativeTime(k.lastUsedAt)}` : 'never used'}
                  {k.revokedAt ? ` · revoked ${relativeTime(k.revokedAt)}` : ''}
                </div>
              </div>
              {k.revokedAt ? (
                <span className="status draft">Revoked</span>
              ) : (
                <button type="button" className="button ghost sm danger" onClick={() => revoke(k)}>
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
