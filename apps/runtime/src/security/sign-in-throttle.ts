// Password guessing made slow: wrong passwords are counted per account (email) and per address; past a free
// number, each further try must wait twice as long as the one before (1 s, 2 s, 4 s ... up to a maximum).
// A correct password resets its account's count; the address count is not reset, so one valid account does
// not buy an attacker fresh guesses at others. A refused try checks no password (no scrypt) and counts nothing.
import type { RateLimiterAbstract } from 'rate-limiter-flexible'
import { RateLimitedError } from '../http/errors.ts'
import { createLimiter, limiterKey, type RateLimitStore } from './limiter-store.ts'

export interface SignInThrottleOptions {
  /** Wrong passwords for one email before delays start. */
  accountFailures: number
  /** Wrong passwords from one address before delays start. */
  ipFailures: number
  maxDelaySeconds: number
}

/** Failures are forgotten a day after the first one of a series. */
const FAILURE_WINDOW_SECONDS = 24 * 60 * 60
/** The failure counter never refuses by itself; the lockout limiter does. */
const UNCAPPED = 1_000_000_000

/** Seconds a try must wait after `failures` wrong passwords. @example delaySeconds(7, 5, 900) === 2 */
export function delaySeconds(failures: number, free: number, maxSeconds: number): number {
  if (failures <= free) return 0
  return Math.min(maxSeconds, 2 ** Math.min(failures - free - 1, 30))
}

export class SignInThrottle {
  readonly #failures: RateLimiterAbstract
  readonly #lockouts: RateLimiterAbstract
  readonly #options: SignInThrottleOptions

  constructor(store: RateLimitStore, options: SignInThrottleOptions) {
    this.#options = options
    this.#failures = createLimiter(store, 'signInFailures', {
      points: UNCAPPED,
      duration: FAILURE_WINDOW_SECONDS,
    })
    // block(key, seconds) marks a key over this one-point budget until the delay has passed.
    this.#lockouts = createLimiter(store, 'signInLockouts', { points: 1, duration: 1 })
  }

  /** `address` is clientAddress(c) (http/client-ip.ts). Throws RateLimitedError while the account or the address must still wait. */
  async check(email: string, address: string): Promise<void> {
    for (const key of [accountKey(email), ipKey(address)]) {
      const lockout = await this.#lockouts.get(key)
      if (lockout && lockout.consumedPoints > 1 && lockout.msBeforeNext > 0) {
        throw new RateLimitedError(
          `Too many failed sign-ins; try again in ${Math.ceil(lockout.msBeforeNext / 1000)} s`,
          lockout.msBeforeNext,
        )
      }
    }
  }

  /** Counts a wrong password; past the free number, the account or address waits before its next try. */
  async failed(email: string, address: string): Promise<void> {
    const counts: [string, number][] = [
      [accountKey(email), this.#options.accountFailures],
      [ipKey(address), this.#options.ipFailures],
    ]
    for (const [key, free] of counts) {
      const { consumedPoints } = await this.#failures.penalty(key, 1)
      const wait = delaySeconds(consumedPoints, free, this.#options.maxDelaySeconds)
      if (wait > 0) await this.#lockouts.block(key, wait)
    }
  }

  /** A correct password: the account starts afresh. */
  async succeeded(email: string): Promise<void> {
    const key = accountKey(email)
    await Promise.all([this.#failures.delete(key), this.#lockouts.delete(key)])
  }
}

const accountKey = (email: string) => limiterKey(`account:${email.trim().toLowerCase()}`)
const ipKey = (address: string) => limiterKey(`ip:${address}`)
