// Receipt retention: receipts older than RECEIPT_RETENTION_DAYS are deleted a chunk at a time, found by the BRIN
// index on `received_at`, younger ones (and every merchant's young ones) kept; the background loops purge at start.
import type { Database } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import { startBackgroundLoops } from '../engine/loops.ts'
import { claimReceipt } from '../engine/receipts.ts'
import { capturingDb, genericPlan } from '../testing/generic-plans.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { purgeReceipts, receiptCutoff } from './receipt-retention.ts'

const NOW = Date.parse('2026-12-01T12:00:00Z')
const DAY = 86_400_000

async function externalIds(db: Kysely<Database>, merchantId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('receipts')
    .select('external_id')
    .where('merchant_id', '=', merchantId)
    .orderBy('external_id')
    .execute()
  return rows.map((r) => r.external_id)
}

describe.each(testDatabases())('receipt retention on %s', (kind) => {
  let t: TestDeps
  let db: Kysely<Database>

  beforeAll(async () => {
    t = await createTestDeps(kind, {
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RECEIPT_RETENTION_DAYS: '30' }),
    })
    db = t.deps.db
  }, 120_000)
  afterAll(async () => {
    await t?.close()
  })

  it('puts the cutoff the retention period before now', () => {
    expect(receiptCutoff(NOW, 30).toISOString()).toBe('2026-11-01T12:00:00.000Z')
  })

  it('deletes receipts received before the cutoff a chunk at a time, of every merchant, and keeps the rest', async () => {
    const a = await seedMerchant(db)
    const b = await seedMerchant(db)
    const cutoff = receiptCutoff(NOW, 30)
    for (const [id, at] of [
      ['a-old-1', NOW - 90 * DAY],
      ['a-old-2', NOW - 31 * DAY],
      ['a-old-3', cutoff.getTime() - 1],
      ['a-edge', cutoff.getTime()],
      ['a-young', NOW - DAY],
    ] as const) {
      await claimReceipt(db, a.merchantId, 'webchat', id, at)
    }
    await claimReceipt(db, b.merchantId, 'shopify', 'b-old', NOW - 40 * DAY)
    await claimReceipt(db, b.merchantId, 'shopify', 'b-young', NOW)

    expect(await purgeReceipts(db, cutoff, 3)).toBe(3)
    expect(await purgeReceipts(db, cutoff, 3)).toBe(1)
    expect(await purgeReceipts(db, cutoff, 3)).toBe(0)
    expect(await externalIds(db, a.merchantId)).toEqual(['a-edge', 'a-young'])
    expect(await externalIds(db, b.merchantId)).toEqual(['b-young'])
    // A purged event id is new again: a redelivery after the retention period steps once more.
    expect(await claimReceipt(db, b.merchantId, 'shopify', 'b-old', NOW)).toBe(true)
  })

  it('finds expired receipts through the BRIN index on their age, not by reading the whole table', async () => {
    const { db: capturing, sent } = capturingDb(db)
    await purgeReceipts(capturing, receiptCutoff(NOW, 30))
    const purge = sent.find((q) => /^delete from "receipts"/.test(q.sql))
    expect(purge).toBeDefined()
    const plan = await genericPlan(db, purge as NonNullable<typeof purge>)
    expect(plan).toContain('Bitmap Index Scan on receipts_received_brin')
    expect(plan).toContain('Tid Scan on receipts')
  })

  it('is purged by the background loops as they start, with the configured retention', async () => {
    const { merchantId } = await seedMerchant(db)
    const now = t.clock.now()
    await claimReceipt(db, merchantId, 'webchat', 'expired', now - 31 * DAY)
    await claimReceipt(db, merchantId, 'webchat', 'kept', now - 29 * DAY)
    const loops = startBackgroundLoops(t.deps)
    try {
      await expect.poll(() => externalIds(db, merchantId), { timeout: 30_000 }).toEqual(['kept'])
    } finally {
      await loops.stop()
    }
    const { rows } = await sql<{ indexname: string }>`
      select indexname from pg_indexes where tablename = 'receipts' order by indexname`.execute(db)
    expect(rows.map((r) => r.indexname)).toEqual(['receipts_pkey', 'receipts_received_brin'])
  })
})
