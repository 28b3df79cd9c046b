// Claiming work with FOR UPDATE SKIP LOCKED, as the timer poller and outbox relay do: two claimers never get
// the same row. On real Postgres the claims run in parallel on separate connections; on PGlite they are
// serialised (one connection), which must give the same outcome.
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from './schema/index.ts'
import { createTestDatabase, insertMerchant, type TestDatabase, testDatabases } from './testing.ts'

async function insertRunWithTimers(db: Kysely<Database>, count: number, due: Date) {
  const merchant = await insertMerchant(db)
  const contact = await db
    .insertInto('contacts')
    .values({ merchant_id: merchant.id })
    .returningAll()
    .executeTakeFirstOrThrow()
  const flow = await db
    .insertInto('flows')
    .values({ merchant_id: merchant.id, name: 'f', document: {} })
    .returningAll()
    .executeTakeFirstOrThrow()
  const version = await db
    .insertInto('flow_versions')
    .values({ merchant_id: merchant.id, flow_id: flow.id, version: 1, document: {} })
    .returningAll()
    .executeTakeFirstOrThrow()
  const run = await db
    .insertInto('runs')
    .values({
      merchant_id: merchant.id,
      flow_id: flow.id,
      flow_version_id: version.id,
      contact_id: contact.id,
      trigger_kind: 'manual',
      snapshot: {},
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  const timers = Array.from({ length: count }, (_, i) => ({
    merchant_id: merchant.id,
    run_id: run.id,
    timer_id: `t-${i}`,
    due_at: new Date(due.getTime() + i),
    revision: 0,
    event: { type: 'xstate.after', n: i },
  }))
  for (let i = 0; i < timers.length; i += 500) {
    await db
      .insertInto('timers')
      .values(timers.slice(i, i + 500))
      .execute()
  }
  return { merchant, run }
}

/** Claims up to `limit` due timers inside `trx`: the poller's query. */
function selectDueForClaim(db: Kysely<Database>, now: Date, limit: number) {
  return db
    .selectFrom('timers')
    .select(['merchant_id', 'run_id', 'timer_id'])
    .where('due_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .orderBy('due_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
}

describe.each(testDatabases())('FOR UPDATE SKIP LOCKED claiming on %s', (kind) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase(kind, { poolSize: 20 })
  })
  afterAll(() => t?.close())

  it('never hands the same timer to two concurrent claimers (each fires exactly once)', async () => {
    const now = new Date('2030-01-01T00:00:00Z')
    const total = 1000
    const { merchant } = await insertRunWithTimers(t.db, total, new Date(now.getTime() - total))
    const fired: string[] = []
    const claimer = async () => {
      for (;;) {
        const batch = await t.db.transaction().execute(async (trx) => {
          const claimed = await selectDueForClaim(trx, now, 25).execute()
          if (claimed.length === 0) return claimed
          // Firing = the step's work; here just delete the timer rows in the same transaction.
          await trx
            .deleteFrom('timers')
            .where('merchant_id', '=', merchant.id)
            .where(
              'timer_id',
              'in',
              claimed.map((c) => c.timer_id),
            )
            .execute()
          return claimed
        })
        if (batch.length === 0) return
        fired.push(...batch.map((c) => c.timer_id))
      }
    }
    await Promise.all(Array.from({ length: 8 }, claimer))
    expect(fired).toHaveLength(total)
    expect(new Set(fired).size).toBe(total)
    const left = await t.db
      .selectFrom('timers')
      .where('merchant_id', '=', merchant.id)
      .select('timer_id')
      .execute()
    expect(left).toEqual([])
  })

  it('claims with a lease in one statement (UPDATE ... WHERE key IN (SELECT ... SKIP LOCKED))', async () => {
    const now = new Date('2031-01-01T00:00:00Z')
    const { merchant } = await insertRunWithTimers(t.db, 300, new Date(now.getTime() - 1000))
    const lease = new Date(now.getTime() + 30_000)
    const claim = (worker: string) =>
      t.db
        .updateTable('timers')
        .set({ locked_until: lease, locked_by: worker })
        .where(
          sql<boolean>`(merchant_id, run_id, timer_id) in (${selectDueForClaim(t.db, now, 40).where('merchant_id', '=', merchant.id)})`,
        )
        .returning('timer_id')
        .execute()
    const claims = await Promise.all(['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9'].map(claim))
    const ids = claims.flat().map((r) => r.timer_id)
    expect(ids).toHaveLength(300)
    expect(new Set(ids).size).toBe(300)
    // Leased rows are not claimable again until the lease runs out.
    expect(await claim('late')).toEqual([])
  })
})

describe.skipIf(!process.env.TEST_DATABASE_URL)('SKIP LOCKED across two Postgres connections', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase('postgres')
  })
  afterAll(() => t?.close())

  it('gives a second claimer the next rows while the first holds its locks', async () => {
    const now = new Date('2032-01-01T00:00:00Z')
    await insertRunWithTimers(t.db, 10, new Date(now.getTime() - 100))
    const first = await t.db.startTransaction().execute()
    const second = await t.db.startTransaction().execute()
    try {
      const pids = await Promise.all(
        [first, second].map((trx) => sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)),
      )
      expect(pids[0]?.rows[0]?.pid).not.toBe(pids[1]?.rows[0]?.pid)

      const a = await selectDueForClaim(first, now, 4).execute()
      const b = await selectDueForClaim(second, now, 4).execute()
      expect(a.map((r) => r.timer_id)).toEqual(['t-0', 't-1', 't-2', 't-3'])
      expect(b.map((r) => r.timer_id)).toEqual(['t-4', 't-5', 't-6', 't-7'])
      // A third connection (outside both transactions) sees only what neither holds.
      const rest = await selectDueForClaim(t.db, now, 10).execute()
      expect(rest.map((r) => r.timer_id)).toEqual(['t-8', 't-9'])
    } finally {
      await first.rollback().execute()
      await second.rollback().execute()
    }
  })
})
