// The episode and run rollups (migration 202611300900) stay exactly in step with their source rows through every
// write the runtime makes — an episode opened, its first and later recovery messages, an order credited days
// later (in the abandonment's hour), a re-decided ending, expiry, a cart deleted; a run started, stepped, ended,
// deleted — and the rebuild function (the migration's backfill) produces the same rows from scratch.
import type { Database } from '@parley/db'
import { createTestDatabase, type TestDatabase, testDatabases } from '@parley/db/testing'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { endEpisodeForOrder, expireDueEpisodes, openEpisode } from '../commerce/abandonment-episodes.ts'
import { seedRecoveryConversation } from '../testing/engine-fixtures.ts'
import { seedMerchant } from '../testing/test-deps.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const T0 = Date.parse('2026-03-01T10:20:00Z')
const ORDERED = ['recovered', 'ordered_without_messages', 'ordered_after_window']

type Row = Record<string, string | number>
const sortRows = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort((a, b) => a.localeCompare(b))

/** The episode rollup recomputed in plain code from the source rows (the oracle). */
async function expectedEpisodes(db: Kysely<Database>): Promise<Row[]> {
  const episodes = await db.selectFrom('cart_episodes').selectAll().execute()
  const buckets = new Map<string, Row>()
  for (const e of episodes) {
    const hour = Math.floor(e.abandoned_at.getTime() / HOUR) * HOUR
    const currency = e.order_currency ?? ''
    const key = `${e.merchant_id} ${hour} ${currency}`
    const b = buckets.get(key) ?? {
      merchant: e.merchant_id,
      hour: new Date(hour).toISOString(),
      currency,
      abandoned: 0,
      in_holdout: 0,
      messaged: 0,
      recovered: 0,
      without_messages: 0,
      control_ordered: 0,
      messaged_ordered: 0,
      credited_revenue: 0,
      messaged_revenue: 0,
    }
    const add = (k: string, v: number) => {
      b[k] = Math.round(((b[k] as number) + v) * 100) / 100
    }
    const ordered = ORDERED.includes(e.status)
    const total = Number(e.order_total ?? 0)
    add('abandoned', 1)
    if (e.holdout) add('in_holdout', 1)
    if (e.messages_sent > 0) add('messaged', 1)
    if (e.status === 'recovered' && !e.holdout) {
      add('recovered', 1)
      add('credited_revenue', total)
    }
    if (e.status === 'ordered_without_messages') add('without_messages', 1)
    if (ordered && e.holdout) add('control_ordered', 1)
    if (ordered && !e.holdout) {
      add('messaged_ordered', 1)
      add('messaged_revenue', total)
    }
    buckets.set(key, b)
  }
  return [...buckets.values()]
}

async function actualEpisodes(db: Kysely<Database>): Promise<Row[]> {
  const rows = await db.selectFrom('analytics_episodes_hourly').selectAll().execute()
  return rows
    .filter((r) => Number(r.abandoned) !== 0 || Number(r.messaged_revenue) !== 0)
    .map((r) => ({
      merchant: r.merchant_id,
      hour: new Date(r.hour).toISOString(),
      currency: r.currency,
      abandoned: Number(r.abandoned),
      in_holdout: Number(r.in_holdout),
      messaged: Number(r.messaged),
      recovered: Number(r.recovered),
      without_messages: Number(r.without_messages),
      control_ordered: Number(r.control_ordered),
      messaged_ordered: Number(r.messaged_ordered),
      credited_revenue: Number(r.credited_revenue),
      messaged_revenue: Number(r.messaged_revenue),
    }))
}

/** run.started, run.ended and episode.recovered recomputed from the source rows. */
async function expectedHourly(db: Kysely<Database>): Promise<Row[]> {
  const out = new Map<string, Row>()
  const add = (merchant: string, at: Date, metric: string, dim: string, amount: number) => {
    const hour = new Date(Math.floor(at.getTime() / HOUR) * HOUR).toISOString()
    const key = `${merchant} ${hour} ${metric} ${dim}`
    const row = out.get(key) ?? { merchant, hour, metric, dim, n: 0, amount: 0 }
    row.n = (row.n as number) + 1
    row.amount = Math.round(((row.amount as number) + amount) * 100) / 100
    out.set(key, row)
  }
  for (const r of await db.selectFrom('runs').selectAll().execute()) {
    add(r.merchant_id, r.started_at, 'run.started', `${r.flow_id} ${r.flow_version_id}`, 0)
    if (r.ended_at)
      add(
        r.merchant_id,
        r.ended_at,
        'run.ended',
        `${r.flow_id} ${r.flow_version_id} ${r.outcome ?? r.status}`,
        0,
      )
  }
  for (const e of await db.selectFrom('cart_episodes').selectAll().execute())
    if (e.status === 'recovered' && !e.holdout && e.flow_id)
      add(
        e.merchant_id,
        e.abandoned_at,
        'episode.recovered',
        `${e.flow_id} ${e.order_currency ?? ''}`,
        Number(e.order_total ?? 0),
      )
  return [...out.values()]
}

async function actualHourly(db: Kysely<Database>): Promise<Row[]> {
  // A key's value is the sum over its shards (one row per writing backend).
  const rows = await db
    .selectFrom('analytics_hourly')
    .select([
      'merchant_id',
      'hour',
      'metric',
      'dim',
      sql<string>`sum(n)`.as('n'),
      sql<string>`sum(amount)`.as('amount'),
    ])
    .where('metric', 'in', ['run.started', 'run.ended', 'episode.recovered'])
    .groupBy(['merchant_id', 'hour', 'metric', 'dim'])
    .having(sql`sum(n)`, '<>', 0)
    .execute()
  return rows.map((r) => ({
    merchant: r.merchant_id,
    hour: new Date(r.hour).toISOString(),
    metric: r.metric,
    dim: r.dim,
    n: Number(r.n),
    amount: Number(r.amount),
  }))
}

async function expectInStep(db: Kysely<Database>): Promise<void> {
  expect(sortRows(await actualEpisodes(db))).toEqual(sortRows(await expectedEpisodes(db)))
  expect(sortRows(await actualHourly(db))).toEqual(sortRows(await expectedHourly(db)))
}

describe.each(testDatabases())('episode and run rollups in step with their rows on %s', (kind) => {
  let t: TestDatabase
  let db: Kysely<Database>
  let merchantId: string
  let otherMerchantId: string
  let flowId: string
  let versionId: string
  let contactId: string
  let conversationId: string
  let insertRun: Awaited<ReturnType<typeof seedRecoveryConversation>>['insertRun']

  beforeAll(async () => {
    t = await createTestDatabase(kind)
    db = t.db
    merchantId = (await seedMerchant(db)).merchantId
    otherMerchantId = (await seedMerchant(db)).merchantId
    const seeded = await seedRecoveryConversation(db, merchantId)
    contactId = seeded.contactId
    conversationId = seeded.conversationId
    flowId = seeded.flowId
    versionId = seeded.versionId
    insertRun = seeded.insertRun
  }, 120_000)
  afterAll(() => t?.close())

  async function cart(merchant: string, token: string, abandonedAt: number): Promise<string> {
    const row = await db
      .insertInto('carts')
      .values({
        merchant_id: merchant,
        token,
        contact_id: merchant === merchantId ? contactId : null,
        value: 50,
        currency: 'USD',
        status: 'abandoned',
        last_activity_at: new Date(abandonedAt),
        abandoned_at: new Date(abandonedAt),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  }

  /** What the outbox's outcome write does when a recovery message is sent (delivery/outbox-outcomes.ts). */
  async function messageSent(cartId: string, at: number): Promise<void> {
    await sql`update cart_episodes set messages_sent = messages_sent + 1,
        first_message_at = coalesce(first_message_at, ${new Date(at)}), last_message_at = ${new Date(at)},
        flow_id = coalesce(flow_id, ${flowId}::uuid)
      where merchant_id = ${merchantId} and cart_id = ${cartId} and status = 'open'`.execute(db)
  }

  async function order(cartId: string, total: number, currency: string, at: number) {
    const row = await db
      .insertInto('orders')
      .values({
        merchant_id: merchantId,
        number: `#${total}`,
        total,
        currency,
        status: 'paid',
        created_at: new Date(at),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return db
      .transaction()
      .execute((trx) =>
        endEpisodeForOrder(
          trx,
          merchantId,
          { cartId, contactId: null },
          { id: row.id, total, currency, items: [] },
          new Date(at),
        ),
      )
  }

  it('follows episodes from abandonment to order, expiry and deletion', async () => {
    const open = (merchant: string, cartId: string, at: number, holdout: boolean) =>
      openEpisode(db, {
        merchantId: merchant,
        cartId,
        contactId: null,
        abandonedAt: new Date(at),
        holdoutPercent: 50,
        random: () => (holdout ? 0 : 0.99),
      })
    const a = await cart(merchantId, 'a', T0)
    const b = await cart(merchantId, 'b', T0 + 5 * 60_000)
    const c = await cart(merchantId, 'c', T0 + 2 * HOUR)
    const d = await cart(merchantId, 'd', T0 + 3 * HOUR)
    const other = await cart(otherMerchantId, 'x', T0)
    await open(merchantId, a, T0, false)
    await open(merchantId, b, T0 + 5 * 60_000, true)
    await open(merchantId, c, T0 + 2 * HOUR, false)
    await open(merchantId, d, T0 + 3 * HOUR, false)
    await open(otherMerchantId, other, T0, false)
    await expectInStep(db)

    await messageSent(a, T0 + HOUR)
    await messageSent(c, T0 + 3 * HOUR)
    await expectInStep(db)
    await messageSent(a, T0 + 25 * HOUR) // a second message changes no count
    await expectInStep(db)

    // Orders days later move the hour the cart was abandoned in; the holdout cart's order is never credited.
    expect(await order(a, 110.5, 'USD', T0 + 3 * DAY)).toBe('recovered')
    expect(await order(b, 40, 'EUR', T0 + 2 * DAY)).toBe('ordered_without_messages')
    expect(await order(c, 70, 'EUR', T0 + 20 * DAY)).toBe('ordered_after_window')
    await expectInStep(db)
    const aprilFirst = await db
      .selectFrom('analytics_episodes_hourly')
      .select(['recovered', 'credited_revenue'])
      .where('merchant_id', '=', merchantId)
      .where('hour', '=', new Date(Math.floor(T0 / HOUR) * HOUR))
      .where('currency', '=', 'USD')
      .executeTakeFirstOrThrow()
    expect([Number(aprilFirst.recovered), Number(aprilFirst.credited_revenue)]).toEqual([1, 110.5])

    // An ending decided again (an un-credit, then a re-credit) moves the rollup with it.
    await db
      .updateTable('cart_episodes')
      .set({ status: 'ordered_after_window' })
      .where('cart_id', '=', a)
      .execute()
    await expectInStep(db)
    await db.updateTable('cart_episodes').set({ status: 'recovered' }).where('cart_id', '=', a).execute()
    await expectInStep(db)

    expect(await expireDueEpisodes(db, T0 + 31 * DAY, 100)).toBe(2)
    await expectInStep(db)

    await db.deleteFrom('carts').where('merchant_id', '=', merchantId).where('id', '=', d).execute()
    await expectInStep(db)
    // A write that rolls back leaves no trace in the rollup.
    await db
      .transaction()
      .execute(async (trx) => {
        await trx.deleteFrom('cart_episodes').where('merchant_id', '=', merchantId).execute()
        throw new Error('rolled back')
      })
      .catch(() => {})
    await expectInStep(db)
  }, 120_000)

  it('follows runs started, stepped, ended and deleted', async () => {
    const one = await insertRun('r1', new Date(T0))
    const two = await insertRun('r2', new Date(T0 + HOUR))
    const three = await insertRun('r3', new Date(T0 + 2 * HOUR))
    await expectInStep(db)
    // A step that rewrites the snapshot only (the hot path) changes nothing counted.
    await db
      .updateTable('runs')
      .set({ snapshot: { value: 'next' }, revision: 2 })
      .where('id', '=', one)
      .execute()
    await expectInStep(db)
    // ...and rewrites no rollup row (the statement trigger returns before its upsert).
    const versions = sql<{ v: string }>`select string_agg(xmin::text, ',' order by metric, hour, dim) as v
      from analytics_hourly`
    const before = (await versions.execute(db)).rows[0]?.v
    await db
      .updateTable('runs')
      .set({ snapshot: { value: 'again' }, revision: 3 })
      .where('id', 'in', [one, two, three])
      .execute()
    expect((await versions.execute(db)).rows[0]?.v).toBe(before)
    // One statement that ends one run, only steps another and moves the third to a re-decided start: each row
    // counts for what changed in it.
    await sql`update runs set
        status = case when id = ${one} then 'done' else status end,
        ended_at = case when id = ${one} then ${new Date(T0 + 3 * HOUR)}::timestamptz else ended_at end,
        started_at = case when id = ${three} then ${new Date(T0 + 3 * HOUR)}::timestamptz else started_at end,
        snapshot = '{"value": "stepped"}'
      where id in (${one}, ${two}, ${three})`.execute(db)
    await expectInStep(db)
    await db
      .updateTable('runs')
      .set({ status: 'done', outcome: 'bought it after all', ended_at: new Date(T0 + 5 * HOUR) })
      .where('id', 'in', [one, two])
      .execute()
    await db
      .updateTable('runs')
      .set({ status: 'failed', ended_at: new Date(T0 + 6 * HOUR) })
      .where('id', '=', three)
      .execute()
    await expectInStep(db)
    // An ended run's outcome re-decided, its end time kept: the end moves from one dimension to another in the same
    // hour; a step of an ended run that changes nothing counted beside it adds nothing.
    await sql`update runs set
        outcome = case when id = ${one} then 'changed its mind' else outcome end,
        snapshot = '{"value": "after the end"}'
      where id in (${one}, ${three})`.execute(db)
    await expectInStep(db)
    await db.deleteFrom('runs').where('id', '=', two).execute()
    await expectInStep(db)
    const ended = await actualHourly(db)
    expect(
      ended
        .filter((r) => r.metric === 'run.ended')
        .map((r) => [String(r.dim).split(' ').slice(2).join(' '), r.n]),
    ).toEqual(
      expect.arrayContaining([
        ['changed its mind', 1],
        ['failed', 1],
      ]),
    )
  }, 120_000)

  // The rollup's hot rows (migration 202611301015): before the shards, the second writer waited for the first to
  // commit (here: forever, the lock timeout).
  it.runIf(kind === 'postgres')(
    'lets two backends add to the same rollup key at once, each to its own shard',
    async () => {
      const pool = t.pool
      if (!pool) throw new Error('no pool')
      const clients = await Promise.all([1, 2, 3, 4, 5].map(() => pool.connect()))
      try {
        // Of five backends, two always have different pids modulo 4.
        const shards = await Promise.all(
          clients.map(async (c) => Number((await c.query('select pg_backend_pid() % 4 as s')).rows[0].s)),
        )
        const first = clients[0]
        const second = clients[shards.findIndex((s) => s !== shards[0])]
        if (!first || !second) throw new Error('no two shards')
        const startRun = (key: string) => [
          `insert into runs (merchant_id, flow_id, flow_version_id, contact_id, conversation_id, trigger_kind,
            correlation_key, snapshot, started_at)
          values ($1, $2, $3, $4, $5, 'cart.abandoned', $6, '{}', $7)`,
          [merchantId, flowId, versionId, contactId, conversationId, key, new Date(T0 + 9 * HOUR)],
        ]
        await first.query('begin')
        await first.query(...(startRun('shard-1') as [string, unknown[]]))
        await second.query('begin')
        await second.query(`set local lock_timeout = '20s'`)
        await second.query(...(startRun('shard-2') as [string, unknown[]]))
        await second.query('commit')
        await first.query('commit')
      } finally {
        for (const c of clients) c.release()
      }
      const rows = await db
        .selectFrom('analytics_hourly')
        .select(['shard', 'n'])
        .where('merchant_id', '=', merchantId)
        .where('metric', '=', 'run.started')
        .where('hour', '=', new Date(T0 + 9 * HOUR - (T0 % HOUR)))
        .execute()
      expect(rows.map((r) => Number(r.n)).sort()).toEqual([1, 1])
      expect(new Set(rows.map((r) => r.shard)).size).toBe(2)
      await expectInStep(db)
    },
    120_000,
  )

  it('rebuilds the same rows from scratch (the migration backfill)', async () => {
    const before = { episodes: sortRows(await actualEpisodes(db)), hourly: sortRows(await actualHourly(db)) }
    expect(before.episodes.length).toBeGreaterThan(0)
    await sql`delete from analytics_episodes_hourly`.execute(db)
    await sql`update analytics_hourly set n = n + 5 where metric = 'run.started'`.execute(db)
    await sql`select analytics_rebuild_episodes_runs()`.execute(db)
    expect(sortRows(await actualEpisodes(db))).toEqual(before.episodes)
    expect(sortRows(await actualHourly(db))).toEqual(before.hourly)
    await expectInStep(db)
  }, 120_000)
})
