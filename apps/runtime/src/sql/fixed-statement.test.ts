// `fixedStatement`: the text compiled once is the text Kysely makes with the values, it runs with its values in
// a transaction on both backends, and a handle with plugins sees it as any other query.
import type { Database } from '@parley/db'
import { createTestDatabase, type TestDatabase, testDatabases } from '@parley/db/testing'
import { type Kysely, NoResultError, type RootOperationNode, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixedStatement } from './fixed-statement.ts'

const A = '00000000-0000-4000-8000-00000000000a'
const B = '00000000-0000-4000-8000-00000000000b'

const receiptsOf = fixedStatement<[string, string[]], { external_id: string }>(2, (db, merchantId, sources) =>
  db
    .selectFrom('receipts')
    .select('external_id')
    .where('merchant_id', '=', merchantId)
    .where('source', '=', sql<string>`any(${sources}::text[])`)
    .where('external_id', '<>', sql.lit('skipped'))
    .orderBy('external_id'),
)

const countOf = fixedStatement<[string], { n: number }>(
  1,
  (_db, merchantId) => sql`select count(*)::int as n from receipts where merchant_id = ${merchantId}`,
)

describe('fixedStatement', () => {
  it('compiles the text once, with the placeholders where the values go and literals kept', () => {
    expect(receiptsOf.sql).toBe(
      'select "external_id" from "receipts" where "merchant_id" = $1 and "source" = any($2::text[]) and ' +
        `"external_id" <> 'skipped' order by "external_id"`,
    )
    expect(countOf.sql).toBe('select count(*)::int as n from receipts where merchant_id = $1')
  })

  it('refuses a statement holding a value of its own, or placeholders out of order', () => {
    expect(() =>
      fixedStatement<[string], unknown>(1, (db, id) =>
        db.selectFrom('receipts').selectAll().where('source', '=', 'x').where('merchant_id', '=', id),
      ),
    ).toThrow(/placeholders only/)
    expect(() =>
      fixedStatement<[string, string], unknown>(
        2,
        (_db, first, second) => sql`select 1 where ${second} = ${first}`,
      ),
    ).toThrow(/in the order/)
  })
})

describe.each(testDatabases())('fixedStatement on %s', (kind) => {
  let t: TestDatabase

  beforeAll(async () => {
    t = await createTestDatabase(kind)
    await sql`insert into merchants (id, name) values (${A}, 'A'), (${B}, 'B')`.execute(t.db)
    await sql`insert into receipts (merchant_id, source, external_id) values
      (${A}, 'channel:1', 'm2'), (${A}, 'channel:1', 'm1'), (${A}, 'channel:2', 'm3'), (${A}, 'channel:1', 'skipped'),
      (${B}, 'channel:1', 'm4')`.execute(t.db)
  }, 120_000)
  afterAll(async () => {
    await t?.close()
  })

  it('runs with its values, in a transaction too', async () => {
    expect(await receiptsOf.execute(t.db, A, ['channel:1'])).toEqual([
      { external_id: 'm1' },
      { external_id: 'm2' },
    ])
    await t.db.transaction().execute(async (trx) => {
      expect(await receiptsOf.execute(trx, A, ['channel:1', 'channel:2'])).toHaveLength(3)
      expect(await countOf.executeTakeFirstOrThrow(trx, B)).toEqual({ n: 1 })
    })
  })

  it('throws NoResultError when asked for a first row there is not', async () => {
    await expect(receiptsOf.executeTakeFirstOrThrow(t.db, B, ['channel:9'])).rejects.toBeInstanceOf(
      NoResultError,
    )
  })

  it('goes through the plugins of a handle that has them, with the same text and rows', async () => {
    const seen: string[] = []
    const watched: Kysely<Database> = t.db.withPlugin({
      transformQuery: ({ node }: { node: RootOperationNode }) => {
        seen.push(node.kind)
        return node
      },
      transformResult: async ({ result }) => result,
    })
    const captured: string[] = []
    const capturing = watched.withPlugin({
      transformQuery: ({ node, queryId }) => {
        captured.push(watched.getExecutor().compileQuery(node, queryId).sql)
        return node
      },
      transformResult: async ({ result }) => result,
    })
    expect(await receiptsOf.execute(capturing, A, ['channel:2'])).toEqual([{ external_id: 'm3' }])
    expect(await countOf.execute(capturing, A)).toEqual([{ n: 4 }])
    expect(seen).toEqual(['SelectQueryNode', 'RawNode'])
    expect(captured).toEqual([receiptsOf.sql, countOf.sql])
  })
})
