// Live validation: packages/flow's validate() and analyze() on the current document, debounced.
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

export function useLiveValidation(): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    runValidation()
    const unsubscribe = editorStore.subscribe((state, previous) => {
      if (state.revision === previous.revision && state.flowId === previous.flowId) return
      clearTimeout(timer)
      timer = setTimeout(runValidation, VALIDATION_DEBOUNCE_MS)
    })
    return () => {
      clearTimeout(timer)
      unsubscribe()
    }
  }, [])
}
