// The one retry rule of the runtime: exponential backoff with jitter, used by every retry site — the outbox's
// durable retry of provider calls (a `retry` answer, e.g. 429/5xx, is due again after backoffDelayMs), the
// step transaction and the relay's outcome write on deadlock/serialisation failure, and realtime's reconnect.
// Jitter because the things that fail together (a provider's outage, two replicas' conflicting batches, every
// replica losing the database at once) must not all come back in the same instant and fail together again.
//
// "Equal jitter": the delay is half the exponential step plus a random share of the other half, so it grows like
// the exponential (a provider asked to back off is given room) yet two retries of the same attempt are spread
// over a window as wide as half the step.

export interface BackoffPolicy {
  /** The step of the first retry (attempt 1); it doubles per attempt. */
  baseMs: number
  /** No step longer than this. */
  maxMs: number
}

/**
 * Delay before retry `attempt` (1-based): in [step / 2, step], step = min(maxMs, baseMs × 2^(attempt-1)).
 * @example backoffDelayMs(3, { baseMs: 1000, maxMs: 300_000 }) // 2,000–4,000
 */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(step / 2 + random() * (step / 2))
}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number
  backoff: BackoffPolicy
  /** Only errors this accepts are retried; any other is thrown at once. */
  retryable: (error: unknown) => boolean
  /** Told before each wait, e.g. to log it. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void
  random?: () => number
  /** Waits (real time: these are in-process waits on contention, not business time). */
  sleep?: (ms: number) => Promise<void>
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Runs `fn` until it succeeds, throws an error `retryable` refuses, or `attempts` are used up (the last error is
 * thrown), waiting backoffDelayMs between attempts.
 * @example await withRetries(() => db.transaction().execute(work), { attempts: 4, backoff, retryable: isRetryableDbError })
 */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? realSleep
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (attempt >= options.attempts || !options.retryable(error)) throw error
      const delay = backoffDelayMs(attempt, options.backoff, options.random)
      options.onRetry?.(error, attempt, delay)
      await sleep(delay)
    }
  }
}
