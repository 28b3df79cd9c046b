// Undo / redo over whole-document snapshots: simple to reason about, and "undo restores the graph
// exactly" holds by construction. Capped so a long session does not grow without bound.
export const HISTORY_LIMIT = 100

export interface History<T> {
  past: T[]
  future: T[]
}

export function emptyHistory<T>(): History<T> {
  return { past: [], future: [] }
}

/** Records the state as it was before an edit; a new edit clears the redo stack. */
export function record<T>(history: History<T>, before: T, limit = HISTORY_LIMIT): History<T> {
  const past = [...history.past, before]
  return { past: past.length > limit ? past.slice(past.length - limit) : past, future: [] }
}

export function undo<T>(history: History<T>, current: T): { history: History<T>; state: T } | null {
  const state = history.past.at(-1)
  if (state === undefined) return null
  return { history: { past: history.past.slice(0, -1), future: [current, ...history.future] }, state }
}

export function redo<T>(history: History<T>, current: T): { history: History<T>; state: T } | null {
  const [state, ...future] = history.future
  if (state === undefined) return null
  return { history: { past: [...history.past, current], future }, state }
}
