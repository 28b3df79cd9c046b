// "+ Variable": a searchable menu of what this step can use, grouped by where it comes from, each by
// its name ("Shopper's first name"); picking one inserts it into the field as a chip.
import { useCallback, useId, useRef, useState } from 'react'
import { useDismiss } from '../ui/use-dismiss.ts'
import { useVariableGroups } from './variables.ts'

export function VariablePicker({ onPick, fieldLabel }: { onPick(path: string): void; fieldLabel: string }) {
  const groups = useVariableGroups()
  const [open, setOpen] = useState(false)
  const [query, setQuery] = useState('')
  const ref = useRef<HTMLDivElement>(null)
  const toggle = useRef<HTMLButtonElement>(null)
  const searchId = useId()

  useDismiss(
    open,
    ref,
    useCallback(() => setOpen(false), []),
  )

  const closeMenu = () => {
    setOpen(false)
    setQuery('')
    toggle.current?.focus()
  }
  const q = query.trim().toLowerCase()
  const shown = groups
    .map((group) => ({ ...group, items: group.items.filter((v) => v.label.toLowerCase().includes(q)) }))
    .filter((group) => group.items.length > 0)
  return (
    <div className="variable-picker" ref={ref}>
      <button
        ref={toggle}
        type="button"
        className="link-button"
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        aria-haspopup="menu"
        aria-label={`Insert a variable into ${fieldLabel}`}
      >
        + Variable
      </button>
      {open ? (
        <div
          className="popover variable-menu"
          role="menu"
          aria-label={`Variables for ${fieldLabel}`}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation()
              closeMenu()
            }
          }}
        >
          <label htmlFor={searchId} className="visually-hidden">
            Search variables
          </label>
          <input
            id={searchId}
            className="input input-sm"
            placeholder="Search variables"
            value={query}
            // biome-ignore lint/a11y/noAutofocus: the menu opens to search
            autoFocus
            onChange={(e) => setQuery(e.target.value)}
          />
          <div className="variable-list">
            {shown.length === 0 ? <p className="field-hint">Nothing matches “{query}”.</p> : null}
            {shown.map((group) => (
              // biome-ignore lint/a11y/useSemanticElements: a group of menu items (ARIA menu pattern)
              <div key={group.label} role="group" aria-label={group.label}>
                <div className="variable-group">{group.label}</div>
                {group.items.map((item) => (
                  <button
                    key={item.path}
                    type="button"
                    role="menuitem"
                    className="variable-item"
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => {
                      onPick(item.path)
                      setOpen(false)
                      setQuery('')
                    }}
                  >
                    {item.label}
                  </button>
                ))}
              </div>
            ))}
          </div>
        </div>
      ) : null}
    </div>
  )
}
