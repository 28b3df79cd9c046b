// Time is injected: every delay, timeout, window and quiet hour reads a Clock, so a 72-hour sequence
// can be tested (and demoed) in milliseconds. The virtual clock is refused in production mode.

export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/**
 * Wall time plus an offset that only ever grows. `advance(ms)` jumps forward; the offset is
 * persisted by the caller (dev clock routes) so every replica, and a restarted process, agree.
 */
export class VirtualClock implements Clock {
  #offsetMs: number

  constructor(
    offsetMs = 0,
    private readonly base: Clock = systemClock,
  ) {
    this.#offsetMs = offsetMs
  }

  now(): number {
    return this.base.now() + this.#offsetMs
  }

  get offsetMs(): number {
    return this.#offsetMs
  }

  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The clock only moves forward')
    this.#offsetMs += ms
    return this.now()
  }

  /** Adopt an offset read from the database; never moves backwards. */
  syncOffset(offsetMs: number): void {
    if (offsetMs > this.#offsetMs) this.#offsetMs = offsetMs
  }
}

/** A clock that stands still until told to move: for tests. */
export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 5, 10, 0, 0)) {}
  now(): number {
    return this.current
  }
  advance(ms: number): number {
    this.current += ms
    return this.current
  }
  set(ms: number): void {
    this.current = ms
  }
}
