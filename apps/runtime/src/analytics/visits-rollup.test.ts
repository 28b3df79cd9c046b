// The flow report's node and edge counts (node.reached, edge.taken in analytics_hourly) stay in step with the
// node-visits rows, one row per step holding the step's nodes in the order entered (migration 202612010000):
// recomputed here in plain code from the rows (the oracle) after every kind of write the engine makes — a step
// entering several nodes, a loop inside one step, several steps of one run in one statement, several runs in one
// statement, a later step of a run written in an earlier statement, steps in another hour.
import type { Database } from '@parley/db'
import { createTestDatabase, type TestDatabase, testDatabases } from '@parley/db/testing'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedRecoveryConversation } from '../testing/engine-fixtures.ts'
import { seedMerchant } from '../testing/test-deps.ts'

const HOUR = 3_600_000
const T0 = Date.parse('2026-03-01T10:20:00Z')

type Counts = Record<string, number>

/** node.reached and edge.taken per hour and dimension, from the rows in plain code: the runs' visits in order. */
async function expectedCounts(db: Kysely<Database>, merchantId: string): Promise<Counts> {
  const rows = await db
    .selectFrom('node_visits')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('seq')
    .execute()
  const counts: Counts = {}
  const add = (key: string) => {
    counts[key] = (counts[key] ?? 0) + 1
  }
  const byRun = new Map<string, { reached: Set<string>; last: string | null }>()
  for (const row of rows) {
    const run = byRun.get(row.run_id) ?? { reached: new Set<string>(), last: null }
    byRun.set(row.run_id, run)
    const hour = new Date(Math.floor(row.at.getTime() / HOUR) * HOUR).toISOString()
    for (const node of row.node_ids) {
      if (!run.reached.has(node)) add(`${hour} node.reached ${row.flow_version_id} ${node}`)
      run.reached.add(node)
      if (run.last !== null) add(`${hour} edge.taken ${row.flow_version_id} ${run.last}>${node}`)
      run.last = node
    }
  }
  return counts
}

/** The rollup's rows for those metrics, summed over shards (as the reports read them). */
async function actualCounts(db: Kysely<Database>, merchantId: string): Promise<Counts> {
  const rows = await db
    .selectFrom('analytics_hourly')
    .select(['hour', 'metric', 'dim', 'n'])
    .where('merchant_id', '=', merchantId)
    .where('metric', 'in', ['node.reached', 'edge.taken'])
    .execute()
  const counts: Counts = {}
  for (const r of rows) {
    const key = `${new Date(r.hour).toISOString()} ${r.metric} ${r.dim}`
    counts[key] = (counts[key] ?? 0) + Number(r.n)
  }
  for (const [key, n] of Object.entries(counts)) if (n === 0) delete counts[key]
  return counts
}

describe.each(testDatabases())('node and edge counts in step with the node-visit rows on %s', (kind) => {
  let t: TestDatabase
  let db: Kysely<Database>
  let merchantId: string
  let versionId: string
  const runIds: string[] = []

  beforeAll(async () => {
    t = await createTestDatabase(kind)
    db = t.db
    merchantId = (await seedMerchant(db)).merchantId
    const seeded = await seedRecoveryConversation(db, merchantId)
    versionId = seeded.versionId
    for (const key of ['a', 'b', 'c']) runIds.push(await seeded.insertRun(key, new Date(T0)))
  }, 120_000)
  afterAll(() => t?.close())

  const step = (run: number, nodeIds: string[], at: number) => ({
    merchant_id: merchantId,
    run_id: runIds[run] as string,
    flow_version_id: versionId,
    node_ids: nodeIds,
    at: new Date(at),
  })

  it('counts every node entered and every move, within a step and across steps and statements', async () => {
    // A step entering three nodes.
    await db
      .insertInto('node_visits')
      .values(step(0, ['start', 'ask', 'wait'], T0))
      .execute()
    expect(await actualCounts(db, merchantId)).toEqual(await expectedCounts(db, merchantId))
    expect(await actualCounts(db, merchantId)).toMatchObject({
      [`2026-03-01T10:00:00.000Z node.reached ${versionId} start`]: 1,
      [`2026-03-01T10:00:00.000Z edge.taken ${versionId} start>ask`]: 1,
      [`2026-03-01T10:00:00.000Z edge.taken ${versionId} ask>wait`]: 1,
    })
    // A later step of the same run (its first move comes from the last node of the row before), a loop inside
    // one step back to a node reached before, and two steps of another run in one statement, beside a third run.
    await db
      .insertInto('node_visits')
      .values([
        step(0, ['ask', 'wait'], T0 + HOUR),
        step(1, ['start', 'wait'], T0 + HOUR),
        step(1, ['ask', 'wait', 'ask', 'done'], T0 + HOUR),
        step(2, ['start'], T0 + 2 * HOUR),
      ])
      .execute()
    expect(await actualCounts(db, merchantId)).toEqual(await expectedCounts(db, merchantId))
    expect(await actualCounts(db, merchantId)).toMatchObject({
      [`2026-03-01T11:00:00.000Z edge.taken ${versionId} wait>ask`]: 3,
      [`2026-03-01T11:00:00.000Z node.reached ${versionId} ask`]: 1,
      [`2026-03-01T11:00:00.000Z node.reached ${versionId} done`]: 1,
    })
    // A step with one node, after a statement with several.
    await db
      .insertInto('node_visits')
      .values(step(2, ['done'], T0 + 3 * HOUR))
      .execute()
    expect(await actualCounts(db, merchantId)).toEqual(await expectedCounts(db, merchantId))
    expect(await actualCounts(db, merchantId)).toMatchObject({
      [`2026-03-01T13:00:00.000Z edge.taken ${versionId} start>done`]: 1,
    })
    // Back into a node reached two steps before, which the step just before did not enter (migration
    // 202612050045 reads the previous step first: a node it lacks is still looked for further back).
    await db
      .insertInto('node_visits')
      .values([step(0, ['done'], T0 + 4 * HOUR), step(0, ['start', 'wait'], T0 + 4 * HOUR)])
      .execute()
    expect(await actualCounts(db, merchantId)).toEqual(await expectedCounts(db, merchantId))
    const later = await actualCounts(db, merchantId)
    expect(later[`2026-03-01T14:00:00.000Z node.reached ${versionId} done`]).toBe(1)
    expect(later[`2026-03-01T14:00:00.000Z node.reached ${versionId} start`]).toBeUndefined()
    expect(later[`2026-03-01T14:00:00.000Z edge.taken ${versionId} done>start`]).toBe(1)
  })

  // With the table under ~100,000 rows the planner turned a `not exists` over `node_visits` into a hash of the whole
  // table, built again for every step's insert (migration 202612020000): the trigger's statement, as Postgres plans
  // it for a step of 16 runs beside 2,400 earlier visits, reads `node_visits` by the run's key only.
  it("reads only the stepping runs' earlier visits, never the whole table", async () => {
    const shop = await seedMerchant(db)
    const seeded = await seedRecoveryConversation(db, shop.merchantId)
    const runs: string[] = []
    for (let i = 0; i < 16; i++) runs.push(await seeded.insertRun(`plan-${i}`, new Date(T0)))
    await sql`insert into node_visits (merchant_id, run_id, flow_version_id, node_ids, at)
      select ${shop.merchantId}::uuid, r.id, ${seeded.versionId}::uuid,
        case when s = 1 then array['start', 'ask', 'wait'] else array['answer', 'wait'] end, ${new Date(T0)}
      from generate_series(1, 150) s cross join unnest(${runs}::uuid[]) as r(id) order by s`.execute(db)
    await sql`analyze node_visits`.execute(db)
    const { rows } = await sql<{ def: string }>`
      select pg_get_functiondef('analytics_visits_inserted'::regproc) as def`.execute(db)
    const statement = /insert into analytics_hourly[\s\S]*?(?=;\s*return null)/i.exec(rows[0]?.def ?? '')?.[0]
    expect(statement).toBeDefined()
    // One connection: the step's rows are a temporary table.
    const scans = await db.connection().execute(async (conn) => {
      // The transition table `new_rows` of a 16-row step, as a table of the same shape and size.
      await sql`create temporary table step_rows as
        select * from node_visits where merchant_id = ${shop.merchantId} order by seq desc limit 16`.execute(
        conn,
      )
      await sql`analyze step_rows`.execute(conn)
      const explained = await sql<{ 'QUERY PLAN': unknown }>`explain (format json) ${sql.raw(
        (statement as string).replace(/\bnew_rows\b/g, 'step_rows'),
      )}`.execute(conn)
      await sql`drop table step_rows`.execute(conn)
      const found: string[] = []
      const walk = (node: Record<string, unknown>) => {
        if (node['Relation Name'] === 'node_visits')
          found.push(`${node['Node Type']} ${node['Index Name'] ?? ''}`)
        for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child)
      }
      const plan = explained.rows[0]?.['QUERY PLAN']
      walk((typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan)
      return found
    })
    // Three reads (the node reached before, the edge's previous node), each by the run's key.
    expect(scans.length).toBeGreaterThanOrEqual(2)
    for (const scan of scans) expect(scan).toMatch(/^Index (Only )?Scan node_visits_pkey/)
  })

  it('refuses a step row with no node', async () => {
    await expect(
      db
        .insertInto('node_visits')
        .values(step(0, [], T0))
        .execute(),
    ).rejects.toThrow(/node_visits_node_ids_check/)
  })
})
