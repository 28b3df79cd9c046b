// The limiters themselves: on Postgres two replicas (two RateLimits on one database) spend one shared budget;
// the growing delay of the sign-in throttle.
import { testDatabases } from '@parley/db/testing'
import { sql } from 'kysely'
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

  const perVisitor = { name: 'batchVisitor', points: 3, duration: 60 }
  const perAddress = { name: 'batchAddress', points: 25, duration: 60 }

  it('two replicas counting 60 concurrent requests accept exactly the budget, in a few statements; a refused first check spends nothing of the second', async () => {
    const store = rateLimitStoreFor(t.database)
    if (store.kind !== 'postgres') throw new Error('expected the Postgres store')
    let statements = 0
    const counting = {
      query: ((...args: Parameters<typeof store.pool.query>) => {
        statements += 1
        return store.pool.query(...args)
      }) as typeof store.pool.query,
    }
    const replicas = [0, 1].map(() => new BatchedWindowLimiter(counting))
    // 60 requests from one address: visitors v0..v14 send four each (the fourth over their budget of 3).
    const verdicts = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        (replicas[i % 2] as BatchedWindowLimiter).hit([
          { limit: perVisitor, key: `v${i % 15}` },
          { limit: perAddress, key: '192.0.2.9' },
        ]),
      ),
    )
    const refusedAt = verdicts.map((v) => v.refused)
    // 45 within their visitor's budget, of which the address takes 25; the 15 fourth messages stop at the visitor.
    expect(refusedAt.filter((r) => r === 0)).toHaveLength(15)
    expect(refusedAt.filter((r) => r === null)).toHaveLength(25)
    expect(refusedAt.filter((r) => r === 1)).toHaveLength(20)
    for (const v of verdicts) if (v.refused !== null) expect(v.msBeforeNext).toBeGreaterThan(0)
    // Each replica: the first request alone, the rest gathered while it ran.
    expect(statements).toBeLessThanOrEqual(6)
    const rows = await sql<{ key: string; points: number }>`
      select key, points from rate_limits where key like 'batch%' order by key`.execute(t.deps.db)
    const points = Object.fromEntries(rows.rows.map((row) => [row.key, Number(row.points)]))
    // Only the requests their visitor accepted were counted for the address.
    expect(points['batchAddress:192.0.2.9']).toBe(45)
    expect(points['batchVisitor:v0']).toBe(4)
    // Over budget: refused from memory by the replica that refused it, until the window ends; no statement.
    const before = statements
    const refusedOn = verdicts.findIndex((v, i) => i % 15 === 0 && v.refused === 0) % 2
    const again = await replicas[refusedOn]?.hit([{ limit: perVisitor, key: 'v0' }])
    expect(again?.refused).toBe(0)
    expect(statements).toBe(before)
  })
})

describe('batched counting with the database unreachable', () => {
  it('counts a gathered batch in this process: the budgets hold, and a refused visitor spends nothing of its address', async () => {
    const unreachable = {
      query: async () => {
        throw new Error('connect ECONNREFUSED')
      },
    }
    const limiter = new BatchedWindowLimiter(unreachable)
    const perVisitor = { name: 'downVisitor', points: 2, duration: 60 }
    const perAddress = { name: 'downAddress', points: 3, duration: 60 }
    const chain = (visitor: string) => [
      { limit: perVisitor, key: visitor },
      { limit: perAddress, key: '192.0.2.50' },
    ]
    const verdicts = await limiter.hitAll([chain('a'), chain('a'), chain('a'), chain('b'), chain('c')])
    // a, a: the address's first two; a's third stops at its visitor; b its third; c its fourth, over 3.
    expect(verdicts.map((v) => v.refused)).toEqual([null, null, 0, null, 1])
    for (const v of verdicts) if (v.refused !== null) expect(v.msBeforeNext).toBeGreaterThan(0)
    // The same counters serve the requests counted one at a time.
    expect((await limiter.hit(chain('d'))).refused).toBe(1)
  })
})
