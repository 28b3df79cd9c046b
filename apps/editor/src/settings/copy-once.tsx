// A secret shown once (an invitation link, an API key) with a copy button and a plain warning.
import { useState } from 'react'

export function CopyOnce({ label, value, note }: { label: string; value: string; note: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <div className="copy-once" role="status">
      <span className="label">{label}</span>
      <div className="row">
        <input
          className="input mono"
          readOnly
          value={value}
          aria-label={label}
          onFocus={(e) => e.target.select()}
        />
        <button
          type="button"
          className="button"
          onClick={() =>
            navigator.clipboard.writeText(value).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="field-hint">{note}</p>
    </div>
  )
}
