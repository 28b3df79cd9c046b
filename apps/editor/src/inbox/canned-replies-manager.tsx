// Owners and editors write the canned replies agents insert with `/`: add, change, delete.
import type { CannedReplyDto } from '@parley/api'
import { type FormEvent, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'

export function CannedRepliesManager({
  replies,
  onChange,
  onClose,
}: {
  replies: CannedReplyDto[]
  onChange(replies: CannedReplyDto[]): void
  onClose(): void
}) {
  const [editing, setEditing] = useState<CannedReplyDto | null>(null)
  const [title, setTitle] = useState('')
  const [body, setBody] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const startEdit = (reply: CannedReplyDto | null) => {
    setEditing(reply)
    setTitle(reply?.title ?? '')
    setBody(reply?.body ?? '')
    setError(null)
  }
  const save = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const saved = editing
        ? await api.cannedReplies.update(editing.id, { title, body })
        : await api.cannedReplies.create({ title, body })
      const rest = replies.filter((r) => r.id !== saved.id)
      onChange([...rest, saved].sort((a, b) => a.title.localeCompare(b.title)))
      startEdit(null)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  const remove = async (reply: CannedReplyDto) => {
    setBusy(true)
    try {
      await api.cannedReplies.remove(reply.id)
      onChange(replies.filter((r) => r.id !== reply.id))
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <div
      className="inbox-help"
      role="dialog"
      aria-modal="true"
      aria-label="Canned replies"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose()
      }}
    >
      <h2>Canned replies</h2>
      <p className="muted">Agents type / in the reply box and pick one by its title.</p>
      {replies.length === 0 ? <p className="muted">None yet.</p> : null}
      <ul className="inbox-canned-list">
        {replies.map((r) => (
          <li key={r.id}>
            <div>
              <strong>{r.title}</strong>
              <p>{r.body}</p>
            </div>
            <button type="button" className="button sm" onClick={() => startEdit(r)} disabled={busy}>
              Change
            </button>
            <button
              type="button"
              className="button sm ghost danger"
              onClick={() => void remove(r)}
              disabled={busy}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => void save(e)}>
        <h3>{editing ? `Change “${editing.title}”` : 'Add a canned reply'}</h3>
        <label className="field">
          <span>Title</span>
          <input
            className="input"
            value={title}
            maxLength={80}
            required
            onChange={(e) => setTitle(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Reply</span>
          <textarea
            className="input"
            value={body}
            rows={4}
            maxLength={4096}
            required
            onChange={(e) => setBody(e.target.value)}
          />
        </label>
        {error ? (
          <p className="banner error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button primary" disabled={busy}>
          {editing ? 'Save' : 'Add'}
        </button>{' '}
        {editing ? (
          <button type="button" className="button ghost" onClick={() => startEdit(null)}>
            Cancel change
          </button>
        ) : null}{' '}
        <button type="button" className="button ghost" onClick={onClose}>
          Close
        </button>
      </form>
    </div>
  )
}
