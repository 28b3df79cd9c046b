// Live fan-out of transcript changes to web-chat sockets and the staff inbox. On Postgres it rides
// LISTEN/NOTIFY, so a message reaches a visitor's socket whichever replica produced it; on embedded
// PGlite (one process) it stays in memory.
import type { RawBuilder } from 'kysely'

export interface RealtimeEvent {
  merchantId: string
  conversationId: string
  /**
   * 'message' (a new or updated transcript row), 'conversation' (status changed) or 'typing' (someone is typing
   * now; id 'shopper' or 'staff:<user id>', realtime/typing-signals.ts).
   */
  kind: 'message' | 'conversation' | 'typing'
  id: string
}

export type RealtimeListener = (event: RealtimeEvent) => void

export interface Realtime {
  /** Called after the change committed (or, on Postgres, via pg_notify inside the transaction). */
  publish(event: RealtimeEvent): Promise<void>
  /** Publishes many events in their order, in one round trip on Postgres. */
  publishMany(events: readonly RealtimeEvent[]): Promise<void>
  /**
   * The events as a select of NOTIFYs for a step's write to carry as a CTE (Postgres delivers them when, and only
   * if, it commits: no round trip of their own); null where they are published after the commit (in memory).
   */
  commitNotices(events: readonly RealtimeEvent[]): RawBuilder<unknown> | null
  subscribe(listener: RealtimeListener): () => void
  close(): Promise<void>
}

/** Single-process fan-out: used with PGlite and in tests. */
export class InProcessRealtime implements Realtime {
  readonly #listeners = new Set<RealtimeListener>()
  async publish(event: RealtimeEvent): Promise<void> {
    for (const listener of this.#listeners) listener(event)
  }
  async publishMany(events: readonly RealtimeEvent[]): Promise<void> {
    for (const event of events) await this.publish(event)
  }
  commitNotices(): null {
    return null
  }
  subscribe(listener: RealtimeListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
  async close(): Promise<void> {
    this.#listeners.clear()
  }
}
