// Limits on the live sockets this replica holds (web chat and inbox): how many one address may open, how many one
// web-chat visitor may keep (the oldest gives way), a heartbeat that closes sockets whose peer stopped answering,
// and staff sockets that close when their session ends (sign-out at once; expiry or a sign-out on another replica
// at the next sweep). Frames are capped by the WebSocket server itself (websocket-server.ts).
import type { Database } from '@parley/db'
import type { WSContext } from 'hono/ws'
import type { Kysely } from 'kysely'
import { liveSessionIds } from '../accounts/sessions.ts'
import type { RuntimeConfig } from '../config.ts'
import { RateLimitedError } from '../http/errors.ts'
import type { Logger } from '../observability/logger.ts'
import type { Clock } from '../time/clock.ts'

/** Close codes a client sees (1000–1015 are the protocol's own; 4000–4999 are ours). */
export const SocketClose = {
  /** More sockets from one address than allowed: try again later (RFC 6455 1013). */
  tooManyFromAddress: { code: 1013, reason: 'Too many connections from this address' },
  /** The same visitor opened a newer socket past its allowance. */
  replaced: { code: 4002, reason: 'Replaced by a newer connection' },
  /** The staff session was signed out or expired. */
  sessionEnded: { code: 4001, reason: 'Your session has ended' },
} as const

/** What the heartbeat needs of the ws socket under hono's WSContext. */
interface PingableSocket {
  ping(): void
  terminate(): void
  on(event: 'pong', listener: () => void): unknown
}

interface Entry {
  ws: WSContext
  address: string
  group: string | undefined
  session: { merchantId: string; sessionId: string } | undefined
  awaitingPong: boolean
  dropped: boolean
}

export interface TrackOptions {
  /** clientAddress(c) of the upgrade request. */
  address: string
  /** Sockets of one owner (a web-chat visitor); past `groupLimit` the oldest is closed. */
  group?: { key: string; limit: number }
  /** A staff socket: closed when this session ends. */
  session?: { merchantId: string; sessionId: string }
}

export class SocketGuard {
  readonly #deps: { db: Kysely<Database>; clock: Clock; logger: Logger }
  readonly #perAddress: number
  readonly #entries = new Set<Entry>()
  readonly #perAddressCount = new Map<string, number>()
  /** Group key → its sockets, oldest first. */
  readonly #groups = new Map<string, Entry[]>()

  constructor(
    deps: { db: Kysely<Database>; clock: Clock; logger: Logger },
    config: Pick<RuntimeConfig, 'WS_SOCKETS_PER_IP'>,
  ) {
    this.#deps = deps
    this.#perAddress = config.WS_SOCKETS_PER_IP
  }

  /** At upgrade time: a 429 (before any socket exists) when the address already holds its allowance. */
  admit(address: string): void {
    if ((this.#perAddressCount.get(address) ?? 0) >= this.#perAddress) {
      throw new RateLimitedError(SocketClose.tooManyFromAddress.reason, 60_000)
    }
  }

  /**
   * At open: counts the socket and starts its heartbeat. Returns the function to call when it closes, or null
   * when it was closed at once (upgrades that raced past admit() and found the address full).
   */
  track(ws: WSContext, options: TrackOptions): (() => void) | null {
    if ((this.#perAddressCount.get(options.address) ?? 0) >= this.#perAddress) {
      ws.close(SocketClose.tooManyFromAddress.code, SocketClose.tooManyFromAddress.reason)
      return null
    }
    const entry: Entry = {
      ws,
      address: options.address,
      group: options.group?.key,
      session: options.session,
      awaitingPong: false,
      dropped: false,
    }
    this.#entries.add(entry)
    this.#perAddressCount.set(entry.address, (this.#perAddressCount.get(entry.address) ?? 0) + 1)
    if (options.group) {
      const members = this.#groups.get(options.group.key) ?? []
      members.push(entry)
      this.#groups.set(options.group.key, members)
      const excess = members.length - options.group.limit
      // Oldest first; #close drops each from the group.
      for (const oldest of members.slice(0, Math.max(0, excess))) this.#close(oldest, SocketClose.replaced)
    }
    pingable(ws)?.on('pong', () => {
      entry.awaitingPong = false
    })
    return () => this.#drop(entry)
  }

  /** Closes the sockets of a session that was just signed out on this replica. */
  closeSession(sessionId: string): void {
    for (const entry of this.#entries) {
      if (entry.session?.sessionId === sessionId) this.#close(entry, SocketClose.sessionEnded)
    }
  }

  /**
   * One heartbeat: a socket that has not answered the previous ping is cut off (its peer is gone or stalled),
   * every other one is pinged; staff sockets whose session ended (expired, or signed out on another replica)
   * are closed. server.ts runs it every WS_HEARTBEAT_SECONDS; tests call it directly.
   */
  async sweep(): Promise<void> {
    for (const entry of [...this.#entries]) {
      const socket = pingable(entry.ws)
      if (!socket) continue
      if (entry.awaitingPong) {
        this.#drop(entry)
        socket.terminate()
        continue
      }
      entry.awaitingPong = true
      try {
        socket.ping()
      } catch {
        // Not open yet or already closing: the next sweep decides.
      }
    }
    const staff = [...this.#entries].flatMap((entry) => (entry.session ? [entry.session] : []))
    if (staff.length === 0) return
    const live = await liveSessionIds(this.#deps.db, staff, new Date(this.#deps.clock.now()))
    for (const entry of [...this.#entries]) {
      if (entry.session && !live.has(entry.session.sessionId)) this.#close(entry, SocketClose.sessionEnded)
    }
  }

  /** Sockets tracked now (tests, metrics). */
  get size(): number {
    return this.#entries.size
  }

  #close(entry: Entry, why: { code: number; reason: string }): void {
    this.#drop(entry)
    try {
      entry.ws.close(why.code, why.reason)
    } catch (error) {
      this.#deps.logger.warn('socket guard: close failed', { error })
    }
  }

  /** Forgets the socket (idempotent: close and error both call it). */
  #drop(entry: Entry): void {
    if (entry.dropped) return
    entry.dropped = true
    this.#entries.delete(entry)
    const count = (this.#perAddressCount.get(entry.address) ?? 1) - 1
    if (count > 0) this.#perAddressCount.set(entry.address, count)
    else this.#perAddressCount.delete(entry.address)
    if (entry.group) {
      const members = this.#groups.get(entry.group)?.filter((member) => member !== entry) ?? []
      if (members.length > 0) this.#groups.set(entry.group, members)
      else this.#groups.delete(entry.group)
    }
  }
}

function pingable(ws: WSContext): PingableSocket | null {
  const raw = ws.raw as Partial<PingableSocket> | undefined
  return raw &&
    typeof raw.ping === 'function' &&
    typeof raw.terminate === 'function' &&
    typeof raw.on === 'function'
    ? (raw as PingableSocket)
    : null
}
