// The limiters themselves: on Postgres two replicas (two RateLimits on one database) spend one shared budget;
// the growing delay of the sign-in throttle.
import { testDatabases } from '@parley/db/testing'
import { sql } from 'kysely'
import { RateLimiterRes } from 'rate-limiter-flexible'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import { RateLimitedError } from '../http/errors.ts'
import { createTestDeps, type TestDeps } from '../testing/test-deps.ts'
import { BatchedWindowLimiter } from './batched-window-limiter.ts'
import { rateLimitStoreFor } from './limiter-store.ts'
import { RateLimits } from './rate-limits.ts'
import { delaySeconds } from './sign-in-throttle.ts'

describe('delaySeconds', () => {
  it('is free up to the allowance, then doubles up to the maximum', () => {
    expect([5, 6, 7, 8, 9].map((n) => delaySeconds(n, 5, 900))).toEqual([0, 1, 2, 4, 8])
    expect(delaySeconds(200, 5, 900)).toBe(900)
    expect(delaySeconds(10_000, 5, 900)).toBe(900)
  })
})

describe.each(testDatabases())('rate limit store on %s', (kind) => {
  let t: TestDeps
  const config = loadConfig({ NODE_ENV: 'test', RATE_LIMIT_WEBHOOKS_PER_CHANNEL_PER_MINUTE: '4' })

  beforeAll(async () => {
    t = await createTestDeps(kind, { config })
  })
  afterAll(() => t?.close())

  it(
    kind === 'postgres'
      ? 'replicas share one budget through the rate_limits table'
      : 'counts in memory (one process)',
    async () => {
      const replicaA = new RateLimits(config, rateLimitStoreFor(t.database))
      const replicaB = new RateLimits(config, rateLimitStoreFor(t.database))
      await replicaA.hit(['webhooksPerChannel', 'channel-1'])
      await replicaA.hit(['webhooksPerChannel', 'channel-1'])
      await replicaB.hit(['webhooksPerChannel', 'channel-1'])
      await replicaB.hit(['webhooksPerChannel', 'channel-1'])
      if (kind === 'postgres') {
        const refusal = await replicaA
          .hit(['webhooksPerChannel', 'channel-1'])
          .catch((error: unknown) => error)
        expect(refusal).toBeInstanceOf(RateLimitedError)
        expect((refusal as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(1)
        expect((refusal as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(60)
        const rows = await sql<{ points: number }>`
          select points from rate_limits where key = 'webhooksPerChannel:channel-1'`.execute(t.deps.db)
        expect(rows.rows.map((row) => Number(row.points))).toEqual([5])
      } else {
        // Two processes on PGlite cannot exist (it is embedded), so each instance counts alone: A spent 2 of 4.
        await replicaA.hit(['webhooksPerChannel', 'channel-1'])
        await replicaA.hit(['webhooksPerChannel', 'channel-1'])
        await expect(replicaA.hit(['webhooksPerChannel', 'channel-1'])).rejects.toBeInstanceOf(
          RateLimitedError,
        )
      }
      // Another key has its own budget.
      await replicaA.hit(['webhooksPerChannel', 'channel-2'])
    },
  )

  it('a sign-in lockout set by one replica holds on the other (Postgres) and ends with a good password', async () => {
    const replicaA = new RateLimits(config, rateLimitStoreFor(t.database))
    const replicaB = kind === 'postgres' ? new RateLimits(config, rateLimitStoreFor(t.database)) : replicaA
    const email = `Shared-${kind}@Test.Parley.dev`
    for (let i = 0; i < 8; i++) await replicaA.signIn.failed(email, '192.0.2.1')
    const refusal = await replicaB.signIn
      .check(email.toLowerCase(), '192.0.2.77')
      .catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(RateLimitedError)
    // 8 failures with 5 free: the last one set a 4 s wait.
    expect((refusal as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(3)
    expect((refusal as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(4)
    await replicaB.signIn.succeeded(email)
    await replicaA.signIn.check(email, '192.0.2.78')
  })
})

describe.each(testDatabases().filter((kind) => kind === 'postgres'))('batched counting on %s', (kind) => {
  let t: TestDeps
  beforeAll(async () => {
    t = await createTestDeps(kind)
  })
  afterAll(() => t?.close())

  it('two replicas counting 60 concurrent actions on one key accept exactly the budget, in a few statements', async () => {
    const store = rateLimitStoreFor(t.database)
    if (store.kind !== 'postgres') throw new Error('expected the Postgres store')
    let statements = 0
    const counting = {
      query: ((...args: Parameters<typeof store.pool.query>) => {
        statements += 1
        return store.pool.query(...args)
      }) as typeof store.pool.query,
    }
    const replicas = [0, 1].map(
      () => new BatchedWindowLimiter(counting, { name: 'batchTest', points: 25, duration: 60 }),
    )
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        (replicas[i % 2] as BatchedWindowLimiter).consume('shared').then(
          () => 'accepted',
          (refusal: unknown) => {
            expect(refusal).toBeInstanceOf(RateLimiterRes)
            expect((refusal as RateLimiterRes).msBeforeNext).toBeGreaterThan(0)
            return 'refused'
          },
        ),
      ),
    )
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(25)
    expect(outcomes.filter((o) => o === 'refused')).toHaveLength(35)
    // Each replica: the first action alone, the other 29 gathered while it ran.
    expect(statements).toBeLessThanOrEqual(6)
    const rows = await sql<{ points: number }>`
      select points from rate_limits where key = 'batchTest:shared'`.execute(t.deps.db)
    expect(rows.rows.map((row) => Number(row.points))).toEqual([60])
    // Over budget: refused from memory until the window ends, no statement.
    const before = statements
    await expect(replicas[0]?.consume('shared')).rejects.toBeInstanceOf(RateLimiterRes)
    expect(statements).toBe(before)
    // Another key in the same batch keeps its own count.
    await Promise.all([replicas[0]?.consume('a'), replicas[0]?.consume('b'), replicas[0]?.consume('a')])
    const counts = await sql<{ key: string; points: number }>`
      select key, points from rate_limits where key like 'batchTest:_' order by key`.execute(t.deps.db)
    expect(counts.rows.map((row) => [row.key, Number(row.points)])).toEqual([
      ['batchTest:a', 2],
      ['batchTest:b', 1],
    ])
  })
})
