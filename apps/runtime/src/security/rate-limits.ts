// The runtime's rate limits, built once per process (server.ts, test deps) from the config. On Postgres the
// counters live in the `rate_limits` table (rate-limiter-flexible's Postgres store), so every replica counts
// against the same budget; on embedded PGlite (one process) they live in memory. A refusal is a 429
// rate_limited with Retry-After, raised before the request does any work or writes anything.
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible'
import type { RuntimeConfig } from '../config.ts'
import { RateLimitedError } from '../http/errors.ts'
import { createLimiter, limiterKey, type RateLimitStore } from './limiter-store.ts'
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

const messages: Record<RateLimitName, string> = {
  webchatMessagesPerVisitor: 'Too many messages from this visitor; wait a moment',
  webchatMessagesPerIp: 'Too many messages from this address; wait a moment',
  webchatVisitorsPerIp: 'Too many new chat visitors from this address; try again later',
  webchatVisitorsPerChannel: 'Too many new chat visitors on this channel; try again shortly',
  webhooksPerChannel: 'Too many webhook deliveries for this channel; retry later',
  linkClicksPerIp: 'Too many link clicks from this address; wait a moment',
}

export class RateLimits {
  readonly signIn: SignInThrottle
  readonly #limiters: Record<RateLimitName, RateLimiterAbstract>

  constructor(config: RuntimeConfig, store: RateLimitStore) {
    this.#limiters = Object.fromEntries(
      Object.entries(windows).map(([name, window]) => {
        const [points, duration] = window(config)
        return [name, createLimiter(store, name, { points, duration })]
      }),
    ) as Record<RateLimitName, RateLimiterAbstract>
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
  async hit(...checks: [RateLimitName, string][]): Promise<void> {
    for (const [name, key] of checks) {
      try {
        await this.#limiters[name].consume(limiterKey(key))
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes)
          throw new RateLimitedError(messages[name], refusal.msBeforeNext)
        throw refusal
      }
    }
  }
}
