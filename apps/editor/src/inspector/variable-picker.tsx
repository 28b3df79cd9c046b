// "{ } Variable": a searchable list of the variables a step can use; picking one inserts {{path}}.
import { useCallback, useRef, useState } from 'react'
import { useDismiss } from '../ui/use-dismiss.ts'
import { useVariableGroups } from './variables.ts'

export function VariablePicker({ onPick }: { onPick(path: string): void }) {
  const groups = useVariableGroups()
  const [open, setOpen] = useState(false)
  const [query, setQuery] = useState('')
  const ref = useRef<HTMLDivElement>(null)

  useDismiss(
    open,
    ref,
    useCallback(() => setOpen(false), []),
  )

  const q = query.trim().toLowerCase()
  return (
    <div className="variable-picker" ref={ref}>
      <button type="button" className="link-button" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        {'{ }'} Variable
      </button>
      {open ? (
        <div className="popover variable-menu" role="menu">
          <input
            className="input input-sm"
            aria-label="Search variables"
            placeholder="Search variables"
            value={query}
            // biome-ignore lint/a11y/noAutofocus: the menu opens to search
            autoFocus
            onChange={(e) => setQuery(e.target.value)}
          />
          <div className="variable-list">
            {groups.map((group) => {
              const paths = group.paths.filter((p) => p.toLowerCase().includes(q))
              if (paths.length === 0) return null
              return (
                <div key={group.label}>
                  <div className="variable-group">{group.label}</div>
                  {paths.map((path) => (
                    <button
                      key={path}
                      type="button"
                      role="menuitem"
                      className="variable-item"
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={() => {
                        onPick(path)
                        setOpen(false)
                        setQuery('')
                      }}
                    >
                      {path}
                    </button>
                  ))}
                </div>
              )
            })}
          </div>
        </div>
      ) : null}
    </div>
  )
}
