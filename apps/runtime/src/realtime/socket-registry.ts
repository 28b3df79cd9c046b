// Sockets this replica holds, grouped by key (a visitor, a merchant's staff), with one Realtime subscription
// that exists only while some socket is attached. The web-chat and inbox hubs decide what an event means
// for their sockets; this file owns the bookkeeping and the fan-out they share.
import type { Logger } from '../observability/logger.ts'
import type { Realtime, RealtimeEvent } from './realtime.ts'

/** The part of a socket the registry needs (hono's WSContext fits). */
export interface LiveSocket {
  send(data: string): void
  readonly readyState: number
}

const OPEN = 1

export class SocketRegistry<S extends LiveSocket = LiveSocket> {
  readonly #sockets = new Map<string, Set<S>>()
  #unsubscribe: (() => void) | undefined

  constructor(
    private readonly deps: { realtime: Realtime; logger: Logger },
    /** Names the hub in warnings ("webchat", "inbox"). */
    private readonly name: string,
    private readonly onEvent: (event: RealtimeEvent) => Promise<void>,
  ) {}

  /** Adds the socket under `key`; returns the detach function. */
  attach(key: string, socket: S): () => void {
    let set = this.#sockets.get(key)
    if (!set) {
      set = new Set()
      this.#sockets.set(key, set)
    }
    set.add(socket)
    this.#unsubscribe ??= this.deps.realtime.subscribe((event) => {
      this.onEvent(event).catch((error: unknown) =>
        this.deps.logger.warn(`${this.name}: could not deliver a realtime event`, { error, event }),
      )
    })
    return () => {
      const current = this.#sockets.get(key)
      current?.delete(socket)
      if (current?.size === 0) this.#sockets.delete(key)
      if (this.#sockets.size === 0) {
        this.#unsubscribe?.()
        this.#unsubscribe = undefined
      }
    }
  }

  socketsFor(key: string): ReadonlySet<S> {
    return this.#sockets.get(key) ?? new Set()
  }

  get isEmpty(): boolean {
    return this.#sockets.size === 0
  }

  /** Number of attached sockets (metrics, tests). */
  get socketCount(): number {
    let count = 0
    for (const set of this.#sockets.values()) count += set.size
    return count
  }

  /** Sends one JSON payload to every open socket among `targets`. */
  static send(targets: Iterable<LiveSocket>, payload: unknown): void {
    const data = JSON.stringify(payload)
    for (const socket of targets) {
      if (socket.readyState === OPEN) socket.send(data)
    }
  }
}
