// messages.seq: the order a transaction wrote its messages in, which `created_at` cannot give (one step's
// messages share a timestamp). Same column type on both drivers.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Merchant } from './schema/index.ts'
import { createTestDatabase, insertMerchant, type TestDatabase, testDatabases } from './testing.ts'

describe.each(testDatabases())('messages.seq on %s', (kind) => {
  let t: TestDatabase
  let merchant: Merchant
  let conversation: { id: string; contact_id: string }
  beforeAll(async () => {
    t = await createTestDatabase(kind)
    merchant = await insertMerchant(t.db)
    const channel = await t.db
      .insertInto('channels')
      .values({ merchant_id: merchant.id, kind: 'webchat', name: 'Web chat', config: {} })
      .returning('id')
      .executeTakeFirstOrThrow()
    const contact = await t.db
      .insertInto('contacts')
      .values({ merchant_id: merchant.id, name: 'Ada' })
      .returning('id')
      .executeTakeFirstOrThrow()
    conversation = await t.db
      .insertInto('conversations')
      .values({ merchant_id: merchant.id, contact_id: contact.id, channel_id: channel.id })
      .returning(['id', 'contact_id'])
      .executeTakeFirstOrThrow()
  })
  afterAll(() => t?.close())

  const message = (text: string, createdAt: Date) => ({
    merchant_id: merchant.id,
    conversation_id: conversation.id,
    contact_id: conversation.contact_id,
    direction: 'out' as const,
    author: 'bot' as const,
    body: { text },
    status: 'queued' as const,
    created_at: createdAt,
    updated_at: createdAt,
  })

  it('reads back the messages of one transaction in the order they were written, whatever their ids', async () => {
    const at = new Date('2026-03-01T10:00:00Z')
    const texts = ['one', 'two', 'three', 'four', 'five']
    const ids = await t.db.transaction().execute(async (trx) => {
      const written: string[] = []
      for (const text of texts) {
        const row = await trx
          .insertInto('messages')
          .values(message(text, at))
          .returning('id')
          .executeTakeFirstOrThrow()
        written.push(row.id)
      }
      return written
    })
    // Updating a row moves it in the heap (as the outbox relay marking a send 'sent' does); seq stays.
    await t.db
      .updateTable('messages')
      .set({ status: 'sent' })
      .where('merchant_id', '=', merchant.id)
      .where('id', 'in', ids.slice(0, 2))
      .execute()
    const rows = await t.db
      .selectFrom('messages')
      .select(['id', 'body', 'seq'])
      .where('merchant_id', '=', merchant.id)
      .where('conversation_id', '=', conversation.id)
      .where('created_at', '=', at)
      .orderBy('created_at')
      .orderBy('seq')
      .execute()
    expect(rows.map((r) => r.body.text)).toEqual(texts)
    expect(rows.map((r) => r.id)).toEqual(ids)
  })

  it('reads seq as a number on both drivers, increasing, and never accepts a written value', async () => {
    const at = new Date('2026-03-01T11:00:00Z')
    const rows = await t.db
      .insertInto('messages')
      .values([message('a', at), message('b', at)])
      .returning('seq')
      .execute()
    for (const row of rows) expect(typeof row.seq).toBe('number')
    expect(rows[1]!.seq).toBeGreaterThan(rows[0]!.seq)
    await expect(
      sql`insert into messages (merchant_id, conversation_id, contact_id, direction, author, body, status, seq)
        values (${merchant.id}, ${conversation.id}, ${conversation.contact_id}, 'out', 'bot', '{}', 'queued', 1)`.execute(
        t.db,
      ),
    ).rejects.toThrow(/seq/)
  })
})
