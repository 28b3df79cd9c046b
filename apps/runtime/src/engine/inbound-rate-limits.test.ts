// Web-chat messages' rate limits counted with their inbound batch (issue 9): one limiter statement for a whole
// batch, refusals at the visitor and at the address next to accepted messages of others, nothing written for a
// refused message, the same count as one request at a time, and a failed batch's retry counting nothing twice.
import type { Database } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { InboundMessage } from '../channels/types.ts'
import type { RuntimeConfig } from '../config.ts'
import type { RuntimeDeps } from '../deps.ts'
import { NotFoundError } from '../domain-errors.ts'
import { RateLimitedError } from '../http/errors.ts'
import { withProcessState } from '../process-state.ts'
import { rateLimitStoreFor } from '../security/limiter-store.ts'
import { type RateLimitCheck, RateLimits } from '../security/rate-limits.ts'
import { RecordingAdapter, seedChannel } from '../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { processInboundMessage } from './inbound.ts'

const VISITOR_REFUSAL = 'Too many messages from this visitor; wait a moment'
const ADDRESS_REFUSAL = 'Too many messages from this address; wait a moment'

let addressCounter = 0
/** A fresh client address per use, so tests do not share per-address budgets. */
const newAddress = () => `198.51.100.${++addressCounter}`

describe.each(testDatabases())('web-chat limits counted with the inbound batch on %s', (kind) => {
  let t: TestDeps
  let db: Kysely<Database>
  beforeAll(async () => {
    t = await createTestDeps(kind, { channels: { webchat: new RecordingAdapter('webchat') } })
    db = t.deps.db
  })
  afterAll(() => t.close())

  /**
   * Deps of their own: their own group commit, one batch in flight (so what is submitted while one runs is the
   * next batch, whole), and limits of `perVisitor` and `perAddress` messages a minute.
   */
  function limitedDeps(perVisitor: number, perAddress: number): RuntimeDeps {
    const config: RuntimeConfig = {
      ...t.deps.config,
      RATE_LIMIT_WEBCHAT_MESSAGES_PER_VISITOR_PER_MINUTE: perVisitor,
      RATE_LIMIT_WEBCHAT_MESSAGES_PER_IP_PER_MINUTE: perAddress,
      INBOUND_BATCHES_IN_FLIGHT: 1,
    }
    return withProcessState({
      ...t.deps,
      config,
      rateLimits: new RateLimits(config, rateLimitStoreFor(t.database)),
    })
  }

  async function setUp() {
    const { merchantId } = await seedMerchant(db)
    const channel = await seedChannel(db, merchantId, 'webchat')
    const message = (visitor: string, id: string, channelId = channel.id): InboundMessage => ({
      merchantId,
      channelId,
      externalId: `${visitor}:${id}`,
      sender: { externalId: visitor },
      text: `hello ${id}`,
    })
    /** The chain the web-chat route passes: per visitor first, then per address. */
    const limits = (visitor: string, address: string): RateLimitCheck[] => [
      ['webchatMessagesPerVisitor', `${channel.id}:${visitor}`],
      ['webchatMessagesPerIp', address],
    ]
    /** Sends as the route does; resolves with 'accepted', the refusal's message, or rejects with other errors. */
    const send = (deps: RuntimeDeps, visitor: string, id: string, address: string, channelId = channel.id) =>
      processInboundMessage(deps, message(visitor, id, channelId), limits(visitor, address)).then(
        (result) => {
          expect(result.duplicate).toBe(false)
          expect(result.messageId).toBeDefined()
          return 'accepted'
        },
        (error: unknown) => {
          if (!(error instanceof RateLimitedError)) throw error
          expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1)
          expect(error.retryAfterSeconds).toBeLessThanOrEqual(60)
          return error.message
        },
      )
    /** What was written for a message: its receipt and its transcript row. */
    const written = async (visitor: string, id: string) => {
      const receipts = await db
        .selectFrom('receipts')
        .select('external_id')
        .where('merchant_id', '=', merchantId)
        .where('external_id', '=', `${visitor}:${id}`)
        .execute()
      const messages = await db
        .selectFrom('messages')
        .select('id')
        .where('merchant_id', '=', merchantId)
        .where('provider_message_id', '=', `${visitor}:${id}`)
        .execute()
      return receipts.length + messages.length
    }
    /** The counters of the rate_limits table (Postgres; PGlite counts in memory). */
    const counters = async (visitors: string[], address: string) => {
      const keys = [
        ...visitors.map((v) => `webchatMessagesPerVisitor:${channel.id}:${v}`),
        `webchatMessagesPerIp:${address}`,
      ]
      const rows = await sql<{ key: string; points: number }>`
        select key, points from rate_limits where key = any(${keys}::text[])`.execute(db)
      return Object.fromEntries(rows.rows.map((row) => [row.key.split(':').at(-1), Number(row.points)]))
    }
    return { merchantId, channel, send, written, counters }
  }

  it('refuses at the visitor and at the address inside a batch of accepted messages from others; writes nothing for the refused', async () => {
    const { send, written, counters } = await setUp()
    const deps = limitedDeps(2, 5)
    const hitAll = vi.spyOn(deps.rateLimits, 'hitAll')
    const address = newAddress()
    expect(await send(deps, 'alice', 'a1', address)).toBe('accepted')
    expect(await send(deps, 'alice', 'a2', address)).toBe('accepted')
    // The first goes alone; the rest wait for it and form one batch.
    const alone = send(deps, 'warm', 'w1', newAddress())
    const other = newAddress()
    const batch = [
      send(deps, 'alice', 'a3', address),
      send(deps, 'bob', 'b1', address),
      send(deps, 'carol', 'c1', address),
      send(deps, 'dan', 'd1', address),
      send(deps, 'erin', 'e1', address),
      send(deps, 'frank', 'f1', other),
    ]
    expect(await alone).toBe('accepted')
    expect(await Promise.all(batch)).toEqual([
      // Alice's third is over her 2: refused without spending the address's budget...
      VISITOR_REFUSAL,
      // ...so the address still takes 3 after her two: Bob, Carol, Dan; Erin's is its sixth.
      'accepted',
      'accepted',
      'accepted',
      ADDRESS_REFUSAL,
      // Another address is not touched.
      'accepted',
    ])
    // Counted once for the batch (and once for each batch before it).
    expect(hitAll.mock.calls.map(([chains]) => chains.length)).toEqual([1, 1, 1, 6])
    expect(await written('alice', 'a3')).toBe(0)
    expect(await written('erin', 'e1')).toBe(0)
    expect(await written('bob', 'b1')).toBe(2)
    expect(await written('frank', 'f1')).toBe(2)
    if (kind === 'postgres') {
      // The address counted what the visitors accepted: Alice's two, then Bob, Carol, Dan and Erin.
      expect(await counters(['alice', 'bob', 'erin'], address)).toEqual({
        alice: 3,
        bob: 1,
        erin: 1,
        [address]: 6,
      })
    }
    // A refused message is not a duplicate: sent again once the budget allows, it is processed.
    const later = limitedDeps(10, 10)
    expect(await send(later, 'erin', 'e1', newAddress())).toBe('accepted')
  })

  it('counts as one request at a time counts: a budget of 3, 5 messages, exactly 2 refused', async () => {
    const { send, written } = await setUp()
    const deps = limitedDeps(3, 1000)
    // One visitor, one message after another, next to the same sequence counted request by request.
    const address = newAddress()
    const batched: string[] = []
    for (let i = 1; i <= 5; i++) batched.push(await send(deps, 'grace', `g${i}`, address))
    const perRequest: string[] = []
    for (let i = 1; i <= 5; i++) {
      perRequest.push(
        await deps.rateLimits
          .hit(['webchatMessagesPerVisitor', `elsewhere:heidi`], ['webchatMessagesPerIp', newAddress()])
          .then(
            () => 'accepted',
            (error: RateLimitedError) => error.message,
          ),
      )
    }
    expect(batched).toEqual(['accepted', 'accepted', 'accepted', VISITOR_REFUSAL, VISITOR_REFUSAL])
    expect(batched).toEqual(perRequest)
    expect(await written('grace', 'g3')).toBe(2)
    expect(await written('grace', 'g4')).toBe(0)

    // Five visitors of one address at once, the address's budget 3: exactly two refused, within one batch.
    const crowded = limitedDeps(1000, 3)
    const shared = newAddress()
    const alone = send(crowded, 'warm', 'w1', newAddress())
    const together = ['i', 'j', 'k', 'l', 'm'].map((v) => send(crowded, v, `${v}1`, shared))
    expect(await alone).toBe('accepted')
    const outcomes = await Promise.all(together)
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(3)
    expect(outcomes.filter((o) => o === ADDRESS_REFUSAL)).toHaveLength(2)
  })

  it('counts each message of a failed batch once, however the batch is retried', async () => {
    const { send, counters } = await setUp()
    const deps = limitedDeps(2, 5)
    const hitAll = vi.spyOn(deps.rateLimits, 'hitAll')
    const address = newAddress()
    const alone = send(deps, 'warm', 'w1', newAddress())
    // A message for a channel that does not exist fails the batch; it is retried message by message.
    const batch = [
      send(deps, 'alice', 'a1', address),
      send(deps, 'bob', 'b1', address),
      send(deps, 'carol', 'c1', address, '00000000-0000-4000-8000-000000000000'),
    ]
    expect(await alone).toBe('accepted')
    const outcomes = await Promise.allSettled(batch)
    expect(outcomes.slice(0, 2)).toEqual([
      { status: 'fulfilled', value: 'accepted' },
      { status: 'fulfilled', value: 'accepted' },
    ])
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(NotFoundError)
    // One count for the three (the bad one counts, as it did when the route counted before the engine).
    expect(hitAll.mock.calls.map(([chains]) => chains.length)).toEqual([1, 3])
    // Alice, Bob and Carol spent 3 of the address's 5: Alice's second is its fourth, Bob's second its fifth, and
    // Dan's first its sixth. Counted again on the retry, Alice's and Bob's second would have been refused.
    expect(await send(deps, 'alice', 'a2', address)).toBe('accepted')
    expect(await send(deps, 'bob', 'b2', address)).toBe('accepted')
    expect(await send(deps, 'alice', 'a3', address)).toBe(VISITOR_REFUSAL)
    expect(await send(deps, 'dan', 'd1', address)).toBe(ADDRESS_REFUSAL)
    if (kind === 'postgres') {
      expect(await counters(['alice', 'bob', 'carol', 'dan'], address)).toEqual({
        alice: 3,
        bob: 2,
        carol: 1,
        dan: 1,
        [address]: 6,
      })
    }
  })

  it.runIf(kind === 'postgres')(
    'counts a batch of 40 messages with one limiter statement; a refused visitor floods with none',
    async () => {
      const { send } = await setUp()
      const deps = limitedDeps(1, 1000)
      const store = rateLimitStoreFor(t.database)
      if (store.kind !== 'postgres') throw new Error('expected the Postgres store')
      const query = vi.spyOn(store.pool, 'query')
      // The limiter's statements are prepared under its own names.
      const isLimiterStatement = (config: unknown) =>
        typeof config === 'object' &&
        config !== null &&
        'name' in config &&
        typeof config.name === 'string' &&
        config.name.startsWith('parley-rate-limit-chain')
      const limiterStatements = () => query.mock.calls.filter(([config]) => isLimiterStatement(config)).length
      try {
        const address = newAddress()
        const alone = send(deps, 'warm', 'w1', address)
        const batch = Array.from({ length: 40 }, (_, i) => send(deps, `v${i}`, 'm1', address))
        expect(await alone).toBe('accepted')
        expect(await Promise.all(batch)).toEqual(batch.map(() => 'accepted'))
        // The lone first message's statement, then one for the 40.
        expect(limiterStatements()).toBe(2)
        // v0 is over its budget of 1 from its second message on: refused from memory, no statement, no batch.
        expect(await send(deps, 'v0', 'm2', address)).toBe(VISITOR_REFUSAL)
        expect(limiterStatements()).toBe(3)
        const hitAll = vi.spyOn(deps.rateLimits, 'hitAll')
        const flood = await Promise.all(
          Array.from({ length: 20 }, (_, i) => send(deps, 'v0', `flood-${i}`, address)),
        )
        expect(flood).toEqual(flood.map(() => VISITOR_REFUSAL))
        expect(limiterStatements()).toBe(3)
        expect(hitAll).not.toHaveBeenCalled()
      } finally {
        query.mockRestore()
      }
    },
  )
})
