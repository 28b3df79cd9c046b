// uuid_v7() (migration 202612040000): the time-ordered default of the tables the engine writes, the same on both
// drivers.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Merchant } from './schema/index.ts'
import { createTestDatabase, insertMerchant, type TestDatabase, testDatabases } from './testing.ts'

/** The unix milliseconds in a UUIDv7's first 48 bits. */
const millisOf = (id: string) => Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)

describe.each(testDatabases())('uuid_v7() on %s', (kind) => {
  let t: TestDatabase
  let merchant: Merchant
  beforeAll(async () => {
    t = await createTestDatabase(kind)
    merchant = await insertMerchant(t.db)
  })
  afterAll(() => t?.close())

  it('is a version 7 uuid with the RFC 9562 variant, stamped with the clock in milliseconds', async () => {
    const { rows } = await sql<{ id: string; before: string; after: string }>`
      select floor(extract(epoch from clock_timestamp()) * 1000)::bigint::text as before, uuid_v7()::text as id,
        floor(extract(epoch from clock_timestamp()) * 1000)::bigint::text as after
      from generate_series(1, 50)`.execute(t.db)
    expect(rows).toHaveLength(50)
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(millisOf(row.id)).toBeGreaterThanOrEqual(Number(row.before))
      expect(millisOf(row.id)).toBeLessThanOrEqual(Number(row.after))
    }
  })

  it('orders by time across milliseconds, as Postgres compares uuids', async () => {
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      const { rows } = await sql<{ id: string }>`select uuid_v7()::text as id`.execute(t.db)
      ids.push(rows[0]!.id)
      // The next one in a later millisecond (polled, not slept: a slow machine only waits longer).
      for (;;) {
        const { rows: later } = await sql<{ id: string }>`select uuid_v7()::text as id`.execute(t.db)
        if (millisOf(later[0]!.id) > millisOf(ids.at(-1)!)) break
      }
    }
    const { rows } = await sql<{ id: string }>`
      select id::text from unnest(${ids}::uuid[]) as id order by id desc`.execute(t.db)
    expect(rows.map((r) => r.id)).toEqual([...ids].reverse())
  })

  it('is unique in a burst within one statement', async () => {
    const { rows } = await sql<{ n: string; distinct: string }>`
      select count(*)::text as n, count(distinct id)::text as distinct
      from (select uuid_v7() as id from generate_series(1, 100000)) ids`.execute(t.db)
    expect(rows[0]).toEqual({ n: '100000', distinct: '100000' })
  })

  it('is the id default of the tables the engine writes; the rest keep random ids', async () => {
    const { rows } = await sql<{ table_name: string; column_default: string }>`
      select table_name, column_default from information_schema.columns
      where table_schema = current_schema() and column_name = 'id' and column_default is not null
        and data_type = 'uuid'
      order by table_name`.execute(t.db)
    const timeOrdered = rows.filter((r) => r.column_default === 'uuid_v7()').map((r) => r.table_name)
    expect(timeOrdered).toEqual([
      'cart_episodes',
      'carts',
      'contact_identities',
      'contacts',
      'conversations',
      'messages',
      'orders',
      'outbox',
      'runs',
    ])
    for (const table of ['sessions', 'api_keys', 'invites', 'channels', 'webchat_photos', 'merchants'])
      expect(rows.find((r) => r.table_name === table)?.column_default).toBe('gen_random_uuid()')

    const contact = await t.db
      .insertInto('contacts')
      .values({ merchant_id: merchant.id, name: 'Ada' })
      .returning('id')
      .executeTakeFirstOrThrow()
    expect(contact.id[14]).toBe('7')
    expect(Math.abs(millisOf(contact.id) - Date.now())).toBeLessThan(24 * 3_600_000)
  })
})
