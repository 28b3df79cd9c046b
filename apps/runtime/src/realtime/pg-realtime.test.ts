import { openDatabase } from '@parley/db'
import { createTestDatabase, type TestDatabase } from '@parley/db/testing'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../observability/logger.ts'
import { createRealtime, notifyRealtime, PgRealtime, parseRealtimePayload } from './pg-realtime.ts'
import { InProcessRealtime, type RealtimeEvent } from './realtime.ts'

const logger = createLogger('silent')

function nextEvent(realtime: { subscribe(l: (e: RealtimeEvent) => void): () => void }, timeoutMs = 5000) {
  return new Promise<RealtimeEvent>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no realtime event')), timeoutMs)
    const off = realtime.subscribe((event) => {
      clearTimeout(timer)
      off()
      resolve(event)
    })
  })
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now()
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('parseRealtimePayload', () => {
  it('accepts the four fields and rejects anything else', () => {
    const event = { merchantId: 'm', conversationId: 'c', kind: 'message', id: 'x' }
    expect(parseRealtimePayload(JSON.stringify(event))).toEqual(event)
    expect(parseRealtimePayload(JSON.stringify({ ...event, kind: 'other' }))).toBeNull()
    expect(parseRealtimePayload('not json')).toBeNull()
  })
})

describe('InProcessRealtime', () => {
  it('publishes many events in order', async () => {
    const realtime = new InProcessRealtime()
    const seen: string[] = []
    realtime.subscribe((event) => seen.push(event.id))
    await realtime.publishMany(
      ['a', 'b', 'c'].map((id) => ({ merchantId: 'm', conversationId: 'c', kind: 'message', id })),
    )
    expect(seen).toEqual(['a', 'b', 'c'])
  })
})

describe('createRealtime', () => {
  it('is in-process on PGlite', async () => {
    const realtime = await createRealtime({ db: {} as never, kind: 'pglite', logger })
    expect(realtime).toBeInstanceOf(InProcessRealtime)
  })
})

const url = process.env.TEST_DATABASE_URL
if (!url) console.warn('[pg-realtime.test] TEST_DATABASE_URL is not set: SKIPPING the LISTEN/NOTIFY suite')

describe.skipIf(!url)('PgRealtime on real Postgres (two replicas)', () => {
  let replicaA: TestDatabase
  let replicaB: TestDatabase
  let realtimeA: PgRealtime
  let realtimeB: PgRealtime

  beforeAll(async () => {
    replicaA = await createTestDatabase('postgres')
    // A second pool on the same database stands in for the second runtime replica.
    const options = replicaA.pool!.options as { connectionString?: string }
    replicaB = await openDatabase({ url: options.connectionString!, migrate: false })
    realtimeA = (await createRealtime({
      db: replicaA.db,
      kind: 'postgres',
      pool: replicaA.pool,
      logger,
    })) as PgRealtime
    realtimeB = new PgRealtime({ db: replicaB.db, pool: replicaB.pool!, logger, reconnectDelayMs: 50 })
    await realtimeB.start()
  })

  afterAll(async () => {
    await realtimeA?.close()
    await realtimeB?.close()
    await replicaB?.close()
    await replicaA?.close()
  })

  it('delivers what one replica publishes to the other (and to itself)', async () => {
    const event: RealtimeEvent = { merchantId: 'm1', conversationId: 'c1', kind: 'message', id: 'msg1' }
    const onB = nextEvent(realtimeB)
    const onA = nextEvent(realtimeA)
    await realtimeA.publish(event)
    expect(await onB).toEqual(event)
    expect(await onA).toEqual(event)
  })

  it('delivers every event of a publishMany, in order, to both replicas', async () => {
    const events: RealtimeEvent[] = Array.from({ length: 25 }, (_, i) => ({
      merchantId: 'm3',
      conversationId: `c${i % 3}`,
      kind: i % 5 === 0 ? 'conversation' : 'message',
      id: `many-${i}`,
    }))
    const seenA: RealtimeEvent[] = []
    const seenB: RealtimeEvent[] = []
    const offA = realtimeA.subscribe((event) => event.merchantId === 'm3' && seenA.push(event))
    const offB = realtimeB.subscribe((event) => event.merchantId === 'm3' && seenB.push(event))
    await realtimeA.publishMany(events)
    await realtimeA.publishMany([])
    await until(() => seenA.length >= events.length && seenB.length >= events.length)
    offA()
    offB()
    expect(seenA).toEqual(events)
    expect(seenB).toEqual(events)
  })

  it('delivers ids with quotes, backslashes and any characters exactly as published', async () => {
    const events: RealtimeEvent[] = ['say "hi"', 'back\\slash\\', 'ümlaut 🚚 \u00e9', "it's, {a}"].map(
      (id, i) => ({ merchantId: 'm4', conversationId: `c"${i}`, kind: 'message', id }),
    )
    const seen: RealtimeEvent[] = []
    const off = realtimeB.subscribe((event) => event.merchantId === 'm4' && seen.push(event))
    await realtimeA.publishMany(events)
    await until(() => seen.length >= events.length)
    off()
    expect(seen).toEqual(events)
  })

  it('delivers a NOTIFY made inside a transaction only after commit', async () => {
    const seen: RealtimeEvent[] = []
    const off = realtimeB.subscribe((event) => seen.push(event))
    const rolledBack: RealtimeEvent = { merchantId: 'm1', conversationId: 'c1', kind: 'message', id: 'gone' }
    await replicaA.db
      .transaction()
      .execute(async (trx) => {
        await sql`select pg_notify('parley_realtime', ${JSON.stringify(rolledBack)})`.execute(trx)
        throw new Error('roll back')
      })
      .catch(() => {})
    const committed: RealtimeEvent = {
      merchantId: 'm1',
      conversationId: 'c1',
      kind: 'conversation',
      id: 'c1',
    }
    await replicaA.db.transaction().execute(async (trx) => {
      await notifyRealtime(trx, committed)
    })
    await until(() => seen.length > 0)
    off()
    expect(seen).toEqual([committed])
  })

  it('reconnects after its LISTEN connection is killed', async () => {
    const killed = await sql<{ pid: number }>`select pg_terminate_backend(pid) as pid from pg_stat_activity
      where datname = current_database() and query = 'listen parley_realtime' and pid <> pg_backend_pid()`.execute(
      replicaA.db,
    )
    expect(killed.rows).toHaveLength(2)
    // Events published while a replica is reconnecting are missed; keep publishing until both hear one.
    const heard = { a: false, b: false }
    const offA = realtimeA.subscribe((event) => {
      if (event.merchantId === 'm2') heard.a = true
    })
    const offB = realtimeB.subscribe((event) => {
      if (event.merchantId === 'm2') heard.b = true
    })
    const start = Date.now()
    let attempt = 0
    while (!(heard.a && heard.b) && Date.now() - start < 10_000) {
      attempt += 1
      await realtimeA.publish({
        merchantId: 'm2',
        conversationId: 'c2',
        kind: 'message',
        id: `try-${attempt}`,
      })
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    offA()
    offB()
    expect(heard).toEqual({ a: true, b: true })
    expect(realtimeA.listening && realtimeB.listening).toBe(true)
  })
})
