// Live validation: packages/flow's validate() and analyze() on the current document, debounced. In the
// browser they run in a worker (validation.worker.ts); the first check waits until the canvas has been
// painted, so opening a large flow draws its cards before checking them.
import { useEffect } from 'react'
import { editorStore, selectDocument } from '../store/editor-store.ts'
import { checkDocument, type DocumentCheck } from './check-document.ts'
import type { ValidationRequest } from './validation.worker.ts'

export const VALIDATION_DEBOUNCE_MS = 250

function applyCheck(check: DocumentCheck): void {
  const state = editorStore.getState()
  // Keep the last good analysis while the document does not parse (e.g. mid-edit).
  state.setValidation(check.issues, check.analysis ?? state.analysis)
}

/** Validates the current document now, on the main thread (publishing needs the answer at once). */
export function runValidation(): void {
  applyCheck(checkDocument(selectDocument(editorStore.getState())))
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

/**
 * Validates the current document in a worker when the browser has workers, else on the main thread (tests).
 * An answer is applied only if the document has not changed since it was posted; a change always schedules
 * a newer check.
 */
function createValidator(): { validate(): void; dispose(): void } {
  let worker: Worker | null = null
  if (typeof Worker !== 'undefined') {
    try {
      worker = new Worker(new URL('./validation.worker.ts', import.meta.url), { type: 'module' })
    } catch {
      worker = null
    }
  }
  let lastId = 0
  /** The newest check posted; older answers are dropped. */
  let posted: { id: number; revision: number; flowId: string | null } | null = null
  if (worker) {
    worker.onmessage = (event: MessageEvent<DocumentCheck & { id: number }>) => {
      const { id, ...check } = event.data
      if (posted?.id !== id) return
      const { revision, flowId } = posted
      posted = null
      const state = editorStore.getState()
      if (state.revision === revision && state.flowId === flowId) applyCheck(check)
    }
    worker.onerror = () => {
      // A worker that cannot start (or throws) leaves validation to the main thread.
      worker?.terminate()
      worker = null
      posted = null
      runValidation()
    }
  }
  return {
    validate() {
      if (!worker) {
        runValidation()
        return
      }
      const state = editorStore.getState()
      lastId += 1
      posted = { id: lastId, revision: state.revision, flowId: state.flowId }
      const request: ValidationRequest = { id: lastId, doc: selectDocument(state) }
      worker.postMessage(request)
    },
    dispose() {
      worker?.terminate()
      worker = null
    },
  }
}

export function useLiveValidation(): void {
  useEffect(() => {
    const validator = createValidator()
    let timer: ReturnType<typeof setTimeout> | undefined
    const cancelFirst = afterNextPaint(validator.validate)
    const unsubscribe = editorStore.subscribe((state, previous) => {
      if (state.revision === previous.revision && state.flowId === previous.flowId) return
      cancelFirst()
      clearTimeout(timer)
      timer = setTimeout(validator.validate, VALIDATION_DEBOUNCE_MS)
    })
    return () => {
      cancelFirst()
      clearTimeout(timer)
      unsubscribe()
      validator.dispose()
    }
  }, [])
}
