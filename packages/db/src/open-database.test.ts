import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonb } from './json.ts'
import { openDatabase } from './open-database.ts'
import { createTestDatabase, insertMerchant, type TestDatabase, testDatabases } from './testing.ts'

describe.each(testDatabases())('openDatabase on %s', (kind) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase(kind)
  })
  afterAll(() => t?.close())

  it('reports its kind', () => {
    expect(t.kind).toBe(kind)
  })

  it('does not persist a rolled-back transaction', async () => {
    const failure = new Error('roll back')
    await expect(
      t.db.transaction().execute(async (trx) => {
        await insertMerchant(trx, { name: 'rolled back' })
        const inside = await trx
          .selectFrom('merchants')
          .where('name', '=', 'rolled back')
          .selectAll()
          .execute()
        expect(inside).toHaveLength(1)
        throw failure
      }),
    ).rejects.toBe(failure)
    const after = await t.db.selectFrom('merchants').where('name', '=', 'rolled back').selectAll().execute()
    expect(after).toEqual([])
  })

  it('does not persist a controlled transaction that is rolled back', async () => {
    const trx = await t.db.startTransaction().execute()
    await insertMerchant(trx, { name: 'controlled rollback' })
    await trx.rollback().execute()
    const after = await t.db
      .selectFrom('merchants')
      .where('name', '=', 'controlled rollback')
      .selectAll()
      .execute()
    expect(after).toEqual([])
  })

  it('persists a committed transaction', async () => {
    await t.db.transaction().execute((trx) => insertMerchant(trx, { name: 'committed' }))
    const after = await t.db.selectFrom('merchants').where('name', '=', 'committed').selectAll().execute()
    expect(after).toHaveLength(1)
  })

  it('rolls back a savepoint without losing the outer transaction', async () => {
    const trx = await t.db.startTransaction().execute()
    await insertMerchant(trx, { name: 'outer' })
    const sp = await trx.savepoint('inner').execute()
    await insertMerchant(sp, { name: 'inner' })
    await sp.rollbackToSavepoint('inner').execute()
    await trx.commit().execute()
    const names = await t.db
      .selectFrom('merchants')
      .where('name', 'in', ['outer', 'inner'])
      .select('name')
      .execute()
    expect(names).toEqual([{ name: 'outer' }])
  })

  it('keeps concurrent transactions apart (one rolls back, the other commits)', async () => {
    const slow = (name: string, fail: boolean) =>
      t.db.transaction().execute(async (trx) => {
        await insertMerchant(trx, { name })
        await new Promise((resolve) => setTimeout(resolve, 20))
        if (fail) throw new Error(`${name} fails`)
      })
    const outside = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      await insertMerchant(t.db, { name: 'concurrent-outside' })
    })()
    const results = await Promise.allSettled([
      slow('concurrent-a', true),
      slow('concurrent-b', false),
      outside,
    ])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled'])
    const names = await t.db
      .selectFrom('merchants')
      .where('name', 'like', 'concurrent-%')
      .orderBy('name')
      .select('name')
      .execute()
    expect(names.map((n) => n.name)).toEqual(['concurrent-b', 'concurrent-outside'])
  })

  it('reads timestamptz as the same Date in any session time zone, to the millisecond', async () => {
    const read = (zone: string) =>
      t.db.transaction().execute(async (trx) => {
        await sql`select set_config('TimeZone', ${zone}, true)`.execute(trx)
        const { rows } = await sql<Record<string, Date>>`select
          '2026-11-30 18:33:22+00'::timestamptz as whole,
          '2026-11-30 18:33:22.1+00'::timestamptz as tenth,
          '2026-11-30 18:33:22.123+00'::timestamptz as milli,
          '2026-11-30 18:33:22.123999+00'::timestamptz as micro,
          '1999-12-31 23:59:59.5-08'::timestamptz as offset`.execute(trx)
        return Object.fromEntries(
          Object.entries(rows[0] as Record<string, Date>).map(([k, v]) => [k, v.toISOString()]),
        )
      })
    const expected = {
      whole: '2026-11-30T18:33:22.000Z',
      tenth: '2026-11-30T18:33:22.100Z',
      milli: '2026-11-30T18:33:22.123Z',
      micro: '2026-11-30T18:33:22.123Z',
      offset: '2000-01-01T07:59:59.500Z',
    }
    expect(await read('UTC')).toEqual(expected)
    expect(await read('Asia/Kolkata')).toEqual(expected)
    expect(await read('America/St_Johns')).toEqual(expected)
  })

  it('reads timestamptz at the edges of the fast path: every fraction length, years below 100, the last year', async () => {
    const { rows } = await sql<Record<string, Date>>`select
      '2026-02-28 23:59:59.12+00'::timestamptz as hundredths,
      '2026-02-28 23:59:59.1234+00'::timestamptz as four,
      '2026-02-28 23:59:59.12345+00'::timestamptz as five,
      '2024-02-29 00:00:00.000001+00'::timestamptz as leap,
      '0100-01-01 00:00:00+00'::timestamptz as year_100,
      '9999-12-31 23:59:59.999999+00'::timestamptz as last`.execute(t.db)
    const iso = Object.fromEntries(
      Object.entries(rows[0] as Record<string, Date>).map(([k, v]) => [k, v.toISOString()]),
    )
    const expected = {
      hundredths: '2026-02-28T23:59:59.120Z',
      four: '2026-02-28T23:59:59.123Z',
      five: '2026-02-28T23:59:59.123Z',
      leap: '2024-02-29T00:00:00.000Z',
      year_100: '0100-01-01T00:00:00.000Z',
      last: '9999-12-31T23:59:59.999Z',
    }
    expect(iso).toEqual(expected)
    // Our parser is pg's (PGlite's own reads year 99 as 1999): a year below 100 is not `Date.UTC`'s 19xx.
    if (kind === 'postgres') {
      const { rows: early } = await sql<{
        at: Date
      }>`select '0099-06-15 12:00:00.5+00'::timestamptz as at`.execute(t.db)
      expect(early[0]?.at.toISOString()).toBe('0099-06-15T12:00:00.500Z')
    }
  })

  it('reads defaults, numerics, counts, dates, arrays and jsonb the same way', async () => {
    const merchant = await insertMerchant(t.db, { monthly_template_budget: '12.5' })
    expect(merchant.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(merchant.cart_abandon_after_minutes).toBe(30)
    expect(merchant.opt_out_keywords).toEqual(['STOP', 'UNSUBSCRIBE'])
    expect(merchant.monthly_template_budget).toBe('12.5000')
    expect(merchant.created_at).toBeInstanceOf(Date)

    const items = [{ title: 'Mug', quantity: 2, price: '9.50', image: null, product_id: null, url: null }]
    const cart = await t.db
      .insertInto('carts')
      .values({
        merchant_id: merchant.id,
        token: 'c1',
        items: jsonb(items),
        value: 19,
        currency: 'EUR',
        last_activity_at: new Date('2026-01-01T10:00:00Z'),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    expect(cart.items).toEqual(items)
    expect(cart.value).toBe('19.00')
    expect(cart.last_activity_at.toISOString()).toBe('2026-01-01T10:00:00.000Z')

    const { count } = await t.db
      .selectFrom('carts')
      .where('merchant_id', '=', merchant.id)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow()
    expect(count).toBe(1)

    const spend = await t.db
      .insertInto('template_spend')
      .values({
        merchant_id: merchant.id,
        month: '2026-02-01',
        category: 'marketing',
        amount: 0.05,
        currency: 'USD',
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    expect(spend.month).toBe('2026-02-01')
    expect(spend.amount).toBe('0.0500')

    const product = await t.db
      .insertInto('products')
      .values({
        merchant_id: merchant.id,
        title: 'Tee',
        price: '20',
        currency: 'EUR',
        tags: ['cotton', 'summer'],
        attributes: { colours: ['blue', 'red'], fit: 'runs small' },
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    expect(product.tags).toEqual(['cotton', 'summer'])
    expect(product.attributes).toEqual({ colours: ['blue', 'red'], fit: 'runs small' })
    expect(product.in_stock).toBe(true)
  })
})

describe('openDatabase with a PGlite data directory', () => {
  it('keeps committed data across a reopen', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-pglite-'))
    try {
      const first = await openDatabase({ dataDir })
      await first.db.insertInto('merchants').values({ name: 'durable' }).execute()
      await first.close()
      await first.close() // idempotent

      const second = await openDatabase({ dataDir })
      expect(second.kind).toBe('pglite')
      const rows = await second.db.selectFrom('merchants').select('name').execute()
      expect(rows).toEqual([{ name: 'durable' }])
      await second.close()
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('opens without migrating when asked', async () => {
    const { db, close } = await openDatabase({ migrate: false })
    const { rows } = await sql<{ n: number }>`
      select count(*) as n from information_schema.tables where table_schema = 'public'`.execute(db)
    expect(rows[0]?.n).toBe(0)
    await close()
  })
})
