// "Is typing…" signals, both ways, over the same realtime fan-out as transcript changes (so they cross replicas
// on Postgres). Nothing is stored. Each person's signal per conversation is throttled here, per process, to one
// every TYPING_THROTTLE_MS: a keystroke storm costs one notice, and the receiver's indicator simply expires.
import { TYPING_THROTTLE_MS } from '@parley/api'
import type { RuntimeDeps } from '../deps.ts'
import type { RealtimeEvent } from './realtime.ts'

/** The realtime event's id for the shopper; a staff member's is `staff:<user id>`. */
const SHOPPER = 'shopper'
const STAFF_PREFIX = 'staff:'
/** Bounded memory: past this many remembered signals the stale ones are dropped. */
const MAX_REMEMBERED = 10_000

/** The staff user a typing event is from, or null when it is the shopper's (or not a typing event). */
export function staffTypingUserId(event: RealtimeEvent): string | null {
  return event.kind === 'typing' && event.id.startsWith(STAFF_PREFIX)
    ? event.id.slice(STAFF_PREFIX.length)
    : null
}

export function isShopperTyping(event: RealtimeEvent): boolean {
  return event.kind === 'typing' && event.id === SHOPPER
}

export class TypingSignals {
  readonly #deps: Pick<RuntimeDeps, 'realtime' | 'clock'>
  /** `<merchant>:<conversation>:<who>` → when its last signal went out. */
  readonly #sentAt = new Map<string, number>()

  constructor(deps: Pick<RuntimeDeps, 'realtime' | 'clock'>) {
    this.#deps = deps
  }

  /** The shopper of a conversation is typing; false when dropped by the throttle. */
  shopperTyping(merchantId: string, conversationId: string): Promise<boolean> {
    return this.#signal({ merchantId, conversationId, kind: 'typing', id: SHOPPER })
  }

  /** A staff member is typing in a conversation; false when dropped by the throttle. */
  staffTyping(merchantId: string, conversationId: string, userId: string): Promise<boolean> {
    return this.#signal({ merchantId, conversationId, kind: 'typing', id: `${STAFF_PREFIX}${userId}` })
  }

  async #signal(event: RealtimeEvent): Promise<boolean> {
    const now = this.#deps.clock.now()
    const key = `${event.merchantId}:${event.conversationId}:${event.id}`
    const last = this.#sentAt.get(key)
    if (last !== undefined && now - last < TYPING_THROTTLE_MS) return false
    if (this.#sentAt.size >= MAX_REMEMBERED) this.#forgetStale(now)
    this.#sentAt.set(key, now)
    await this.#deps.realtime.publish(event)
    return true
  }

  #forgetStale(now: number): void {
    for (const [key, at] of this.#sentAt) if (now - at >= TYPING_THROTTLE_MS) this.#sentAt.delete(key)
    // Everything fresh (a burst across 10,000 chats): start over rather than grow without bound.
    if (this.#sentAt.size >= MAX_REMEMBERED) this.#sentAt.clear()
  }
}
