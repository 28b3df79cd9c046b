// rate-limiter-flexible limiters on the chosen store: Postgres (the `rate_limits` table, shared by every
// replica) or this process's memory (embedded PGlite, one process).
import { createHash } from 'node:crypto'
import type { OpenedDatabase } from '@parley/db'
import {
  type IRateLimiterOptions,
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
} from 'rate-limiter-flexible'

/** Where counters are kept: Postgres (shared by replicas) or this process's memory. */
export type RateLimitStore =
  | { kind: 'postgres'; pool: NonNullable<OpenedDatabase['pool']> }
  | { kind: 'memory' }

/** Postgres counters when the runtime is on Postgres (replicas share them), memory on embedded PGlite. */
export function rateLimitStoreFor(opened: Pick<OpenedDatabase, 'kind' | 'pool'>): RateLimitStore {
  return opened.kind === 'postgres' && opened.pool
    ? { kind: 'postgres', pool: opened.pool }
    : { kind: 'memory' }
}

/** The counters table (packages/db migration 202611292300_rate_limits). */
export const RATE_LIMITS_TABLE = 'rate_limits'

/** Builds one limiter on the store; `name` keeps each limiter's keys apart in the shared table. */
export function createLimiter(
  store: RateLimitStore,
  name: string,
  options: Required<Pick<IRateLimiterOptions, 'points' | 'duration'>>,
): RateLimiterAbstract {
  const common = { keyPrefix: name, ...options }
  if (store.kind === 'memory') return new RateLimiterMemory(common)
  return new RateLimiterPostgres({
    ...common,
    storeClient: store.pool,
    storeType: 'pool',
    tableName: RATE_LIMITS_TABLE,
    tableCreated: true,
    // Once a key is over its budget, this replica refuses it from memory until the window ends: a flood
    // costs the database one row update per replica, not one per request.
    inMemoryBlockOnConsumed: options.points + 1,
    // The database unreachable: count in this process rather than fail every request.
    insuranceLimiter: new RateLimiterMemory(common),
  })
}

/** Keys are stored in a varchar(255); long ones (emails, IPv6 keys are short) are cut to a digest. */
export function limiterKey(key: string): string {
  return key.length <= 160 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`
}
