// A labelled settings field with its error and hint beneath it (the Settings tabs' groups share it).
import { type ReactNode, useId } from 'react'

export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string
  hint?: ReactNode
  error?: string | undefined
  children(id: string): ReactNode
}) {
  const id = useId()
  return (
    <div className="field">
      <label className="label" htmlFor={id}>
        {label}
      </label>
      {children(id)}
      <FieldMessage error={error} />
      {hint ? <p className="field-hint">{hint}</p> : null}
    </div>
  )
}

export function FieldMessage({ error }: { error: string | undefined }) {
  return error ? (
    <p className="field-error" role="alert">
      {error}
    </p>
  ) : null
}
