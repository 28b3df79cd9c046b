// A fixed-window limiter on the shared `rate_limits` table that counts the actions of many concurrent requests
// with one statement (issue 9: two serial upserts per web-chat message were a third of its round trips). The
// requests that arrive while a count is in flight form the next one, so a quiet runtime waits for nothing and a
// busy one pays one statement per batch. Rows, keys and the window rule are rate-limiter-flexible's own (its
// Postgres store keeps deleting expired rows of the same table), so replicas using either count against one
// budget.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import { GroupCommit } from '../engine/group-commit.ts'
import { RATE_LIMITS_TABLE, type RateLimitStore } from './limiter-store.ts'

/** The pool's query is all this needs (a test counts the statements through it). */
type PgPool = Pick<Extract<RateLimitStore, { kind: 'postgres' }>['pool'], 'query'>

export interface BatchedWindowLimiterOptions {
  /** Keeps this limiter's keys apart in the shared table (`<name>:<key>`). */
  name: string
  /** Actions allowed per window and key. */
  points: number
  /** Window length, seconds. */
  duration: number
  /** Counts gathered into one statement at most. */
  maxBatch?: number
}

/** What one action's count came to: the actions counted in its window so far, and when the window ends. */
interface Counted {
  consumed: number
  msBeforeNext: number
}

// One row per key, in key order (so two replicas' batches lock shared keys in the same order and never deadlock);
// a window that has ended starts again with this batch's count, as the library's upsert does.
const UPSERT = `
  insert into ${RATE_LIMITS_TABLE} as r (key, points, expire)
  select u.key, u.n, $3::bigint from unnest($1::text[], $2::int[]) as u(key, n) order by u.key
  on conflict (key) do update set
    points = case when r.expire <= $4 then excluded.points else r.points + excluded.points end,
    expire = case when r.expire <= $4 then excluded.expire else r.expire end
  returning key, points, expire`

export class BatchedWindowLimiter {
  readonly #options: BatchedWindowLimiterOptions
  readonly #pool: PgPool
  readonly #batcher: GroupCommit<string, Counted>
  /** Keys over budget, refused from memory until their window ends: a flood costs no statements. */
  readonly #blocked = new Map<string, number>()
  /** The database unreachable: this process counts alone rather than fail every request. */
  readonly #insurance: RateLimiterMemory
  #nextItem = 0

  constructor(pool: PgPool, options: BatchedWindowLimiterOptions) {
    this.#options = options
    this.#pool = pool
    this.#insurance = new RateLimiterMemory({
      keyPrefix: options.name,
      points: options.points,
      duration: options.duration,
    })
    this.#batcher = new GroupCommit<string, Counted>({
      // Every action is its own item: the same key may be counted several times in one batch.
      keyOf: () => String(++this.#nextItem),
      process: (keys) => this.#count(keys),
      maxBatch: options.maxBatch ?? 256,
      // One statement at a time per limiter: the next batch gathers while it runs.
      maxInFlight: 1,
    })
  }

  /**
   * Counts one action for `key`; resolves when it is within the budget, rejects with a RateLimiterRes (as
   * rate-limiter-flexible's limiters do) when it is over.
   */
  async consume(key: string): Promise<RateLimiterRes> {
    const blockedUntil = this.#blocked.get(key)
    const now = Date.now()
    if (blockedUntil !== undefined) {
      if (blockedUntil > now) throw this.#result(this.#options.points + 1, blockedUntil - now)
      this.#blocked.delete(key)
    }
    let counted: Counted
    try {
      counted = await this.#batcher.submit(key)
    } catch (error) {
      if (error instanceof RateLimiterRes) throw error
      return this.#insurance.consume(key)
    }
    const res = this.#result(counted.consumed, counted.msBeforeNext)
    if (counted.consumed <= this.#options.points) return res
    this.#block(key, now + counted.msBeforeNext)
    throw res
  }

  /** One statement for the whole batch; the n-th action on a key in the batch is that key's n-th of the batch. */
  async #count(keys: string[]): Promise<Counted[]> {
    const perKey = new Map<string, number>()
    for (const key of keys) perKey.set(key, (perKey.get(key) ?? 0) + 1)
    const now = Date.now()
    const { rows } = await this.#pool.query<{ key: string; points: number; expire: string | null }>({
      name: 'parley-rate-limit-batch',
      text: UPSERT,
      values: [
        [...perKey.keys()].map((key) => `${this.#options.name}:${key}`),
        [...perKey.values()],
        now + this.#options.duration * 1000,
        now,
      ],
    })
    const after = new Map(rows.map((row) => [row.key.slice(this.#options.name.length + 1), row]))
    const seen = new Map<string, number>()
    return keys.map((key) => {
      const row = after.get(key)
      if (!row) throw new Error(`rate limit row for ${key} not returned`)
      const nth = (seen.get(key) ?? 0) + 1
      seen.set(key, nth)
      return {
        consumed: row.points - (perKey.get(key) ?? 0) + nth,
        msBeforeNext: row.expire === null ? -1 : Math.max(Number(row.expire) - now, 0),
      }
    })
  }

  #result(consumed: number, msBeforeNext: number): RateLimiterRes {
    return new RateLimiterRes(
      Math.max(this.#options.points - consumed, 0),
      msBeforeNext,
      consumed,
      consumed === 1,
    )
  }

  #block(key: string, until: number): void {
    // Forget ended blocks now and then, so keys from a flood of addresses do not pile up.
    if (this.#blocked.size >= 10_000) {
      const now = Date.now()
      for (const [k, end] of this.#blocked) if (end <= now) this.#blocked.delete(k)
    }
    this.#blocked.set(key, until)
  }
}
