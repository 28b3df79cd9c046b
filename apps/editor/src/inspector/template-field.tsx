// A message field where variables read as chips ("Shopper's first name · if unknown: there") instead of
// `{{contact.first_name | default: "there"}}`. The document still stores the `{{...}}` text: the field
// renders it into chips and serialises the chips back, so nothing else changes.
import { parseTemplate, type TemplateFilter, variableLabel } from '@parley/flow'
import { forwardRef, useImperativeHandle, useLayoutEffect, useRef, useState } from 'react'

/** A piece of a template as the field shows it: plain text, or one placeholder with its source text. */
export type TemplatePiece =
  | { type: 'text'; text: string }
  | { type: 'variable'; token: string; path: string; filters: TemplateFilter[] }

/** Splits a template into text and placeholders; a placeholder that does not parse stays text. */
export function templatePieces(template: string): TemplatePiece[] {
  const pieces: TemplatePiece[] = []
  let last = 0
  for (const match of template.matchAll(/\{\{[\s\S]*?\}\}/g)) {
    const parsed = parseTemplate(match[0])
    const part = parsed.ok && parsed.parts.length === 1 ? parsed.parts[0] : undefined
    if (part?.type !== 'variable') continue
    if (match.index > last) pieces.push({ type: 'text', text: template.slice(last, match.index) })
    pieces.push({ type: 'variable', token: match[0], path: part.path, filters: part.filters })
    last = match.index + match[0].length
  }
  if (last < template.length) pieces.push({ type: 'text', text: template.slice(last) })
  return pieces
}

/** The `{{...}}` text for a path and its filters. */
export function variableToken(path: string, filters: readonly TemplateFilter[]): string {
  const parts = filters.map((f) => (f.arg === undefined ? f.name : `${f.name}: "${f.arg.replace(/"/g, '')}"`))
  return `{{${[path, ...parts].join(' | ')}}}`
}

export function fallbackOf(filters: readonly TemplateFilter[]): string {
  return filters.find((f) => f.name === 'default')?.arg ?? ''
}

/** What a chip says: the variable's name and, when set, what is written if it is unknown. */
export function chipText(path: string, filters: readonly TemplateFilter[]): string {
  const fallback = fallbackOf(filters)
  return fallback ? `${variableLabel(path)} · if unknown: ${fallback}` : variableLabel(path)
}

function makeChip(piece: Extract<TemplatePiece, { type: 'variable' }>): HTMLSpanElement {
  const chip = document.createElement('span')
  chip.className = 'variable-chip'
  chip.contentEditable = 'false'
  chip.dataset.token = piece.token
  chip.textContent = `${chipText(piece.path, piece.filters)} ▾`
  return chip
}

function render(el: HTMLElement, value: string) {
  el.replaceChildren()
  for (const piece of templatePieces(value)) {
    if (piece.type === 'variable') {
      el.append(makeChip(piece))
      continue
    }
    piece.text.split('\n').forEach((line, i) => {
      if (i > 0) el.append(document.createElement('br'))
      if (line) el.append(document.createTextNode(line))
    })
  }
}

/** The template text of the field's DOM: chips give their token, line breaks give "\n". */
export function serialise(el: Node): string {
  let out = ''
  el.childNodes.forEach((child) => {
    if (child.nodeType === Node.TEXT_NODE) {
      out += (child.nodeValue ?? '').replace(/\u00a0/g, ' ').replace(/\u200b/g, '')
    } else if (child instanceof HTMLElement) {
      if (child.dataset.token) out += child.dataset.token
      else if (child.tagName === 'BR') out += '\n'
      else {
        // Browsers wrap new lines typed with Enter in <div>s.
        if ((child.tagName === 'DIV' || child.tagName === 'P') && out !== '' && !out.endsWith('\n'))
          out += '\n'
        out += serialise(child)
      }
    }
  })
  return out
}

export interface TemplateFieldHandle {
  /** Inserts a variable where the cursor was (or at the end) and reports the new text. */
  insert(path: string): void
}

interface TemplateFieldProps {
  id: string
  value: string
  onChange(value: string): void
  placeholder?: string | undefined
  multiline: boolean
  /** The field's label element id, for the accessible name. */
  labelledBy: string
}

export const TemplateField = forwardRef<TemplateFieldHandle, TemplateFieldProps>(function TemplateField(
  { id, value, onChange, placeholder, multiline, labelledBy },
  handle,
) {
  const ref = useRef<HTMLDivElement>(null)
  const caret = useRef<Range | null>(null)
  const [editing, setEditing] = useState<number | null>(null)

  useLayoutEffect(() => {
    const el = ref.current
    if (el && serialise(el) !== value) render(el, value)
  }, [value])

  const emit = () => {
    const el = ref.current
    if (el) onChange(serialise(el))
  }

  const rememberCaret = () => {
    const selection = document.getSelection()
    const range = selection && selection.rangeCount > 0 ? selection.getRangeAt(0) : null
    if (range && ref.current?.contains(range.commonAncestorContainer)) caret.current = range.cloneRange()
  }

  useImperativeHandle(handle, () => ({
    insert(path: string) {
      const el = ref.current
      if (!el) return
      const chip = makeChip({ type: 'variable', token: `{{${path}}}`, path, filters: [] })
      const range = caret.current
      if (range && el.contains(range.commonAncestorContainer)) {
        range.deleteContents()
        range.insertNode(chip)
      } else {
        el.append(chip)
      }
      // The cursor needs a text node after the chip to land in; a zero-width space is invisible and is
      // dropped when the field is read back.
      let next = chip.nextSibling
      if (!(next instanceof Text)) {
        next = document.createTextNode('\u200b')
        chip.after(next)
      }
      const after = document.createRange()
      after.setStart(next, next.nodeValue === '\u200b' ? 1 : 0)
      after.collapse(true)
      caret.current = after
      el.focus()
      const selection = document.getSelection()
      selection?.removeAllRanges()
      selection?.addRange(after)
      emit()
    },
  }))

  const pieces = templatePieces(value)
  const variables = pieces.filter((p) => p.type === 'variable')
  const chosen = editing === null ? undefined : variables[editing]
  const setFallback = (fallback: string) => {
    if (!chosen || editing === null) return
    const filters = chosen.filters.filter((f) => f.name !== 'default')
    const next = variableToken(
      chosen.path,
      fallback ? [...filters, { name: 'default', arg: fallback }] : filters,
    )
    let n = -1
    onChange(pieces.map((p) => (p.type === 'text' ? p.text : ++n === editing ? next : p.token)).join(''))
  }
  const remove = () => {
    let n = -1
    onChange(pieces.map((p) => (p.type === 'variable' ? (++n === editing ? '' : p.token) : p.text)).join(''))
    setEditing(null)
  }

  return (
    <div className="template-field-wrap">
      {/* biome-ignore lint/a11y/useSemanticElements: an <input> cannot hold chips; this is a labelled contenteditable textbox */}
      <div
        id={id}
        ref={ref}
        role="textbox"
        tabIndex={0}
        aria-multiline={multiline}
        aria-labelledby={labelledBy}
        contentEditable
        suppressContentEditableWarning
        className={`input template-field${multiline ? ' multiline' : ''}`}
        data-placeholder={placeholder}
        onInput={emit}
        onKeyUp={rememberCaret}
        onMouseUp={rememberCaret}
        onBlur={rememberCaret}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !multiline) e.preventDefault()
        }}
        onClick={(e) => {
          const chip = (e.target as HTMLElement).closest?.('.variable-chip')
          if (!chip || !ref.current) return
          const index = [...ref.current.querySelectorAll('.variable-chip')].indexOf(chip)
          setEditing(index === editing ? null : index)
        }}
        onPaste={(e) => {
          // Only text is pasted: formatting from elsewhere would not survive saving anyway.
          e.preventDefault()
          document.execCommand('insertText', false, e.clipboardData.getData('text/plain'))
        }}
      />
      {chosen ? (
        // biome-ignore lint/a11y/useSemanticElements: a small inline group, not a form section
        <div
          className="chip-editor"
          role="group"
          aria-label={variableLabel(chosen.path)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setEditing(null)
          }}
        >
          <label>
            If “{variableLabel(chosen.path)}” is unknown, write
            <input
              className="input input-sm"
              value={fallbackOf(chosen.filters)}
              placeholder="nothing"
              onChange={(e) => setFallback(e.target.value)}
            />
          </label>
          <button type="button" className="link-button" onClick={remove}>
            Remove
          </button>
          <button type="button" className="link-button" onClick={() => setEditing(null)}>
            Done
          </button>
        </div>
      ) : null}
    </div>
  )
})
