// Autosave: a debounced PUT of the draft after every change, with a state the top bar shows.
import { useCallback, useEffect, useRef, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'
import { editorStore, selectDocument } from '../store/editor-store.ts'

export const AUTOSAVE_DEBOUNCE_MS = 800

export type SaveState =
  | { kind: 'saved' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'error'; message: string }

/** `enabled: false` (a read-only viewer): nothing is ever sent. */
export function useAutosave(flowId: string, enabled = true) {
  const [state, setState] = useState<SaveState>({ kind: 'saved' })
  const savedRevision = useRef(editorStore.getState().revision)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const inFlight = useRef<Promise<void> | null>(null)

  const save = useCallback(async (): Promise<void> => {
    clearTimeout(timer.current)
    if (!enabled) return
    if (inFlight.current) await inFlight.current
    const current = editorStore.getState()
    if (current.revision === savedRevision.current) {
      setState({ kind: 'saved' })
      return
    }
    const revision = current.revision
    const doc = selectDocument(current)
    setState({ kind: 'saving' })
    const work = api.flows
      .update(flowId, { name: doc.name.trim() || 'Untitled flow', document: doc })
      .then(() => {
        savedRevision.current = revision
        setState(editorStore.getState().revision === revision ? { kind: 'saved' } : { kind: 'pending' })
      })
      .catch((error: unknown) => {
        setState({ kind: 'error', message: errorMessage(error) })
        throw error
      })
      .finally(() => {
        inFlight.current = null
      })
    inFlight.current = work.catch(() => {})
    await work
  }, [flowId, enabled])

  useEffect(() => {
    savedRevision.current = editorStore.getState().revision
    if (!enabled) return
    const unsubscribe = editorStore.subscribe((s, prev) => {
      if (s.revision === prev.revision || s.revision === savedRevision.current) return
      if (s.dragging) return // save once the drag ends
      setState((st) => (st.kind === 'error' ? st : { kind: 'pending' }))
      clearTimeout(timer.current)
      timer.current = setTimeout(() => save().catch(() => {}), AUTOSAVE_DEBOUNCE_MS)
    })
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (editorStore.getState().revision !== savedRevision.current) e.preventDefault()
    }
    window.addEventListener('beforeunload', beforeUnload)
    return () => {
      unsubscribe()
      clearTimeout(timer.current)
      window.removeEventListener('beforeunload', beforeUnload)
    }
  }, [save, enabled])

  /** Reset after loading a document from the server (rollback), so it is not saved straight back. */
  const markSaved = useCallback(() => {
    savedRevision.current = editorStore.getState().revision
    setState({ kind: 'saved' })
  }, [])

  return { state, save, markSaved }
}
