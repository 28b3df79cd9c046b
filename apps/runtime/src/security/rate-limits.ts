// The runtime's rate limits, built once per process (server.ts, test deps) from the config. On Postgres the
// counters live in the `rate_limits` table (rate-limiter-flexible's Postgres store), so every replica counts
// against the same budget, counted for many concurrent requests at once (batched-window-limiter.ts); on embedded
// PGlite (one process) they live in memory. A refusal is a 429 rate_limited with Retry-After, raised before the
// request does any work or writes anything.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import type { RuntimeConfig } from '../config.ts'
import { RateLimitedError } from '../http/errors.ts'
import {
  BatchedWindowLimiter,
  type ChainVerdict,
  type LimitCheck,
  type WindowLimit,
} from './batched-window-limiter.ts'
import { limiterKey, type RateLimitStore } from './limiter-store.ts'
import { SignInThrottle } from './sign-in-throttle.ts'

/** Fixed-window limits: `points` actions per `duration` seconds per key. */
const windows = {
  webchatMessagesPerVisitor: (c: RuntimeConfig) => [c.RATE_LIMIT_WEBCHAT_MESSAGES_PER_VISITOR_PER_MINUTE, 60],
  webchatMessagesPerIp: (c: RuntimeConfig) => [c.RATE_LIMIT_WEBCHAT_MESSAGES_PER_IP_PER_MINUTE, 60],
  webchatVisitorsPerIp: (c: RuntimeConfig) => [c.RATE_LIMIT_WEBCHAT_VISITORS_PER_IP_PER_HOUR, 3600],
  webchatVisitorsPerChannel: (c: RuntimeConfig) => [c.RATE_LIMIT_WEBCHAT_VISITORS_PER_CHANNEL_PER_MINUTE, 60],
  webhooksPerChannel: (c: RuntimeConfig) => [c.RATE_LIMIT_WEBHOOKS_PER_CHANNEL_PER_MINUTE, 60],
  linkClicksPerIp: (c: RuntimeConfig) => [c.RATE_LIMIT_LINK_CLICKS_PER_IP_PER_MINUTE, 60],
} satisfies Record<string, (config: RuntimeConfig) => [points: number, seconds: number]>

export type RateLimitName = keyof typeof windows

/** One check of a chain: the limit and the key it counts (a visitor, an address, a channel). */
export type RateLimitCheck = [name: RateLimitName, key: string]

const messages: Record<RateLimitName, string> = {
  webchatMessagesPerVisitor: 'Too many messages from this visitor; wait a moment',
  webchatMessagesPerIp: 'Too many messages from this address; wait a moment',
  webchatVisitorsPerIp: 'Too many new chat visitors from this address; try again later',
  webchatVisitorsPerChannel: 'Too many new chat visitors on this channel; try again shortly',
  webhooksPerChannel: 'Too many webhook deliveries for this channel; retry later',
  linkClicksPerIp: 'Too many link clicks from this address; wait a moment',
}

/** How a limit refuses: thrown as is by the caller, answered 429 `rate_limited` with Retry-After (http/errors.ts). */
export type RateLimitRefusal = RateLimitedError

export class RateLimits {
  readonly signIn: SignInThrottle
  readonly #limits: Record<RateLimitName, WindowLimit>
  /** Postgres: every hit of the process counted with one statement per batch; memory: one limiter per limit. */
  readonly #batched: BatchedWindowLimiter | null
  readonly #memory = new Map<RateLimitName, RateLimiterMemory>()

  constructor(config: RuntimeConfig, store: RateLimitStore) {
    this.#limits = Object.fromEntries(
      Object.entries(windows).map(([name, window]) => {
        const [points, duration] = window(config)
        return [name, { name, points, duration }]
      }),
    ) as Record<RateLimitName, WindowLimit>
    this.#batched = store.kind === 'postgres' ? new BatchedWindowLimiter(store.pool) : null
    this.signIn = new SignInThrottle(store, {
      accountFailures: config.RATE_LIMIT_SIGN_IN_ACCOUNT_FAILURES,
      ipFailures: config.RATE_LIMIT_SIGN_IN_IP_FAILURES,
      maxDelaySeconds: config.RATE_LIMIT_SIGN_IN_MAX_DELAY_SECONDS,
    })
  }

  /**
   * Counts one action against each [limit, key] in order; throws RateLimitedError at the first over budget
   * (the later ones are not counted).
   * @example await deps.rateLimits.hit(['webchatMessagesPerIp', ip], ['webchatMessagesPerVisitor', visitorId])
   */
  async hit(...checks: RateLimitCheck[]): Promise<void> {
    const refusal = this.#batched
      ? this.#refusalOf(checks, await this.#batched.hit(this.#windowChecks(checks)))
      : await this.#hitInMemory(checks)
    if (refusal) throw refusal
  }

  /**
   * `hit` for many chains at once, each counted as `hit` counts it, with one statement on Postgres (the inbound
   * batch counts its web-chat messages' limits this way, engine/inbound.ts): per chain its refusal, or null.
   */
  async hitAll(chains: readonly (readonly RateLimitCheck[])[]): Promise<(RateLimitedError | null)[]> {
    if (this.#batched) {
      const verdicts = await this.#batched.hitAll(chains.map((checks) => this.#windowChecks(checks)))
      return chains.map((checks, index) => this.#refusalOf(checks, verdicts[index] ?? { refused: null }))
    }
    const refusals: (RateLimitedError | null)[] = []
    for (const checks of chains) refusals.push(await this.#hitInMemory(checks))
    return refusals
  }

  /**
   * The refusal known without counting anything: the chain's first key is over budget already (Postgres: this
   * process refused it until its window ends). A flood from one visitor is refused before it waits for a batch;
   * in memory counting costs nothing, so the count itself refuses.
   */
  refusedFromMemory(checks: readonly RateLimitCheck[]): RateLimitedError | null {
    const verdict = this.#batched?.refusedFromMemory(this.#windowChecks(checks))
    return verdict ? this.#refusalOf(checks, verdict) : null
  }

  #windowChecks(checks: readonly RateLimitCheck[]): LimitCheck[] {
    return checks.map(([name, key]) => ({ limit: this.#limits[name], key: limiterKey(key) }))
  }

  #refusalOf(checks: readonly RateLimitCheck[], verdict: ChainVerdict): RateLimitedError | null {
    if (verdict.refused === null) return null
    const refused = checks[verdict.refused]
    return refused ? new RateLimitedError(messages[refused[0]], verdict.msBeforeNext) : null
  }

  async #hitInMemory(checks: readonly RateLimitCheck[]): Promise<RateLimitedError | null> {
    for (const [name, key] of checks) {
      try {
        await this.#memoryLimiter(name).consume(limiterKey(key))
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes)
          return new RateLimitedError(messages[name], refusal.msBeforeNext)
        throw refusal
      }
    }
    return null
  }

  #memoryLimiter(name: RateLimitName): RateLimiterMemory {
    let limiter = this.#memory.get(name)
    if (!limiter) {
      const { points, duration } = this.#limits[name]
      limiter = new RateLimiterMemory({ keyPrefix: name, points, duration })
      this.#memory.set(name, limiter)
    }
    return limiter
  }
}
