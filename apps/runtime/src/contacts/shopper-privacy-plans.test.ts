// A shopper's privacy request (customers/redact, customers/data_request, GDPR) finds their contacts through
// indexes, never by reading all of the merchant's contacts: `lower(email)` by contacts_email_lower_idx, the phone's
// digits by contacts_phone_digits_idx, the WhatsApp identity's and the orders' contacts by the primary key, OR-ed as
// a BitmapOr (migration 202612090000), and the orders a request names by orders_external_id_idx (202612090005).
// The real function runs on a capturing handle and its statement is explained as a prepared statement's generic
// plan with sequential scans priced out (testing/generic-plans.ts): a plan that still reads contacts sequentially
// has no index it can use. The order lookup, which reads the replaced indexes too, is checked the same way (the
// address lookup of a store event in contact-repository.test.ts).
import type { Database } from '@parley/db'
import { createTestDatabase, type TestDatabase, testDatabases } from '@parley/db/testing'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lookupOrder } from '../effects/order-lookup.ts'
import { capturingDb, genericPlan } from '../testing/generic-plans.ts'
import { seedMerchant } from '../testing/test-deps.ts'
import { upsertContactByAddress } from './contact-repository.ts'
import { findShopperContactIds } from './shopper-privacy.ts'

const NOW = Date.parse('2026-12-02T12:00:00Z')

/** The plan's filters on contacts' email or phone: a condition there is checked row by row, not found by an index. */
const filters = (plan: string) =>
  plan.split('\n').filter((line) => /Filter:.*(lower\(email\)|regexp_replace\((COALESCE\()?phone)/.test(line))

/** The plan's lines that read the contacts table. */
const contactScans = (plan: string) => plan.split('\n').filter((line) => / on contacts\b/.test(line))

describe.each(testDatabases())('shopper-privacy lookup plans on %s', (kind) => {
  let t: TestDatabase
  let db: Kysely<Database>
  let merchantId: string
  let contactId: string

  beforeAll(async () => {
    t = await createTestDatabase(kind)
    db = t.db
    ;({ merchantId } = await seedMerchant(db))
    const other = await seedMerchant(db)
    // A shop's worth of contacts (and another shop's), most with an email, half with a phone in a store's format,
    // analysed: the planner prices the real choice, an index per branch or reading the merchant's contacts.
    for (const [merchant, n] of [
      [merchantId, 20_000],
      [other.merchantId, 5_000],
    ] as const) {
      await sql`insert into contacts (merchant_id, email, phone, created_at, updated_at)
        select ${merchant}::uuid,
          case when i % 10 <> 0 then 'Shopper' || i || '@Example.com' end,
          case when i % 2 = 0 then '+1 (555) ' || lpad(i::text, 7, '0') end,
          now(), now()
        from generate_series(1, ${n}::int) as i`.execute(db)
    }
    await sql`analyze contacts`.execute(db)
    contactId = (
      await upsertContactByAddress(db, merchantId, { email: 'o@example.com', phone: '+1 555 000 0002' }, NOW)
    ).id
  }, 120_000)
  afterAll(async () => {
    await t?.close()
  })

  async function planOf(run: (db: Kysely<Database>) => Promise<unknown>): Promise<string[]> {
    const { db: capturing, sent } = capturingDb(db)
    await run(capturing)
    return Promise.all(sent.map((q) => genericPlan(db, q)))
  }

  it('finds by email, phone digits, WhatsApp identity and order through index scans OR-ed, no scan of contacts', async () => {
    const stored = await upsertContactByAddress(
      db,
      merchantId,
      { email: 'Plan@Example.com', phone: '+1 (555) 010-9999' },
      NOW,
    )
    expect(
      await findShopperContactIds(db, merchantId, { email: ' PLAN@example.com', phone: '15550109999' }),
    ).toEqual([stored.id])

    const [plan, ...rest] = await planOf((capturing) =>
      findShopperContactIds(capturing, merchantId, {
        email: 'someone@example.com',
        phone: '+44 7700 900123',
        orderIds: ['9001', '9002'],
      }),
    )
    expect(rest).toEqual([])
    const scans = contactScans(plan ?? '')
    expect(scans.length).toBeGreaterThan(0)
    for (const line of scans) expect(line).toMatch(/Bitmap Heap Scan|Index (Only )?Scan/)
    expect(plan).not.toMatch(/Seq Scan on contacts/)
    expect(plan).toContain('BitmapOr')
    expect(filters(plan ?? '')).toEqual([])
    expect(plan).toContain('contacts_email_lower_idx')
    expect(plan).toContain('contacts_phone_digits_idx')
    expect(plan).toContain('contacts_pkey')
    // The order ids the request names: found by the store's id (migration 202612090005), not by reading the
    // merchant's orders.
    expect(plan).toContain('orders_external_id_idx')
    expect(plan).not.toMatch(/Seq Scan on orders/)
  })

  it('reaches the same indexes from each branch alone', async () => {
    const refs = [
      { ref: { email: 'a@example.com' }, index: 'contacts_email_lower_idx' },
      { ref: { phone: '+34 600 111 222' }, index: 'contacts_phone_digits_idx' },
      { ref: { orderIds: ['1'] }, index: 'contacts_pkey' },
    ]
    for (const { ref, index } of refs) {
      const [plan] = await planOf((capturing) => findShopperContactIds(capturing, merchantId, ref))
      expect(plan).toContain(index)
      expect(plan).not.toMatch(/Seq Scan on contacts/)
      expect(filters(plan ?? '')).toEqual([])
    }
  })

  // The other reader of the replaced indexes, a store event's address lookup, is checked in contact-repository.test.ts.
  it("keeps the order lookup on the indexes: the other contacts with the asking shopper's email or phone", async () => {
    const [order] = await planOf((c) => lookupOrder(c, merchantId, contactId, undefined, NOW))
    // The other contacts with the asker's email or phone: a BitmapOr too (on main, lower(email) was a filter).
    expect(order).not.toMatch(/Seq Scan on contacts/)
    expect(order).toContain('BitmapOr')
    expect(order).toContain('contacts_email_lower_idx')
    expect(order).toContain('contacts_phone_digits_idx')
  })
})
