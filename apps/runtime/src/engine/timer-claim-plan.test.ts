// The timer claim keeps one generic plan on a connection (timer-poller.ts `claimDueTimers`): after Postgres' five
// custom plans it runs the generic one, even when the statistics say nothing is due yet (the timers came due after
// the last analyze), where a custom plan that sees the due time is the cheaper one and would be re-planned at every
// call. The real statement is captured, prepared on one connection and executed as the poller's repeats are.
import { createTestDatabase, type TestDatabase, testDatabases } from '@parley/db/testing'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedRecoveryConversation } from '../testing/engine-fixtures.ts'
import { capturingDb } from '../testing/generic-plans.ts'
import { seedMerchant } from '../testing/test-deps.ts'
import { claimDueTimers } from './timer-poller.ts'

const NOW = Date.parse('2026-11-30T12:00:00Z')
const HOUR = 3_600_000

// Postgres only; on a run without Postgres it is skipped (an empty suite list fails the file in vitest).
describe.runIf(testDatabases().includes('postgres'))('the timer claim on postgres', () => {
  let t: TestDatabase

  beforeAll(async () => {
    t = await createTestDatabase('postgres')
    const { merchantId } = await seedMerchant(t.db)
    const shop = await seedRecoveryConversation(t.db, merchantId)
    const template = await shop.insertRun('claim-template', new Date(NOW - HOUR))
    // 3,000 pending timers: on a table of a few rows every plan is cheap and the generic one wins anyway.
    await sql`insert into runs (merchant_id, flow_id, flow_version_id, contact_id, conversation_id, trigger_kind,
        correlation_key, snapshot, started_at)
      select r.merchant_id, r.flow_id, r.flow_version_id, r.contact_id, r.conversation_id, r.trigger_kind,
        'claim-' || i, r.snapshot, r.started_at
      from runs r, generate_series(1, 3000) as i where r.id = ${template}`.execute(t.db)
    await sql`insert into timers (merchant_id, run_id, timer_id, due_at, revision, event)
      select merchant_id, id, 'later', ${new Date(NOW)}::timestamptz + (row_number() over (order by id)) * interval '1 minute',
        0, '{"type": "later"}'
      from runs where correlation_key like 'claim-%' and id <> ${template}`.execute(t.db)
    // Statistics that see every timer in the future: a custom plan for "due by NOW" expects no row.
    await sql`analyze timers`.execute(t.db)
  }, 60_000)
  afterAll(async () => {
    await t?.close()
  })

  it('runs the generic plan from the sixth call on', async () => {
    const { db, sent } = capturingDb(t.db)
    expect(await claimDueTimers(db, NOW, 200, null)).toEqual([])
    const [claim] = sent
    if (!claim) throw new Error('no claim sent')
    const plans = await t.db.connection().execute(async (conn) => {
      // Test pools force generic plans (packages/db testing.ts); the runtime's run Postgres' default.
      await sql`set plan_cache_mode = auto`.execute(conn)
      await sql.raw(`prepare timer_claim as ${claim.sql}`).execute(conn)
      try {
        const args = claim.parameters.map((p) => sql.lit(p instanceof Date ? p.toISOString() : String(p)))
        for (let i = 0; i < 8; i++)
          await sql`execute ${sql.raw('timer_claim')}(${sql.join(args)})`.execute(conn)
        const { rows } = await sql<{ generic: string; custom: string }>`select generic_plans as generic,
          custom_plans as custom from pg_prepared_statements where name = 'timer_claim'`.execute(conn)
        return rows[0]
      } finally {
        await sql`deallocate timer_claim`.execute(conn)
        await sql`reset plan_cache_mode`.execute(conn)
      }
    })
    expect(Number(plans?.custom)).toBe(5)
    expect(Number(plans?.generic)).toBe(3)
  })
})
