// `keysProbed`: a batch's (merchant_id, id) keys found by index probes, not by hashing the whole table, and exactly
// the keys asked for when they span merchants; `keysProbedFixed` the same in a fixed statement's text. The table is a
// scratch one shaped like `conversations`' key.
import { createTestDatabase, type TestDatabase, testDatabases } from '@parley/db/testing'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixedStatement } from './fixed-statement.ts'
import { keyedStatement, keysProbed, keysProbedFixed } from './sql-any.ts'

const A = '00000000-0000-4000-8000-00000000000a'
const B = '00000000-0000-4000-8000-00000000000b'

describe.each(testDatabases())('keysProbed on %s', (kind) => {
  let t: TestDatabase
  let ids: string[]

  beforeAll(async () => {
    t = await createTestDatabase(kind)
    await sql`create table keys_probe (merchant_id uuid not null, id uuid not null, pad text,
      primary key (merchant_id, id))`.execute(t.db)
    // A shop's worth of rows of one merchant: enough that hashing the table is priced below 200 probes.
    await sql`insert into keys_probe select ${A}::uuid, gen_random_uuid(), repeat('x', 100)
      from generate_series(1, 3000)`.execute(t.db)
    await sql`analyze keys_probe`.execute(t.db)
    const { rows } = await sql<{ id: string }>`select id from keys_probe order by id`.execute(t.db)
    ids = rows.map((r) => r.id)
  }, 120_000)
  afterAll(async () => {
    await t?.close()
  })

  async function plan(where: ReturnType<typeof keysProbed>): Promise<string> {
    const { rows } = await sql<{ 'QUERY PLAN': string }>`explain select k.id from keys_probe k where ${where}
      order by k.id for update of k`.execute(t.db)
    return rows.map((r) => r['QUERY PLAN']).join('\n')
  }

  it('probes the primary key for a batch of 200 keys, where the row-value form scans the table', async () => {
    const keys = ids.filter((_, i) => i % 15 === 0).map((id) => ({ merchant_id: A, id }))
    expect(keys).toHaveLength(200)
    const probed = await plan(keysProbed('k', keys))
    expect(probed).toMatch(/Index Scan using keys_probe_pkey/)
    expect(probed).not.toMatch(/Seq Scan on keys_probe/)
    // The form it replaced, for the record: the same keys hashed against every row of the table.
    const rowValue = await plan(
      sql<boolean>`(k.merchant_id, k.id) in (select * from unnest(${keys.map((k) => k.merchant_id)}::uuid[],
        ${keys.map((k) => k.id)}::uuid[]))`,
    )
    expect(rowValue).toMatch(/Seq Scan on keys_probe/)
  })

  it('returns exactly the keys asked for, in one merchant or across two', async () => {
    const [x, y, z] = ids as [string, string, string]
    // Merchant B holds rows with A's ids too: the probes' cross product (A|B × x|y) must not leak them.
    await sql`insert into keys_probe values (${B}, ${x}, null), (${B}, ${y}, null)`.execute(t.db)
    const select = async (keys: { merchant_id: string; id: string }[]) => {
      const { rows } = await sql<{
        merchant_id: string
        id: string
      }>`select k.merchant_id, k.id from keys_probe k
        where ${keysProbed('k', keys)} order by k.merchant_id, k.id`.execute(t.db)
      return rows.map((r) => `${r.merchant_id === A ? 'A' : 'B'}:${r.id}`)
    }
    expect(
      await select([
        { merchant_id: A, id: x },
        { merchant_id: A, id: z },
      ]),
    ).toEqual([`A:${x}`, `A:${z}`].sort())
    expect(
      await select([
        { merchant_id: A, id: x },
        { merchant_id: B, id: y },
      ]),
    ).toEqual([`A:${x}`, `B:${y}`])
    expect(await select([{ merchant_id: B, id: z }])).toEqual([])
  })

  it('keyedStatement finds what keysProbed finds: one merchant by its fixed statement, several built', async () => {
    const [x, y, z] = ids.slice(10) as [string, string, string]
    await sql`insert into keys_probe values (${B}, ${x}, null), (${B}, ${z}, null)`.execute(t.db)
    const keyed = keyedStatement<{ merchant_id: string; id: string }>(
      'k',
      (where) =>
        sql`select k.merchant_id, k.id from keys_probe k where ${where} order by k.merchant_id, k.id`,
    )
    const name = (r: { merchant_id: string; id: string }) => `${r.merchant_id === A ? 'A' : 'B'}:${r.id}`
    const cases = [
      [{ merchant_id: A, id: x }],
      [
        { merchant_id: A, id: y },
        { merchant_id: A, id: x },
        { merchant_id: A, id: z },
      ],
      [
        { merchant_id: B, id: x },
        { merchant_id: B, id: y },
      ],
      [
        { merchant_id: A, id: x },
        { merchant_id: B, id: z },
        { merchant_id: A, id: y },
      ],
      [],
    ]
    for (const keys of cases) {
      const { rows } = await sql<{
        merchant_id: string
        id: string
      }>`select k.merchant_id, k.id from keys_probe k
        where ${keysProbed('k', keys)} order by k.merchant_id, k.id`.execute(t.db)
      expect((await keyed(t.db, keys)).map(name), JSON.stringify(keys)).toEqual(rows.map(name))
    }
    expect((await keyed(t.db, [{ merchant_id: B, id: y }])).map(name)).toEqual([])
    expect((await keyed(t.db, [{ merchant_id: B, id: z }])).map(name)).toEqual([`B:${z}`])
  })

  it('keysProbedFixed: the same probes and exact pairs from placeholders, whatever the merchants', async () => {
    const [x, y] = ids as [string, string]
    // Merchant B holds rows with A's ids (the test above): the cross product (A|B × x|y) must not leak them.
    const pairsOf = fixedStatement<
      [string[], string[], string[], string[]],
      { merchant_id: string; id: string }
    >(
      4,
      (_db, merchantIds, keyIds, pairMerchantIds, pairIds) => sql`select k.merchant_id, k.id from keys_probe k
        where ${keysProbedFixed('k', merchantIds, keyIds, pairMerchantIds, pairIds)} order by k.merchant_id, k.id`,
    )
    const select = async (keys: { merchant_id: string; id: string }[]) => {
      const merchantIds = keys.map((k) => k.merchant_id)
      const keyIds = keys.map((k) => k.id)
      const rows = await pairsOf.execute(t.db, merchantIds, keyIds, merchantIds, keyIds)
      return rows.map((r) => `${r.merchant_id === A ? 'A' : 'B'}:${r.id}`)
    }
    expect(
      await select([
        { merchant_id: A, id: x },
        { merchant_id: B, id: y },
      ]),
    ).toEqual([`A:${x}`, `B:${y}`])
    expect(await select([{ merchant_id: A, id: y }])).toEqual([`A:${y}`])
    // 200 keys of one merchant: probed by the primary key, as `keysProbed` is.
    const many = ids.filter((_, i) => i % 15 === 0)
    const merchants = many.map(() => A)
    const probed = await plan(
      keysProbedFixed('k', sql`${merchants}`, sql`${many}`, sql`${merchants}`, sql`${many}`),
    )
    expect(probed).toMatch(/Index Scan using keys_probe_pkey/)
    expect(probed).not.toMatch(/Seq Scan on keys_probe/)
  })
})
