// Fixed-window limits on the shared `rate_limits` table, counted for many concurrent requests with one statement
// (issue 9: two serial upserts per web-chat message were a third of its round trips). A request's checks form a
// chain (per visitor, then per address): in the statement each level counts only the requests the levels before
// accepted, so one noisy visitor is refused without spending its address's budget, as checking one after another
// would. The requests that arrive while a statement is in flight form the next one, so a quiet runtime waits for
// nothing. Rows, keys and the window rule are rate-limiter-flexible's own (its Postgres store keeps deleting
// expired rows of the same table), so every replica counts against one budget.
import { RateLimiterMemory } from 'rate-limiter-flexible'
import { GroupCommit } from '../engine/group-commit.ts'
import { RATE_LIMITS_TABLE, type RateLimitStore } from './limiter-store.ts'

/** The pool's query is all this needs (a test counts the statements through it). */
type PgPool = Pick<Extract<RateLimitStore, { kind: 'postgres' }>['pool'], 'query'>

/** One limit: `points` actions per `duration` seconds per key; `name` keeps its keys apart (`<name>:<key>`). */
export interface WindowLimit {
  name: string
  points: number
  duration: number
}

/** One check of a chain: a limit and the key it counts. */
export interface LimitCheck {
  limit: WindowLimit
  key: string
}

/** A chain's verdict: accepted, or refused at check `index` until its window ends. */
export type ChainVerdict = { refused: null } | { refused: number; msBeforeNext: number }

/** Checks one chain may hold (RateLimits passes two at most). */
export const MAX_CHAIN = 3

interface CheckCount {
  used: number
  expire: number | null
}

export class BatchedWindowLimiter {
  readonly #pool: PgPool
  readonly #batcher: GroupCommit<LimitCheck[], (CheckCount | null)[]>
  /** Keys over budget, refused from memory until their window ends: a flood costs no statements. */
  readonly #blocked = new Map<string, number>()
  /** The database unreachable: this process counts alone rather than fail every request. */
  readonly #insurance = new Map<string, RateLimiterMemory>()
  #nextItem = 0

  constructor(pool: PgPool, options: { maxBatch?: number } = {}) {
    this.#pool = pool
    this.#batcher = new GroupCommit({
      // Every request is its own item: the same keys may be counted several times in one batch.
      keyOf: () => String(++this.#nextItem),
      process: (chains) => this.#count(chains),
      maxBatch: options.maxBatch ?? 256,
      // One statement at a time: the next batch gathers while it runs.
      maxInFlight: 1,
      // The web-chat clients a batch of replies answered send again together: started on the first request, a
      // statement counted one message (half of them did) and the rest waited for its round trip.
      gatherInPhase: true,
    })
  }

  /** Counts one action against each check in order; the first over its budget refuses, the later are not counted. */
  async hit(checks: readonly LimitCheck[]): Promise<ChainVerdict> {
    checkChain(checks)
    const now = Date.now()
    const counted = this.#countable(checks, now)
    let counts: (CheckCount | null)[] = []
    if (counted.length > 0) {
      try {
        counts = await this.#batcher.submit([...counted])
      } catch {
        return this.#hitInMemory(checks)
      }
    }
    return this.#verdict(checks, counted, counts, now)
  }

  /**
   * `hit` for chains the caller has gathered already (the inbound batch, engine/inbound.ts): all of them counted
   * with one statement, now (not through this limiter's own batches), in autocommit, so a counted row is locked
   * only for that statement.
   * @example const verdicts = await limiter.hitAll(batch.map((msg) => chainOf(msg)))
   */
  async hitAll(chains: readonly (readonly LimitCheck[])[]): Promise<ChainVerdict[]> {
    for (const checks of chains) checkChain(checks)
    const now = Date.now()
    const counted = chains.map((checks) => this.#countable(checks, now))
    const toCount = counted.filter((checks) => checks.length > 0)
    let counts: (CheckCount | null)[][] = []
    if (toCount.length > 0) {
      try {
        counts = await this.#count(toCount)
      } catch {
        const verdicts: ChainVerdict[] = []
        for (const checks of chains) verdicts.push(await this.#hitInMemory(checks))
        return verdicts
      }
    }
    let next = 0
    return chains.map((checks, index) => {
      const countedHere = counted[index] as LimitCheck[]
      return this.#verdict(checks, countedHere, countedHere.length > 0 ? (counts[next++] ?? []) : [], now)
    })
  }

  /**
   * The verdict memory alone gives: refused when the chain's first check is over budget (a flood costs no
   * statement and waits for no batch); null when the chain has to be counted.
   */
  refusedFromMemory(checks: readonly LimitCheck[]): ChainVerdict | null {
    const first = checks[0]
    if (!first) return null
    const now = Date.now()
    const until = this.#blocked.get(storedKey(first)) ?? 0
    return until > now ? { refused: 0, msBeforeNext: until - now } : null
  }

  /** The checks to count: up to the first key refused from memory (that one ends the chain, the ones before count). */
  #countable(checks: readonly LimitCheck[], now: number): LimitCheck[] {
    const blockedAt = checks.findIndex((check) => (this.#blocked.get(storedKey(check)) ?? 0) > now)
    return blockedAt === -1 ? [...checks] : checks.slice(0, blockedAt)
  }

  /** A chain's verdict from the counts of its counted checks: the first over budget refuses (and is blocked). */
  #verdict(
    checks: readonly LimitCheck[],
    counted: readonly LimitCheck[],
    counts: readonly (CheckCount | null)[],
    now: number,
  ): ChainVerdict {
    for (const [index, check] of counted.entries()) {
      const count = counts[index]
      if (!count || count.used <= check.limit.points) continue
      // The window began when the statement counted, a moment after `now` (the batch gathered, the round trip):
      // what is left of it is never more than its length, and a Retry-After of 61 s for a 60 s window is wrong.
      const msBeforeNext =
        count.expire === null ? -1 : Math.min(Math.max(count.expire - now, 0), check.limit.duration * 1000)
      this.#block(storedKey(check), now + msBeforeNext)
      return { refused: index, msBeforeNext }
    }
    const blocked = checks[counted.length]
    if (!blocked) return { refused: null }
    const until = this.#blocked.get(storedKey(blocked)) ?? now
    return { refused: counted.length, msBeforeNext: until - now }
  }

  /** One statement for the whole batch: level by level, each counting the requests the levels before accepted. */
  async #count(chains: LimitCheck[][]): Promise<(CheckCount | null)[][]> {
    const now = Date.now()
    const levels = Math.max(...chains.map((chain) => chain.length))
    const values: unknown[] = [now, chains.map((_, ord) => ord)]
    for (let level = 0; level < levels; level++) {
      const at = (chain: LimitCheck[]) => chain[level]
      values.push(
        chains.map((chain) => (at(chain) ? storedKey(at(chain) as LimitCheck) : null)),
        chains.map((chain) => at(chain)?.limit.points ?? null),
        chains.map((chain) => {
          const check = at(chain)
          return check ? now + check.limit.duration * 1000 : null
        }),
      )
    }
    const { rows } = await this.#pool.query<Record<string, number | string | null>>({
      name: `parley-rate-limit-chain-${levels}`,
      text: chainStatement(levels),
      values,
    })
    const byOrd = new Map(rows.map((row) => [Number(row.ord), row]))
    return chains.map((chain, ord) =>
      chain.map((_, level) => {
        const row = byOrd.get(ord)
        const used = row?.[`used${level}`]
        if (used === null || used === undefined) return null
        const expire = row?.[`expire${level}`]
        return { used: Number(used), expire: expire === null || expire === undefined ? null : Number(expire) }
      }),
    )
  }

  async #hitInMemory(checks: readonly LimitCheck[]): Promise<ChainVerdict> {
    for (const [index, { limit, key }] of checks.entries()) {
      let limiter = this.#insurance.get(limit.name)
      if (!limiter) {
        limiter = new RateLimiterMemory({
          keyPrefix: limit.name,
          points: limit.points,
          duration: limit.duration,
        })
        this.#insurance.set(limit.name, limiter)
      }
      const res = await limiter.consume(key).catch((refusal: { msBeforeNext: number }) => refusal)
      if ('consumedPoints' in res && res.consumedPoints > limit.points)
        return { refused: index, msBeforeNext: res.msBeforeNext }
    }
    return { refused: null }
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

/** The counting statement's text for chains of `levels` checks, built once per length (it is the same each batch). */
const chainStatements = new Map<number, string>()

function chainStatement(levels: number): string {
  let text = chainStatements.get(levels)
  if (text === undefined) {
    text = buildChainStatement(levels)
    chainStatements.set(levels, text)
  }
  return text
}

function buildChainStatement(levels: number): string {
  const columns: string[] = ['ord']
  for (let level = 0; level < levels; level++) columns.push(`k${level}`, `p${level}`, `x${level}`)
  const arrays = columns
    .map((_, i) => `$${i + 2}::${i === 0 ? 'int' : ['text', 'int', 'bigint'][(i - 1) % 3]}[]`)
    .join(', ')
  const parts = [`req0 as (select * from unnest(${arrays}) as r(${columns.join(', ')}))`]
  for (let l = 0; l < levels; l++) {
    // Keys in order, so two replicas' statements lock shared keys in the same order and never deadlock.
    parts.push(
      `in${l} as (select k${l} as key, count(*)::int as n, max(x${l}) as x from req${l}
        where k${l} is not null group by k${l})`,
      `up${l} as (insert into ${RATE_LIMITS_TABLE} as t (key, points, expire)
        select key, n, x from in${l} order by key
        on conflict (key) do update set
          points = case when t.expire <= $1 then excluded.points else t.points + excluded.points end,
          expire = case when t.expire <= $1 then excluded.expire else t.expire end
        returning key, points, expire)`,
      // The n-th request of the batch on a key is that key's n-th action of the batch.
      `c${l} as (select r.ord, u.points - i.n + row_number() over (partition by r.k${l} order by r.ord) as used,
          u.expire from req${l} r join in${l} i on i.key = r.k${l} join up${l} u on u.key = r.k${l})`,
      `req${l + 1} as (select r.* from req${l} r join c${l} on c${l}.ord = r.ord where c${l}.used <= r.p${l})`,
    )
  }
  const select = Array.from(
    { length: levels },
    (_, l) => `c${l}.used as used${l}, c${l}.expire as expire${l}`,
  )
  const joins = Array.from({ length: levels }, (_, l) => `left join c${l} on c${l}.ord = req0.ord`)
  return `with ${parts.join(',\n')} select req0.ord, ${select.join(', ')} from req0 ${joins.join(' ')}`
}

function checkChain(checks: readonly LimitCheck[]): void {
  if (checks.length === 0 || checks.length > MAX_CHAIN)
    throw new Error(`a rate limit chain has 1 to ${MAX_CHAIN} checks`)
}

/** The key as the table (and rate-limiter-flexible) stores it. */
function storedKey(check: LimitCheck): string {
  return `${check.limit.name}:${check.key}`
}
