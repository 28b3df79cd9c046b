// A shopper named by address (a store event without a channel identity): found by email, else by phone, else
// created; each lookup reaches an index (as a prepared statement's generic plan), not all of the merchant's contacts.
import type { Database } from '@parley/db'
import { createTestDatabase, type TestDatabase, testDatabases } from '@parley/db/testing'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { capturingDb, genericPlan } from '../testing/generic-plans.ts'
import { seedMerchant } from '../testing/test-deps.ts'
import { upsertContactByAddress } from './contact-repository.ts'

const NOW = Date.parse('2026-12-01T12:00:00Z')

describe.each(testDatabases())('contacts by address on %s', (kind) => {
  let t: TestDatabase
  let db: Kysely<Database>

  beforeAll(async () => {
    t = await createTestDatabase(kind)
    db = t.db
  }, 60_000)
  afterAll(async () => {
    await t?.close()
  })

  it('finds the contact by email, then by phone, and creates one for an address never seen', async () => {
    const { merchantId } = await seedMerchant(db)
    const other = await seedMerchant(db)
    const byEmail = await upsertContactByAddress(db, merchantId, { email: 'Ana@Example.com' }, NOW)
    const byPhone = await upsertContactByAddress(db, merchantId, { phone: '+34600111222' }, NOW)
    expect(byPhone.id).not.toBe(byEmail.id)

    expect((await upsertContactByAddress(db, merchantId, { email: 'ana@example.com' }, NOW)).id).toBe(
      byEmail.id,
    )
    const again = await upsertContactByAddress(db, merchantId, { phone: '+34600111222', name: 'Bo' }, NOW)
    expect(again.id).toBe(byPhone.id)
    expect(again.name).toBe('Bo')
    // An unknown email with a known phone is the phone's contact, which learns the email.
    const both = await upsertContactByAddress(
      db,
      merchantId,
      { email: 'bo@example.com', phone: '+34600111222' },
      NOW,
    )
    expect(both.id).toBe(byPhone.id)
    expect(both.email).toBe('bo@example.com')
    // Another merchant's shopper with the same phone is someone else's contact.
    const elsewhere = await upsertContactByAddress(db, other.merchantId, { phone: '+34600111222' }, NOW)
    expect(elsewhere.id).not.toBe(byPhone.id)
    expect(elsewhere.merchant_id).toBe(other.merchantId)
  })

  it('looks the address up through an index, the phone as much as the email', async () => {
    const { merchantId } = await seedMerchant(db)
    const { db: capturing, sent } = capturingDb(db)
    await upsertContactByAddress(
      capturing,
      merchantId,
      { email: 'new@example.com', phone: '+4915100000' },
      NOW,
    )
    const lookups = sent.filter((q) => /^select "id" from "contacts"/.test(q.sql))
    expect(lookups).toHaveLength(2)
    const [email, phone] = await Promise.all(lookups.map((q) => genericPlan(db, q)))
    expect(email).toContain('contacts_email_lower_idx')
    expect(phone).toContain('contacts_phone_digits_idx')
  })
})
