// "A run waits for the shopper's reply" is one rule (run-store.ts): the predicate the timer poller and the inbound
// batch apply to runs in memory and the condition the inbound reads and the LLM intent check put in SQL pick the
// same runs, for every status and every thing a run can wait for.
import type { RunStatus } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedRecoveryConversation } from '../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { waitsForReply, waitsForReplySql } from './run-store.ts'

const statuses: RunStatus[] = ['active', 'done', 'failed']
const waits = ['reply', 'handback', 'effect', null]

describe.each(testDatabases())('waits for reply on %s', (kind) => {
  let t: TestDeps
  beforeAll(async () => {
    t = await createTestDeps(kind)
  }, 120_000)
  afterAll(() => t?.close())

  it('the predicate and the SQL condition pick the same runs', async () => {
    const { db } = t.deps
    const { merchantId } = await seedMerchant(db)
    const { insertRun } = await seedRecoveryConversation(db, merchantId)
    for (const status of statuses) {
      for (const waiting of waits) {
        const id = await insertRun(`${status}-${waiting}`, new Date(0))
        await db
          .updateTable('runs')
          .set({ status, waiting_for: waiting })
          .where('merchant_id', '=', merchantId)
          .where('id', '=', id)
          .execute()
      }
    }
    const runs = await db.selectFrom('runs').selectAll().where('merchant_id', '=', merchantId).execute()
    expect(runs).toHaveLength(statuses.length * waits.length)
    const inMemory = runs.filter(waitsForReply).map((r) => r.correlation_key)
    expect(inMemory).toEqual(['active-reply'])

    const plain = await db
      .selectFrom('runs')
      .select('correlation_key')
      .where('merchant_id', '=', merchantId)
      .where(waitsForReplySql())
      .execute()
    const aliased = await db
      .selectFrom('runs as r')
      .select('r.correlation_key')
      .where('r.merchant_id', '=', merchantId)
      .where(waitsForReplySql('r'))
      .execute()
    expect(plain.map((r) => r.correlation_key)).toEqual(inMemory)
    expect(aliased.map((r) => r.correlation_key)).toEqual(inMemory)
  })
})
