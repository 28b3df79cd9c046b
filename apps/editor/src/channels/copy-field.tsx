// A read-only value the owner pastes elsewhere (a snippet, a callback URL, a verify token) with a copy button
// that says when it worked.
import { useId, useState } from 'react'

export function CopyField(props: { label: string; value: string; multiline?: boolean; hint?: string }) {
  const id = useId()
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.value)
      setCopied('yes')
    } catch {
      setCopied('failed')
    }
    window.setTimeout(() => setCopied(null), 2500)
  }
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <div className="copy-field">
        {props.multiline ? (
          <textarea id={id} className="input mono" readOnly rows={3} value={props.value} />
        ) : (
          <input id={id} className="input mono" readOnly value={props.value} />
        )}
        <button
          type="button"
          className="button sm"
          onClick={copy}
          aria-label={`Copy ${props.label.toLowerCase()}`}
        >
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <span className="field-hint" aria-live="polite">
        {copied === 'failed'
          ? 'Your browser did not allow copying: select the text and copy it.'
          : props.hint}
      </span>
    </div>
  )
}
