// Live validation: packages/flow's validate() and analyze() on the current document, debounced. The first
// run waits until the canvas has been painted, so opening a large flow draws its cards before checking them.
import { analyze, parseFlowDocument, validate } from '@parley/flow'
import { useEffect } from 'react'
import { editorStore, selectDocument } from '../store/editor-store.ts'

export const VALIDATION_DEBOUNCE_MS = 250

export function runValidation(): void {
  const state = editorStore.getState()
  const doc = selectDocument(state)
  const issues = validate(doc)
  const parsed = parseFlowDocument(doc)
  // Keep the last good analysis while the document does not parse (e.g. mid-edit).
  state.setValidation(issues, parsed.ok ? analyze(parsed.doc) : state.analysis)
}

/**
 * Runs `task` after the next frame has been painted: requestAnimationFrame fires just before the paint, and a
 * task queued from there runs after it. Returns a cancel function.
 */
function afterNextPaint(task: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(task, 0)
  })
  return () => {
    cancelAnimationFrame(frame)
    clearTimeout(timer)
  }
}

export function useLiveValidation(): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const cancelFirst = afterNextPaint(runValidation)
    const unsubscribe = editorStore.subscribe((state, previous) => {
      if (state.revision === previous.revision && state.flowId === previous.flowId) return
      cancelFirst()
      clearTimeout(timer)
      timer = setTimeout(runValidation, VALIDATION_DEBOUNCE_MS)
    })
    return () => {
      cancelFirst()
      clearTimeout(timer)
      unsubscribe()
    }
  }, [])
}
