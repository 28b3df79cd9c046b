import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { lookupOrder } from './order-lookup.ts'

describe.each(testDatabases())('order lookup on %s: only the shopper’s own orders', (kind) => {
  let t: TestDeps
  let merchantId = ''
  const contacts: Record<'maya' | 'mayaOnWhatsApp' | 'mayaByEmail' | 'other', string> = {
    maya: '',
    mayaOnWhatsApp: '',
    mayaByEmail: '',
    other: '',
  }

  beforeAll(async () => {
    t = await createTestDeps(kind)
    merchantId = (await seedMerchant(t.deps.db)).merchantId
    const contact = async (values: { name: string; email?: string; phone?: string }) =>
      (
        await t.deps.db
          .insertInto('contacts')
          .values({ merchant_id: merchantId, ...values })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    contacts.maya = await contact({ name: 'Maya', email: 'maya@example.com', phone: '+4917000001' })
    // The same person, known twice: on WhatsApp by phone, and by email (another case) from the store.
    contacts.mayaOnWhatsApp = await contact({ name: 'Maya (WhatsApp)', phone: '+4917000001' })
    contacts.mayaByEmail = await contact({ name: 'M.', email: 'MAYA@example.com' })
    contacts.other = await contact({ name: 'Someone else', email: 'else@example.com' })
    const order = (number: string, contactId: string | null, hoursAgo: number) => ({
      merchant_id: merchantId,
      number,
      contact_id: contactId,
      total: '59.00',
      currency: 'USD',
      status: 'paid',
      created_at: new Date(Date.now() - hoursAgo * 3_600_000),
    })
    await t.deps.db
      .insertInto('orders')
      .values([
        order('#1004', contacts.maya, 5),
        order('#1005', contacts.mayaByEmail, 2),
        order('#1006', contacts.other, 1),
        order('#1007', null, 1),
      ])
      .execute()
  })

  afterAll(() => t?.close())

  const look = (contactId: string, number?: string) =>
    lookupOrder(t.deps.db, merchantId, contactId, number, Date.now()).then((o) => o?.name ?? null)

  it('finds the shopper’s order by number, however it is written, named as Shopify names it', async () => {
    expect(await look(contacts.maya, '1004')).toBe('#1004')
    expect(await look(contacts.maya, '#1004')).toBe('#1004')
    expect(await look(contacts.maya, 'order 1004')).toBe('#1004')
  })

  it('finds it for the same shopper known by the same phone or email', async () => {
    expect(await look(contacts.mayaOnWhatsApp, '1004')).toBe('#1004')
    expect(await look(contacts.maya, '1005')).toBe('#1005')
    expect(await look(contacts.mayaByEmail, '1004')).toBe('#1004')
  })

  it('never reveals another shopper’s order or a guest order matched to no one', async () => {
    expect(await look(contacts.maya, '1006')).toBeNull()
    expect(await look(contacts.maya, '1007')).toBeNull()
    expect(await look(contacts.other, '1004')).toBeNull()
  })

  it('without a number, answers the shopper’s latest order across their contacts', async () => {
    expect(await look(contacts.maya)).toBe('#1005')
    expect(await look(contacts.other)).toBe('#1006')
  })
})
