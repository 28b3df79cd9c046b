// Receipts are written once per inbound message, webhook and store event and read by their key: migration
// 202612050040 dropped `receipts_age_idx` (merchant_id, received_at), an entry per receipt; the retention purge
// finds old ones through a BRIN index instead (202612082300). The readers that filter by merchant alone (the shop
// erase) reach the key's first column, as a prepared statement's generic plan.
import type { Database } from '@parley/db'
import { createTestDatabase, type TestDatabase, testDatabases } from '@parley/db/testing'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deleteShopData } from '../contacts/shop-redaction.ts'
import { capturingDb, genericPlan } from '../testing/generic-plans.ts'
import { seedMerchant } from '../testing/test-deps.ts'
import { claimReceipt, claimReceipts } from './receipts.ts'

const NOW = Date.parse('2026-12-01T12:00:00Z')

describe.each(testDatabases())('receipts by their key on %s', (kind) => {
  let t: TestDatabase
  let db: Kysely<Database>

  beforeAll(async () => {
    t = await createTestDatabase(kind)
    db = t.db
  }, 60_000)
  afterAll(async () => {
    await t?.close()
  })

  it('has no b-tree index but its key', async () => {
    const { rows } = await sql<{ indexname: string }>`
      select indexname from pg_indexes where schemaname = 'public' and tablename = 'receipts'
        and indexdef not like '%USING brin%'`.execute(db)
    expect(rows.map((r) => r.indexname)).toEqual(['receipts_pkey'])
  })

  it('dedupes by the key, per merchant and source', async () => {
    const { merchantId } = await seedMerchant(db)
    const other = await seedMerchant(db)
    expect(await claimReceipt(db, merchantId, 'webchat', 'm1', NOW)).toBe(true)
    expect(await claimReceipt(db, merchantId, 'webchat', 'm1', NOW)).toBe(false)
    expect(await claimReceipt(db, merchantId, 'telegram', 'm1', NOW)).toBe(true)
    expect(await claimReceipt(db, other.merchantId, 'webchat', 'm1', NOW)).toBe(true)
    expect(await claimReceipts(db, merchantId, 'shopify', ['w1', 'k1'], NOW)).toBe(true)
    expect(await claimReceipts(db, merchantId, 'shopify', ['w2', 'k1'], NOW)).toBe(false)
  })

  it("erases a shop's receipts by the key's first column, leaving other merchants'", async () => {
    const { merchantId } = await seedMerchant(db)
    const other = await seedMerchant(db)
    await claimReceipt(db, merchantId, 'webchat', 'e1', NOW)
    await claimReceipt(db, other.merchantId, 'webchat', 'e1', NOW)
    const { db: capturing, sent } = capturingDb(db)
    await deleteShopData(capturing, merchantId, '00000000-0000-4000-8000-000000000000')
    const erase = sent.find((q) => /^delete from "receipts"/.test(q.sql))
    expect(erase).toBeDefined()
    const plan = await genericPlan(db, erase as NonNullable<typeof erase>)
    expect(plan).toMatch(/Index (Only )?Scan (using|on) receipts_pkey/)
    expect(plan).toContain('Index Cond: (merchant_id = $1)')
    const left = await db
      .selectFrom('receipts')
      .select('merchant_id')
      .where('external_id', '=', 'e1')
      .execute()
    expect(left.map((r) => r.merchant_id)).toEqual([other.merchantId])
  })
})
