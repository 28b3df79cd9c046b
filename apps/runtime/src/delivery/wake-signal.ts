// "Work was committed for the relay": a step that queued outbox rows notifies after its commit, and this
// process's relay and HTTP-request lane claim them at once instead of at their next poll (issue 9, due →
// delivered). In-process only: another replica's commit is picked up by its own signal, or at the next poll.
export class WakeSignal {
  readonly #listeners = new Set<() => void>()

  notify(): void {
    for (const listener of this.#listeners) listener()
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}
