// Form building blocks for the inspector: every field has a real <label>, so forms are accessible and
// tests find fields by their label text.
import { DURATION_UNITS, type Duration } from '@parley/flow'
import { type ReactNode, useId, useRef, useState } from 'react'
import { TemplateField, type TemplateFieldHandle } from './template-field.tsx'
import { VariablePicker } from './variable-picker.tsx'

interface FieldShellProps {
  id: string
  label: string
  hint?: ReactNode
  children: ReactNode
  aside?: ReactNode
}

function FieldShell({ id, label, hint, children, aside }: FieldShellProps) {
  return (
    <div className="field">
      <div className="field-head">
        <label htmlFor={id}>{label}</label>
        {aside}
      </div>
      {children}
      {hint ? <p className="field-hint">{hint}</p> : null}
    </div>
  )
}

export function Section({
  title,
  children,
  actions,
}: {
  title: string
  children: ReactNode
  actions?: ReactNode
}) {
  return (
    <section className="form-section">
      <div className="form-section-head">
        <h4>{title}</h4>
        {actions}
      </div>
      {children}
    </section>
  )
}

interface TextInputProps {
  label: string
  value: string
  onChange(value: string): void
  placeholder?: string
  hint?: ReactNode
  maxLength?: number
}

export function TextInput({ label, value, onChange, placeholder, hint, maxLength }: TextInputProps) {
  const id = useId()
  return (
    <FieldShell id={id} label={label} hint={hint}>
      <input
        id={id}
        className="input"
        value={value}
        placeholder={placeholder}
        maxLength={maxLength}
        onChange={(e) => onChange(e.target.value)}
      />
    </FieldShell>
  )
}

/**
 * A text field that accepts variables: they show as chips with their names and are inserted from the
 * variable menu; the value is still the template text with `{{...}}`.
 */
export function TemplateInput({
  label,
  value,
  onChange,
  placeholder,
  hint,
  multiline = false,
}: TextInputProps & { multiline?: boolean }) {
  const id = useId()
  const labelId = `${id}-label`
  const ref = useRef<TemplateFieldHandle>(null)
  return (
    <div className="field">
      <div className="field-head">
        <label id={labelId} htmlFor={id}>
          {label}
        </label>
        <VariablePicker fieldLabel={label} onPick={(path) => ref.current?.insert(path)} />
      </div>
      <TemplateField
        ref={ref}
        id={id}
        value={value}
        onChange={onChange}
        placeholder={placeholder}
        multiline={multiline}
        labelledBy={labelId}
      />
      {hint ? <p className="field-hint">{hint}</p> : null}
    </div>
  )
}

interface NumberInputProps {
  label: string
  value: number
  onChange(value: number): void
  min?: number
  max?: number
  step?: number
  hint?: ReactNode
  suffix?: string
}

export function NumberInput({ label, value, onChange, min, max, step, hint, suffix }: NumberInputProps) {
  const id = useId()
  return (
    <FieldShell id={id} label={label} hint={hint}>
      <div className="input-with-suffix">
        <input
          id={id}
          className="input"
          type="number"
          value={Number.isFinite(value) ? value : ''}
          min={min}
          max={max}
          step={step}
          onChange={(e) => onChange(e.target.value === '' ? 0 : Number(e.target.value))}
        />
        {suffix ? <span className="suffix">{suffix}</span> : null}
      </div>
    </FieldShell>
  )
}

interface SelectInputProps<T extends string> {
  label: string
  value: T
  options: readonly (readonly [T, string])[]
  onChange(value: T): void
  hint?: ReactNode
}

export function SelectInput<T extends string>({
  label,
  value,
  options,
  onChange,
  hint,
}: SelectInputProps<T>) {
  const id = useId()
  return (
    <FieldShell id={id} label={label} hint={hint}>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </FieldShell>
  )
}

export function Toggle({
  label,
  checked,
  onChange,
  hint,
}: {
  label: string
  checked: boolean
  onChange(value: boolean): void
  hint?: ReactNode
}) {
  const id = useId()
  return (
    <div className="field">
      <label className="toggle" htmlFor={id}>
        <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
        <span className="toggle-track" aria-hidden="true" />
        <span>{label}</span>
      </label>
      {hint ? <p className="field-hint">{hint}</p> : null}
    </div>
  )
}

const UNIT_LABELS: Record<Duration['unit'], string> = { minutes: 'minutes', hours: 'hours', days: 'days' }

export function DurationInput({
  label,
  value,
  onChange,
  hint,
}: {
  label: string
  value: Duration
  onChange(value: Duration): void
  hint?: ReactNode
}) {
  const id = useId()
  return (
    <FieldShell id={id} label={label} hint={hint}>
      <div className="row">
        <input
          id={id}
          className="input"
          type="number"
          min={1}
          value={Number.isFinite(value.amount) ? value.amount : ''}
          onChange={(e) => onChange({ ...value, amount: e.target.value === '' ? 0 : Number(e.target.value) })}
        />
        <select
          className="input"
          aria-label={`${label} unit`}
          value={value.unit}
          onChange={(e) => onChange({ ...value, unit: e.target.value as Duration['unit'] })}
        >
          {DURATION_UNITS.map((unit) => (
            <option key={unit} value={unit}>
              {UNIT_LABELS[unit]}
            </option>
          ))}
        </select>
      </div>
    </FieldShell>
  )
}

/** A duration that can be switched off ("no timeout"). */
export function OptionalDuration({
  label,
  toggleLabel,
  value,
  onChange,
  fallback = { amount: 1, unit: 'days' },
}: {
  label: string
  toggleLabel: string
  value: Duration | null
  onChange(value: Duration | null): void
  fallback?: Duration
}) {
  return (
    <>
      <Toggle
        label={toggleLabel}
        checked={value !== null}
        onChange={(on) => onChange(on ? fallback : null)}
      />
      {value ? <DurationInput label={label} value={value} onChange={onChange} /> : null}
    </>
  )
}

/** Comma-separated words, kept as typed until the field loses focus. */
export function KeywordsInput({
  label,
  value,
  onChange,
  hint,
}: {
  label: string
  value: readonly string[]
  onChange(value: string[]): void
  hint?: ReactNode
}) {
  const id = useId()
  const [draft, setDraft] = useState<string | null>(null)
  const shown = draft ?? value.join(', ')
  const commit = (text: string) =>
    onChange(
      text
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k !== ''),
    )
  return (
    <FieldShell id={id} label={label} hint={hint ?? 'Separate words with commas'}>
      <input
        id={id}
        className="input"
        value={shown}
        onChange={(e) => {
          setDraft(e.target.value)
          commit(e.target.value)
        }}
        onBlur={() => setDraft(null)}
      />
    </FieldShell>
  )
}

/** An id unused in `taken`, like "b1", "b2"... */
export function freshId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken)
  for (let i = 1; ; i++) if (!used.has(`${prefix}${i}`)) return `${prefix}${i}`
}

export function IconButton({
  label,
  onClick,
  children,
}: {
  label: string
  onClick(): void
  children: ReactNode
}) {
  return (
    <button type="button" className="icon-button" aria-label={label} title={label} onClick={onClick}>
      {children}
    </button>
  )
}
