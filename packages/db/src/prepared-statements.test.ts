import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PreparedStatements } from './prepared-statements.ts'
import { createTestDatabase, type TestDatabase, testDatabases } from './testing.ts'

describe('PreparedStatements', () => {
  it('names a text from its second use on, the same name every time', () => {
    const statements = new PreparedStatements()
    expect(statements.nameFor('select $1')).toBeUndefined()
    const name = statements.nameFor('select $1')
    expect(name).toMatch(/^p0_/)
    expect(statements.nameFor('select $1')).toBe(name)
    expect(statements.nameFor('select $1 + 1')).toBeUndefined()
    expect(statements.nameFor('select $1 + 1')).not.toBe(name)
  })

  it('prepares no more than its bound, and counts no more texts than its bound', () => {
    const statements = new PreparedStatements({ maxStatements: 2, maxTracked: 3 })
    for (const text of ['a', 'b', 'c', 'd']) statements.nameFor(text)
    // 'd' came after the tracking bound: it never gets a name.
    expect(statements.nameFor('d')).toBeUndefined()
    expect(statements.nameFor('a')).toBeDefined()
    expect(statements.nameFor('b')).toBeDefined()
    expect(statements.nameFor('c')).toBeUndefined()
    expect(statements.size).toBe(2)
  })

  it('uses new names after a reset', () => {
    const statements = new PreparedStatements()
    statements.nameFor('select $1')
    const before = statements.nameFor('select $1')
    statements.reset()
    expect(statements.nameFor('select $1')).toBeUndefined()
    const after = statements.nameFor('select $1')
    expect(after).toMatch(/^p1_/)
    expect(after).not.toBe(before)
  })
})

describe.each(testDatabases())('statements run again and again on %s', (kind) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase(kind, { migrate: false, poolSize: 3, preparedStatements: true })
  }, 120_000)
  afterAll(async () => {
    await t?.close()
  })

  it('answer the same, on every connection of the pool, in and out of transactions', async () => {
    await sql`create table prepared_probe (id integer primary key, note text)`.execute(t.db)
    for (let i = 0; i < 20; i++) {
      await t.db
        .insertInto('prepared_probe' as never)
        .values({ id: i, note: `n${i}` } as never)
        .execute()
    }
    const read = (id: number) =>
      t.db
        .selectFrom('prepared_probe' as never)
        .select(['id', 'note'] as never)
        .where('id' as never, '=', id as never)
        .executeTakeFirst()
    // Concurrent reads spread over the pool's connections; each prepares the statement once.
    const rows = await Promise.all(Array.from({ length: 20 }, (_, i) => read(i)))
    expect(rows).toEqual(Array.from({ length: 20 }, (_, i) => ({ id: i, note: `n${i}` })))
    await t.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('prepared_probe' as never)
        .select(['note'] as never)
        .where('id' as never, '=', 7 as never)
        .executeTakeFirst()
      expect(row).toEqual({ note: 'n7' })
    })
  })

  it('plan generically: a partial unique index written as a literal stays the ON CONFLICT arbiter, a parameter cannot', async () => {
    await sql`create table prepared_arbiter (k text not null, status text not null)`.execute(t.db)
    await sql`create unique index prepared_arbiter_active on prepared_arbiter (k) where status = 'active'`.execute(
      t.db,
    )
    const insert = (trx: typeof t.db, k: string, status: 'literal' | 'parameter') =>
      trx
        .insertInto('prepared_arbiter' as never)
        .values({ k, status: 'active' } as never)
        .onConflict((oc) =>
          oc
            .column('k' as never)
            .where('status' as never, '=', (status === 'literal' ? sql.lit('active') : 'active') as never)
            .doNothing(),
        )
        .execute()
    // Every plan generic from the first named execution on (what plan_cache_mode=auto does from the sixth).
    const generic = sql`set local plan_cache_mode = force_generic_plan`
    await t.db.transaction().execute(async (trx) => {
      await generic.execute(trx)
      for (let i = 0; i < 12; i++) await insert(trx, `k${i % 3}`, 'literal')
    })
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from prepared_arbiter`.execute(t.db)
    expect(rows[0]?.n).toBe(3)
    if (kind === 'postgres') {
      // Why the literal: a generic plan cannot prove the index's predicate from a parameter.
      await expect(
        t.db.transaction().execute(async (trx) => {
          await generic.execute(trx)
          for (let i = 0; i < 3; i++) await insert(trx, 'k0', 'parameter')
        }),
      ).rejects.toThrow('there is no unique or exclusion constraint matching the ON CONFLICT specification')
    }
  })

  it('recover when a table changes under a prepared select *', async () => {
    await sql`create table prepared_shape (id integer primary key)`.execute(t.db)
    await sql`insert into prepared_shape values (1)`.execute(t.db)
    // One connection, so the statement below is prepared on the connection that then meets the new shape.
    const readAll = () => sql`select * from prepared_shape where id = ${1}`.execute(t.db)
    await Promise.all([readAll(), readAll(), readAll()])
    await Promise.all([readAll(), readAll(), readAll()])
    await sql`alter table prepared_shape add column note text default 'new'`.execute(t.db)
    // Postgres refuses a prepared statement whose row type changed, at most once per connection holding it;
    // after that the names are new and every connection prepares the new shape.
    const outcomes = await Promise.allSettled([readAll(), readAll(), readAll()])
    for (const outcome of outcomes)
      if (outcome.status === 'rejected')
        expect(String(outcome.reason)).toContain('cached plan must not change result type')
    for (let i = 0; i < 6; i++) {
      const { rows } = await readAll()
      expect(rows).toEqual([{ id: 1, note: 'new' }])
    }
  })
})
