// The composer: a reply to the shopper or an internal note (never sent). Typing `/` opens the canned replies,
// filtered by what follows; ↑/↓ choose, Enter inserts. Enter sends, Shift+Enter starts a new line.
import type { CannedReplyDto } from '@parley/api'
import { type KeyboardEvent, type RefObject, useId, useMemo, useState } from 'react'

export type ComposerMode = 'reply' | 'note'

export function Composer({
  mode,
  onModeChange,
  disabledReason,
  cannedReplies,
  busy,
  inputRef,
  onSend,
}: {
  mode: ComposerMode
  onModeChange(mode: ComposerMode): void
  /** Why replying is not possible now (e.g. take over first); notes are always possible. */
  disabledReason: string | null
  cannedReplies: CannedReplyDto[]
  busy: boolean
  inputRef: RefObject<HTMLTextAreaElement | null>
  /** Resolves true when sent (the text is cleared). */
  onSend(text: string, mode: ComposerMode): Promise<boolean>
}) {
  const [text, setText] = useState('')
  const [highlight, setHighlight] = useState(0)
  const listId = useId()
  const slash = /(?:^|\s)\/([^\s/]*)$/.exec(text)
  const matches = useMemo(() => {
    if (!slash) return []
    const q = slash[1]!.toLowerCase()
    return cannedReplies.filter((r) => r.title.toLowerCase().includes(q)).slice(0, 8)
  }, [slash, cannedReplies])
  const menuOpen = slash !== null && (matches.length > 0 || cannedReplies.length === 0)
  const replyBlocked = mode === 'reply' && disabledReason !== null

  const insert = (reply: CannedReplyDto) => {
    setText((current) => current.replace(/(^|\s)\/[^\s/]*$/, `$1${reply.body}`))
    setHighlight(0)
    inputRef.current?.focus()
  }
  const send = async () => {
    const trimmed = text.trim()
    if (!trimmed || busy || replyBlocked) return
    if (await onSend(trimmed, mode)) setText('')
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (menuOpen && matches.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault()
        const step = event.key === 'ArrowDown' ? 1 : -1
        setHighlight((h) => (h + step + matches.length) % matches.length)
        return
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault()
        insert(matches[Math.min(highlight, matches.length - 1)]!)
        return
      }
    }
    if (event.key === 'Escape') {
      event.currentTarget.blur()
      return
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault()
      void send()
    }
  }

  return (
    <div className={`composer ${mode}`}>
      <fieldset className="composer-tabs">
        <legend className="visually-hidden">Write</legend>
        <button type="button" aria-pressed={mode === 'reply'} onClick={() => onModeChange('reply')}>
          Reply to shopper
        </button>
        <button type="button" aria-pressed={mode === 'note'} onClick={() => onModeChange('note')}>
          Internal note
        </button>
      </fieldset>
      {menuOpen ? (
        <div className="composer-canned" id={listId} role="listbox" aria-label="Canned replies">
          {cannedReplies.length === 0 ? (
            <p className="muted">
              No canned replies yet. Owners and editors add them with “Canned replies” below the list.
            </p>
          ) : (
            matches.map((reply, i) => (
              <div
                key={reply.id}
                id={`${listId}-${i}`}
                role="option"
                tabIndex={-1}
                aria-selected={i === highlight}
                onMouseDown={(e) => {
                  e.preventDefault()
                  insert(reply)
                }}
              >
                <strong>{reply.title}</strong>
                <span>{reply.body}</span>
              </div>
            ))
          )}
        </div>
      ) : null}
      <textarea
        ref={inputRef}
        className="composer-input"
        aria-label={mode === 'note' ? 'Internal note (only your team sees it)' : 'Reply to the shopper'}
        aria-controls={menuOpen ? listId : undefined}
        aria-activedescendant={menuOpen && matches.length ? `${listId}-${highlight}` : undefined}
        placeholder={
          replyBlocked
            ? (disabledReason ?? '')
            : mode === 'note'
              ? 'Write a note for your team. The shopper never sees it.'
              : 'Write a reply. Type / for a canned reply.'
        }
        value={text}
        rows={3}
        disabled={replyBlocked}
        onChange={(e) => {
          setText(e.target.value)
          setHighlight(0)
        }}
        onKeyDown={onKeyDown}
      />
      <div className="composer-actions">
        <span className="muted">Enter sends · Shift+Enter for a new line · / for canned replies</span>
        <button
          type="button"
          className="button primary"
          disabled={busy || replyBlocked || !text.trim()}
          onClick={() => void send()}
        >
          {mode === 'note' ? 'Add note' : busy ? 'Sending…' : 'Send'}
        </button>
      </div>
    </div>
  )
}
