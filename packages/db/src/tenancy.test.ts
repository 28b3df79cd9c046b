// Tenant scoping at the database level: unique keys are per merchant and no row can point at another
// merchant's row (every foreign key is composite with merchant_id).
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database, Merchant, NewMessage } from './schema/index.ts'
import { createTestDatabase, insertMerchant, type TestDatabase, testDatabases } from './testing.ts'

async function insertChannelAndContact(db: Kysely<Database>, merchant: Merchant) {
  const channel = await db
    .insertInto('channels')
    .values({ merchant_id: merchant.id, kind: 'webchat', name: 'Web chat', config: {} })
    .returningAll()
    .executeTakeFirstOrThrow()
  const contact = await db
    .insertInto('contacts')
    .values({ merchant_id: merchant.id, name: 'Ada' })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { channel, contact }
}

describe.each(testDatabases())('tenant scoping on %s', (kind) => {
  let t: TestDatabase
  let a: Merchant
  let b: Merchant
  beforeAll(async () => {
    t = await createTestDatabase(kind)
    a = await insertMerchant(t.db, { name: 'A' })
    b = await insertMerchant(t.db, { name: 'B' })
  })
  afterAll(() => t?.close())

  it('allows the same cart token, order number and email in two merchants, not twice in one', async () => {
    const cart = (merchant: Merchant) => ({
      merchant_id: merchant.id,
      token: 'tok-1',
      value: 10,
      currency: 'EUR',
      last_activity_at: new Date(),
    })
    await t.db.insertInto('carts').values(cart(a)).execute()
    await t.db.insertInto('carts').values(cart(b)).execute()
    await expect(t.db.insertInto('carts').values(cart(a)).execute()).rejects.toThrow(/carts_token_key/)

    const order = (merchant: Merchant) => ({
      merchant_id: merchant.id,
      number: '#1001',
      total: 10,
      currency: 'EUR',
      status: 'created',
    })
    await t.db
      .insertInto('orders')
      .values([order(a), order(b)])
      .execute()
    await expect(t.db.insertInto('orders').values(order(b)).execute()).rejects.toThrow(/orders_number_key/)

    const user = (merchant: Merchant) => ({
      merchant_id: merchant.id,
      email: 'staff@example.com',
      password_hash: 'x',
      role: 'owner' as const,
    })
    await t.db
      .insertInto('users')
      .values([user(a), user(b)])
      .execute()
    await expect(t.db.insertInto('users').values(user(a)).execute()).rejects.toThrow(/users_email_key/)
  })

  it('dedupes receipts per merchant and source', async () => {
    const receipt = (merchant: Merchant) => ({
      merchant_id: merchant.id,
      source: 'whatsapp',
      external_id: 'wamid.1',
    })
    const first = await t.db
      .insertInto('receipts')
      .values(receipt(a))
      .onConflict((oc) => oc.doNothing())
      .returning('external_id')
      .execute()
    const duplicate = await t.db
      .insertInto('receipts')
      .values(receipt(a))
      .onConflict((oc) => oc.doNothing())
      .returning('external_id')
      .execute()
    const otherMerchant = await t.db
      .insertInto('receipts')
      .values(receipt(b))
      .returning('external_id')
      .execute()
    expect([first.length, duplicate.length, otherMerchant.length]).toEqual([1, 0, 1])
  })

  it('keeps contact identities unique per merchant, channel and external id', async () => {
    const { channel, contact } = await insertChannelAndContact(t.db, a)
    const identity = {
      merchant_id: a.id,
      contact_id: contact.id,
      channel_id: channel.id,
      external_id: 'visitor-1',
    }
    await t.db.insertInto('contact_identities').values(identity).execute()
    await expect(t.db.insertInto('contact_identities').values(identity).execute()).rejects.toThrow(
      /contact_identities_external_key/,
    )
  })

  it("refuses a row that points at another merchant's row", async () => {
    const { channel, contact } = await insertChannelAndContact(t.db, a)
    await expect(
      t.db
        .insertInto('conversations')
        .values({ merchant_id: b.id, contact_id: contact.id, channel_id: channel.id })
        .execute(),
    ).rejects.toThrow(/conversations_contact_fkey|conversations_channel_fkey/)
  })

  it("refuses a message whose contact is not its conversation's, and deletes it with the contact", async () => {
    const { channel, contact } = await insertChannelAndContact(t.db, a)
    const other = await insertChannelAndContact(t.db, a)
    const conversation = await t.db
      .insertInto('conversations')
      .values({ merchant_id: a.id, contact_id: contact.id, channel_id: channel.id })
      .returningAll()
      .executeTakeFirstOrThrow()
    const message = (contactId: string, conversationId: string): NewMessage => ({
      merchant_id: a.id,
      conversation_id: conversationId,
      contact_id: contactId,
      direction: 'in',
      author: 'shopper',
      body: { text: 'hi' },
      status: 'delivered',
    })
    // One key (migration 202612010010) checks both: the conversation exists and the contact is its own.
    await expect(
      t.db.insertInto('messages').values(message(other.contact.id, conversation.id)).execute(),
    ).rejects.toThrow(/messages_conversation_contact_fkey/)
    await expect(
      t.db.insertInto('messages').values(message(contact.id, crypto.randomUUID())).execute(),
    ).rejects.toThrow(/messages_conversation_contact_fkey/)
    await t.db.insertInto('messages').values(message(contact.id, conversation.id)).execute()
    await t.db.deleteFrom('contacts').where('id', '=', contact.id).execute()
    const left = await t.db.selectFrom('messages').select('id').where('contact_id', '=', contact.id).execute()
    expect(left).toEqual([])
  })

  it('refuses to change a published flow version', async () => {
    const flow = await t.db
      .insertInto('flows')
      .values({ merchant_id: a.id, name: 'Cart recovery', document: { version: 1 } })
      .returningAll()
      .executeTakeFirstOrThrow()
    const version = await t.db
      .insertInto('flow_versions')
      .values({
        merchant_id: a.id,
        flow_id: flow.id,
        version: 1,
        document: { version: 1 },
        trigger_kinds: ['cart.abandoned'],
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    expect(version.trigger_kinds).toEqual(['cart.abandoned'])
    await expect(
      t.db
        .updateTable('flow_versions')
        .set({ document: { version: 2 } })
        .where('merchant_id', '=', a.id)
        .where('id', '=', version.id)
        .execute(),
    ).rejects.toThrow(/immutable/)
    await t.db
      .updateTable('flows')
      .set({ published_version_id: version.id })
      .where('merchant_id', '=', a.id)
      .where('id', '=', flow.id)
      .execute()
  })

  it('allows one active run per flow and correlation key', async () => {
    const { contact } = await insertChannelAndContact(t.db, a)
    const flow = await t.db
      .insertInto('flows')
      .values({ merchant_id: a.id, name: 'f', document: {} })
      .returningAll()
      .executeTakeFirstOrThrow()
    const version = await t.db
      .insertInto('flow_versions')
      .values({ merchant_id: a.id, flow_id: flow.id, version: 1, document: {} })
      .returningAll()
      .executeTakeFirstOrThrow()
    const run = {
      merchant_id: a.id,
      flow_id: flow.id,
      flow_version_id: version.id,
      contact_id: contact.id,
      trigger_kind: 'cart.abandoned',
      correlation_key: 'cart-9',
      snapshot: { value: 'start' },
    }
    const first = await t.db.insertInto('runs').values(run).returningAll().executeTakeFirstOrThrow()
    expect([first.status, first.revision]).toEqual(['active', 0])
    await expect(t.db.insertInto('runs').values(run).execute()).rejects.toThrow(/runs_correlation_active_key/)
    await t.db
      .updateTable('runs')
      .set({ status: 'done', outcome: 'recovered', ended_at: new Date() })
      .where('merchant_id', '=', a.id)
      .where('id', '=', first.id)
      .execute()
    await t.db.insertInto('runs').values(run).execute()
  })

  it('deletes everything of a merchant with it, and nothing of another', async () => {
    const doomed = await insertMerchant(t.db, { name: 'doomed' })
    await insertChannelAndContact(t.db, doomed)
    // Receipts go by a trigger on merchants rather than a foreign key (migration 202612010005).
    const receipt = (merchantId: string) => ({
      merchant_id: merchantId,
      source: 'test',
      external_id: 'same-id',
    })
    await t.db
      .insertInto('receipts')
      .values([receipt(doomed.id), receipt(a.id)])
      .execute()
    const survivorsBefore = await t.db
      .selectFrom('contacts')
      .where('merchant_id', '=', a.id)
      .select('id')
      .execute()
    await t.db.deleteFrom('merchants').where('id', '=', doomed.id).execute()
    const left = await t.db.selectFrom('contacts').where('merchant_id', '=', doomed.id).select('id').execute()
    const survivorsAfter = await t.db
      .selectFrom('contacts')
      .where('merchant_id', '=', a.id)
      .select('id')
      .execute()
    expect(left).toEqual([])
    expect(survivorsAfter).toEqual(survivorsBefore)
    const receipts = await t.db
      .selectFrom('receipts')
      .select('merchant_id')
      .where('merchant_id', 'in', [doomed.id, a.id])
      .where('source', '=', 'test')
      .execute()
    expect(receipts).toEqual([{ merchant_id: a.id }])
  })
})
