// Acceptance 3 (issue 3): two replicas on one Postgres, each running its timer poller concurrently, with
// 10,000 timers due: each fires exactly once (one step and one message per run). Real Postgres only:
// PGlite is one connection in one process, where SKIP LOCKED never has anything to skip.
import { type Database, openDatabase } from '@parley/db'
import { createTestDatabase, type TestDatabase, testDatabases } from '@parley/db/testing'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RuntimeDeps } from '../deps.ts'
import { createRuntimeMetrics, metricValue } from '../observability/metrics.ts'
import { RecordingAdapter, reminderFlow, seedShop } from '../testing/engine-fixtures.ts'
import { createTestDeps, type TestDeps } from '../testing/test-deps.ts'
import { processInboundMessage } from './inbound.ts'
import { fireDueTimers } from './timer-poller.ts'

const RUNS = 10_000
const HOUR = 3_600_000

const onPostgres = testDatabases().includes('postgres')
if (!onPostgres)
  console.warn('[timer replicas] real Postgres not available: acceptance 3 is skipped on PGlite')

describe.runIf(onPostgres)('two replicas firing 10,000 due timers on postgres', () => {
  let t: TestDeps
  let replicaDb: Kysely<Database>
  let closeReplica: () => Promise<void>

  beforeAll(async () => {
    const database: TestDatabase = await createTestDatabase('postgres', { poolSize: 8 })
    t = await createTestDeps('postgres', {
      db: database.db,
      dbKind: 'postgres',
      channels: { webchat: new RecordingAdapter() },
    })
    const url = database.pool?.options.connectionString
    if (!url) throw new Error('the Postgres test database has no connection string')
    const replica = await openDatabase({ url, migrate: false, poolSize: 8 })
    replicaDb = replica.db
    closeReplica = async () => {
      await replica.close()
      await database.close()
    }
  })
  afterAll(async () => {
    await closeReplica?.()
    await t?.close()
  })

  it('fires each timer exactly once', { timeout: 240_000 }, async () => {
    const db = t.deps.db
    const { merchantId, channel, message } = await seedShop(db, { flows: [reminderFlow('Still there?')] })
    const first = await processInboundMessage(t.deps, message('visitor-0', 'hi'))
    const template = first.runIds[0]!
    // 9,999 more runs like the first, each with its own contact, conversation and due timer.
    await sql`
      with n as (select generate_series(1, ${RUNS - 1}) as i),
      c as (
        insert into contacts (merchant_id, name) select ${merchantId}::uuid, 'shopper ' || i from n returning id
      ),
      cn as (select id, row_number() over () as i from c),
      conv as (
        insert into conversations (merchant_id, contact_id, channel_id)
        select ${merchantId}::uuid, cn.id, ${channel.id}::uuid from cn returning id, contact_id
      ),
      idents as (
        insert into contact_identities (merchant_id, contact_id, channel_id, external_id)
        select ${merchantId}::uuid, conv.contact_id, ${channel.id}::uuid, 'visitor-' || conv.contact_id from conv
      ),
      r as (
        insert into runs (merchant_id, flow_id, flow_version_id, contact_id, conversation_id, trigger_kind,
                          snapshot, revision, status, waiting_for, started_at)
        select t.merchant_id, t.flow_id, t.flow_version_id, conv.contact_id, conv.id, t.trigger_kind,
               t.snapshot, t.revision, t.status, t.waiting_for, t.started_at
        from conv, runs t where t.id = ${template}::uuid
        returning id, merchant_id, revision
      )
      insert into timers (merchant_id, run_id, timer_id, due_at, revision, event)
      select r.merchant_id, r.id, tt.timer_id, tt.due_at, r.revision, tt.event
      from r, timers tt where tt.run_id = ${template}::uuid`.execute(db)
    const due = await db
      .selectFrom('timers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(due.n)).toBe(RUNS)

    t.clock.advance(HOUR)
    const replicaA: RuntimeDeps = { ...t.deps, instanceId: 'replica-a', metrics: createRuntimeMetrics() }
    const replicaB: RuntimeDeps = {
      ...t.deps,
      db: replicaDb,
      instanceId: 'replica-b',
      metrics: createRuntimeMetrics(),
    }
    const drain = async (deps: RuntimeDeps) => {
      let fired = 0
      let idle = 0
      // Keep polling until the queue stays empty: a batch can come back empty while the other replica
      // holds every remaining timer, and those may be released again (runs locked elsewhere).
      while (idle < 3) {
        const r = await fireDueTimers(deps, 200)
        fired += r.fired
        idle = r.claimed === 0 ? idle + 1 : 0
      }
      return fired
    }
    const started = Date.now()
    const [a, b] = await Promise.all([drain(replicaA), drain(replicaB)])
    const seconds = (Date.now() - started) / 1000
    console.info(
      `[timer replicas] ${RUNS} timers: replica A fired ${a}, B fired ${b} in ${seconds.toFixed(1)} s`,
    )

    expect(a + b).toBe(RUNS)
    expect(a).toBeGreaterThan(0)
    expect(b).toBeGreaterThan(0)
    const perRun = await sql<{ runs: number; messages: number; over: number }>`
      select count(*)::int as runs, coalesce(sum(m), 0)::int as messages, count(*) filter (where m <> 1)::int as over
      from (select r.id, (select count(*) from messages where run_id = r.id) as m
            from runs r where r.merchant_id = ${merchantId}::uuid) x`.execute(db)
    expect(perRun.rows[0]).toEqual({ runs: RUNS, messages: RUNS, over: 0 })
    const done = await db
      .selectFrom('runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('merchant_id', '=', merchantId)
      .where('status', '=', 'done')
      .where('revision', '=', 2)
      .executeTakeFirstOrThrow()
    expect(Number(done.n)).toBe(RUNS)
    expect(
      (await metricValue(replicaA.metrics.timersFired)) + (await metricValue(replicaB.metrics.timersFired)),
    ).toBe(RUNS)
    expect(await db.selectFrom('timers').selectAll().execute()).toEqual([])
  })
})
