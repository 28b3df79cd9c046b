// "Work was committed for the relay": a step that queued outbox rows notifies after its commit, and this
// process's relay and HTTP-request lane claim them at once instead of at their next poll (issue 9, due →
// delivered). On Postgres the step also notifies `commitNotice` in its transaction, and every other replica's
// LISTEN connection (delivery/relay-wake.ts) wakes its own signal; on PGlite (one process) this is all there is.
import type { CommitNotice } from '../delivery/relay-wake.ts'

/** Which lanes have new work: a step that queued only sends need not wake the HTTP-request lane, and back. */
export interface WakeLanes {
  messages: boolean
  httpJobs: boolean
}

/** Another replica's notice does not say which lanes: both look. */
const BOTH: WakeLanes = { messages: true, httpJobs: true }

export class WakeSignal {
  readonly #listeners = new Set<(lanes: WakeLanes) => void>()

  /** @param commitNotice the NOTIFY a step sends on commit when it queued outbox rows (Postgres); null: none. */
  constructor(readonly commitNotice: CommitNotice | null = null) {}

  notify(lanes: WakeLanes = BOTH): void {
    for (const listener of this.#listeners) listener(lanes)
  }

  subscribe(listener: (lanes: WakeLanes) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}
