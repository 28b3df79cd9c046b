// Keyboard shortcuts on the canvas: undo / redo and copy / paste (React Flow handles delete and select).
import { useEffect } from 'react'
import { editorStore } from '../store/editor-store.ts'

export const SHORTCUTS: [string, string][] = [
  ['⌘/Ctrl + Z', 'Undo'],
  ['⇧ + ⌘/Ctrl + Z  or  Ctrl + Y', 'Redo'],
  ['⌘/Ctrl + C, ⌘/Ctrl + V', 'Copy and paste steps'],
  ['Backspace / Delete', 'Delete selected steps or connections'],
  ['⇧ + drag', 'Select several steps with a box'],
  ['⌘/Ctrl + click', 'Add a step to the selection'],
  ['Scroll / pinch', 'Zoom the canvas'],
]

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

export function useEditorShortcuts(enabled = true): void {
  useEffect(() => {
    if (!enabled) return
    const onKeyDown = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return
      const mod = e.metaKey || e.ctrlKey
      if (!mod) return
      const key = e.key.toLowerCase()
      const store = editorStore.getState()
      if (key === 'z' && !e.shiftKey) store.undo()
      else if ((key === 'z' && e.shiftKey) || (key === 'y' && e.ctrlKey)) store.redo()
      else if (key === 'c') store.copy()
      else if (key === 'v') store.paste()
      else return
      e.preventDefault()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [enabled])
}
