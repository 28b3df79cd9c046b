// Analytics reports at scale (issue 13): one merchant with 100,000 abandoned carts, 1,000,000 messages and 50,000
// orders over 180 days, and 9 other merchants with a tenth of that each beside it; every report timed over a
// 90-day range (and the previous 90 days it compares with). Seeded set-based (insert … select generate_series),
// through the same triggers that keep the rollups in production (foreign-key checks skipped while seeding).
//   node scripts/with-postgres.mjs sh -c 'cd bench && node --import tsx analytics.bench.ts'
// BENCH_ANALYTICS_SCALE=0.1 seeds a tenth (a quick look); BENCH_ANALYTICS_RUNS sets the timed runs per report.
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import type { Database } from '@parley/db'
import { createTestDatabase } from '@parley/db/testing'
import { cartRecoveryFlow } from '@parley/flow'
import { type Kysely, sql } from 'kysely'
import { seedMerchant } from '../apps/runtime/src/testing/test-deps.ts'

const SCALE = Number(process.env.BENCH_ANALYTICS_SCALE ?? 1)
const RUNS = Number(process.env.BENCH_ANALYTICS_RUNS ?? 40)
const DAYS_OF_DATA = 180
const OTHER_MERCHANTS = 9
const NOW = Date.UTC(2026, 10, 30, 12, 0, 0)

/** Seconds spent per seeding statement kind (summed over merchants), to see what seeding costs. */
const seedSteps = new Map<string, number>()

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}

interface Size {
  carts: number
  messages: number
  orders: number
}

/**
 * One merchant's store: contacts, a published cart-recovery flow, carts with their episodes (10 % holdout),
 * runs, node visits, messages (bot sends of every status, skipped sends, shopper replies), links with clicks,
 * orders (most tied to an episode), escalated conversations. Returns the flow id.
 */
async function seedStore(db: Kysely<Database>, merchantId: string, size: Size): Promise<string> {
  const doc = JSON.parse(JSON.stringify(cartRecoveryFlow))
  const flow = await db
    .insertInto('flows')
    .values({ merchant_id: merchantId, name: doc.name, document: doc })
    .returning('id')
    .executeTakeFirstOrThrow()
  const version = await db
    .insertInto('flow_versions')
    .values({
      merchant_id: merchantId,
      flow_id: flow.id,
      version: 1,
      document: doc,
      trigger_kinds: ['cart.abandoned'],
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.updateTable('flows').set({ published_version_id: version.id }).where('id', '=', flow.id).execute()
  const channel = await db
    .insertInto('channels')
    .values({ merchant_id: merchantId, kind: 'webchat', name: 'Web chat', config: {} })
    .returning('id')
    .executeTakeFirstOrThrow()
  const contacts = Math.max(1, Math.round(size.carts / 2))
  const now = new Date(NOW).toISOString()
  const span = `${DAYS_OF_DATA} days`
  const m = merchantId
  const run = async (query: ReturnType<typeof sql>) => {
    const started = performance.now()
    await query.execute(db)
    const text = query.compile(db).sql.trim().replace(/\s+/g, ' ')
    const label = /^(insert into \w+|create temp table \w+|\w+ \w+)/.exec(text)?.[0] ?? text
    seedSteps.set(label, (seedSteps.get(label) ?? 0) + (performance.now() - started) / 1000)
  }

  await run(sql`insert into contacts (merchant_id, id, name, opted_out_at, created_at)
    select ${m}::uuid, gen_random_uuid(), 'Shopper ' || g,
      case when g % 50 = 0 then ${now}::timestamptz - (g % ${DAYS_OF_DATA}) * interval '1 day' end,
      ${now}::timestamptz - ${span}::interval
    from generate_series(1, ${contacts}) g`)
  await run(sql`create temp table bench_contacts on commit preserve rows as
    select id, row_number() over (order by id) as n from contacts where merchant_id = ${m}`)
  await run(sql`analyze bench_contacts`)
  await run(sql`insert into conversations (merchant_id, id, contact_id, channel_id, status, queue, escalated_at,
      first_staff_reply_at, resolved_at, unclaimed_at)
    select ${m}::uuid, gen_random_uuid(), c.id, ${channel.id}::uuid,
      case when c.n % 10 = 0 then 'resolved' else 'bot' end,
      case when c.n % 10 = 0 then (array['returns', 'sizing', null])[1 + c.n % 3] end,
      case when c.n % 10 = 0 then ${now}::timestamptz - (c.n % ${DAYS_OF_DATA}) * interval '1 day' end,
      case when c.n % 10 = 0 and c.n % 7 <> 0 then ${now}::timestamptz - (c.n % ${DAYS_OF_DATA}) * interval '1 day'
        + (c.n % 600) * interval '1 second' end,
      case when c.n % 10 = 0 then ${now}::timestamptz - (c.n % ${DAYS_OF_DATA}) * interval '1 day'
        + (c.n % 50) * interval '1 hour' end,
      case when c.n % 70 = 0 then ${now}::timestamptz - (c.n % ${DAYS_OF_DATA}) * interval '1 day'
        + interval '15 minutes' end
    from bench_contacts c`)
  await run(sql`create temp table bench_conversations on commit preserve rows as
    select v.id, v.contact_id, c.n from conversations v join bench_contacts c on c.id = v.contact_id
    where v.merchant_id = ${m}`)
  await run(sql`analyze bench_conversations`)

  // Carts abandoned evenly over the last 180 days.
  await run(sql`insert into carts (merchant_id, id, token, contact_id, value, currency, last_activity_at, status,
      abandoned_at)
    select ${m}::uuid, gen_random_uuid(), 'bench-' || g, c.id, 20 + g % 180, case when g % 5 = 0 then 'EUR' else 'USD' end,
      ${now}::timestamptz - ${span}::interval * (g::float / ${size.carts}), 'abandoned',
      ${now}::timestamptz - ${span}::interval * (g::float / ${size.carts})
    from generate_series(1, ${size.carts}) g
    join bench_contacts c on c.n = 1 + g % ${contacts}`)
  await run(sql`create temp table bench_carts on commit preserve rows as
    select id, contact_id, abandoned_at, value, currency, row_number() over (order by abandoned_at desc) as n
    from carts where merchant_id = ${m}`)
  await run(sql`analyze bench_carts`)

  // Orders: `orders` of them, 4 in 5 for an abandoned cart (the episode records it), the rest direct sales.
  const cartOrders = Math.min(size.carts, Math.round(size.orders * 0.8))
  await run(sql`insert into orders (merchant_id, id, number, contact_id, cart_token, total, currency, status, created_at)
    select ${m}::uuid, gen_random_uuid(), '#' || g, c.contact_id,
      case when g <= ${cartOrders} then 'bench-' || c.n end, c.value, c.currency, 'paid',
      c.abandoned_at + (1 + g % 70) * interval '1 hour'
    from generate_series(1, ${size.orders}) g
    join bench_carts c on c.n = 1 + ((g - 1) * 2) % ${size.carts}`)

  await run(sql`analyze orders`)
  // Episodes: 10 % holdout; ordered carts split into recovered / ordered before a message / after the window.
  await run(sql`insert into cart_episodes (merchant_id, cart_id, contact_id, abandoned_at, expires_at, holdout,
      messages_sent, first_message_at, last_message_at, status, order_id, ordered_at, order_total, order_currency,
      flow_id)
    select ${m}::uuid, c.id, c.contact_id, c.abandoned_at, c.abandoned_at + interval '30 days', c.n % 10 = 0,
      case when c.n % 10 = 0 then 0 else 1 + c.n % 3 end,
      case when c.n % 10 <> 0 then c.abandoned_at + interval '1 hour' end,
      case when c.n % 10 <> 0 then c.abandoned_at + (1 + c.n % 3) * interval '1 day' end,
      case
        when o.id is null then case when c.abandoned_at < ${now}::timestamptz - interval '30 days' then 'expired' else 'open' end
        when c.n % 10 = 0 or c.n % 13 = 0 then 'ordered_without_messages'
        when c.n % 17 = 0 then 'ordered_after_window'
        else 'recovered' end,
      o.id, o.created_at, o.total, o.currency, case when c.n % 10 <> 0 then ${flow.id}::uuid end
    from bench_carts c
    left join orders o on o.merchant_id = ${m} and o.cart_token = 'bench-' || c.n`)

  // A run per messaged cart; the last three days' still going, resting at a wait. Each run's id, conversation and
  // episode (the links below name it) are drawn first, joined by hash on ids (never by an expression per row).
  await run(sql`analyze cart_episodes`)
  await run(sql`create temp table bench_runs on commit preserve rows as
    select gen_random_uuid() as id, v.id as conversation_id, c.contact_id, c.abandoned_at as started_at,
      c.n as cart_n, e.id as episode_id, row_number() over (order by c.abandoned_at) as n
    from bench_carts c
    join bench_conversations v on v.contact_id = c.contact_id
    join cart_episodes e on e.merchant_id = ${m} and e.cart_id = c.id
    where c.n % 10 <> 0`)
  await run(sql`insert into runs (merchant_id, id, flow_id, flow_version_id, contact_id, conversation_id, trigger_kind,
      correlation_key, snapshot, status, outcome, started_at, updated_at, ended_at)
    select ${m}::uuid, r.id, ${flow.id}::uuid, ${version.id}::uuid, r.contact_id, r.conversation_id, 'cart.abandoned',
      'bench-' || r.cart_n,
      jsonb_build_object('status', 'active', 'value', (array['wait-1h', 'wait-23h', 'wait-48h'])[1 + r.cart_n % 3]),
      case when r.started_at > ${now}::timestamptz - interval '3 days' then 'active' else 'done' end,
      case when r.started_at > ${now}::timestamptz - interval '3 days' then null
        when r.cart_n % 3 = 0 then 'recovered' else 'not_recovered' end,
      r.started_at, r.started_at,
      case when r.started_at <= ${now}::timestamptz - interval '3 days' then r.started_at + interval '72 hours' end
    from bench_runs r`)
  await run(sql`analyze bench_runs`)
  const runs = Number(
    (await sql<{ n: string }>`select count(*) as n from bench_runs`.execute(db)).rows[0]?.n ?? 0,
  )

  // Node visits, one row per step with its nodes in the order entered: every run enters the trigger, the first
  // wait and the reminder; two in three go further.
  await run(sql`insert into node_visits (merchant_id, run_id, flow_version_id, node_ids, at)
    select ${m}::uuid, r.id, ${version.id}::uuid, s.nodes, r.started_at + s.step * interval '1 hour'
    from bench_runs r
    cross join (values (array['cart-abandoned', 'wait-1h'], 0), (array['reminder', 'wait-23h'], 1),
      (array['social-proof', 'wait-48h'], 24), (array['personal-offer'], 72)) as s(nodes, step)
    where s.step <= 1 or r.n % 3 <> 0
    order by r.n, s.step`)

  // Messages: bot sends of the recovery steps (every status), skipped sends and shopper replies.
  await run(sql`insert into messages (merchant_id, id, conversation_id, contact_id, direction, author, body, status,
      is_marketing, template_category, cost, cost_currency, skip_reason, run_id, node_id, created_at)
    select ${m}::uuid, gen_random_uuid(), r.conversation_id, r.contact_id,
      case when g % 5 = 4 then 'in' else 'out' end,
      case when g % 5 = 4 then 'shopper' else 'bot' end,
      '{"text":"bench"}'::jsonb,
      case when g % 5 = 4 then 'delivered' else (array['sent', 'delivered', 'read', 'read', 'skipped', 'failed'])[1 + g % 6] end,
      g % 5 <> 4,
      case when g % 5 <> 4 and g % 4 = 0 then 'marketing' end,
      case when g % 5 <> 4 and g % 4 = 0 then 0.0537 end,
      case when g % 5 <> 4 and g % 4 = 0 then 'USD' end,
      case when g % 5 <> 4 and g % 6 = 4 then (array['frequency_cap', 'opted_out', 'outside_window_no_template'])[1 + g % 3] end,
      case when g % 5 <> 4 then r.id end,
      case when g % 5 <> 4 then (array['reminder', 'social-proof', 'personal-offer'])[1 + (g / ${runs}) % 3] end,
      r.started_at + interval '1 hour' + (g / ${runs}) * interval '20 hours' + (g % 5) * interval '1 minute'
    from generate_series(0, ${size.messages - 1}) g
    join bench_runs r on r.n = 1 + g % ${runs}`)

  // A link in every fifth recovery message; one in four clicked.
  await run(sql`insert into message_links (id, merchant_id, message_id, episode_id, target_url, clicks, first_clicked_at,
      last_clicked_at, created_at)
    select md5(random()::text || msg.id::text), ${m}::uuid, msg.id, r.episode_id, 'https://shop.example/cart',
      case when msg.seq % 20 = 0 then 1 else 0 end,
      case when msg.seq % 20 = 0 then msg.created_at + interval '10 minutes' end,
      case when msg.seq % 20 = 0 then msg.created_at + interval '10 minutes' end,
      msg.created_at
    from messages msg
    join bench_runs r on r.id = msg.run_id
    where msg.merchant_id = ${m} and msg.author = 'bot' and msg.seq % 5 = 0`)
  for (const table of ['bench_contacts', 'bench_conversations', 'bench_carts', 'bench_runs'])
    await sql.raw(`drop table ${table}`).execute(db)
  return flow.id
}

/**
 * CPU milliseconds used so far by this database's Postgres backends (from /proc: the cluster of
 * scripts/with-postgres.mjs runs on this machine), or null (PGlite, or another machine's server). With the
 * machine shared, CPU per report is the figure that does not depend on how busy the other processes keep it.
 */
async function postgresCpuMs(): Promise<number | null> {
  if (kind !== 'postgres') return null
  const backends = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database()`.execute(db)
  let ticks = 0
  for (const { pid } of backends.rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks += Number(fields[11]) + Number(fields[12]) // utime + stime, in clock ticks (100 per second)
    } catch {
      return null
    }
  }
  return ticks * 10
}

async function time(label: string, fn: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await fn()
  const times: number[] = []
  const load = loadavg()[0] as number
  const pgBefore = await postgresCpuMs()
  const nodeBefore = process.cpuUsage()
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    await fn()
    times.push(performance.now() - t0)
  }
  const node = process.cpuUsage(nodeBefore)
  const pgAfter = await postgresCpuMs()
  return {
    report: label,
    p50ms: +percentile(times, 50).toFixed(1),
    p95ms: +percentile(times, 95).toFixed(1),
    maxMs: +Math.max(...times).toFixed(1),
    cpuMsPerReport: {
      node: +((node.user + node.system) / 1000 / RUNS).toFixed(1),
      postgres: pgBefore === null || pgAfter === null ? null : +((pgAfter - pgBefore) / RUNS).toFixed(1),
    },
    loadAverage: [+load.toFixed(1), +(loadavg()[0] as number).toFixed(1)],
  }
}

const kind = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'
const database = await createTestDatabase(kind)
const db = database.db
try {
  const main: Size = {
    carts: Math.round(100_000 * SCALE),
    messages: Math.round(1_000_000 * SCALE),
    orders: Math.round(50_000 * SCALE),
  }
  const other: Size = {
    carts: Math.round(main.carts / 10),
    messages: Math.round(main.messages / 10),
    orders: Math.round(main.orders / 10),
  }
  const seedStarted = performance.now()
  const seedCpuBefore = { node: process.cpuUsage(), postgres: await postgresCpuMs() }
  // Seeding skips foreign-key checks (session_replication_role = replica, on one pinned connection: the rows are
  // generated consistent) but not the rollup: the analytics triggers are set to fire always, so the rollup is
  // built by the same triggers as in production.
  await sql`do $$ declare t record; begin
      for t in select tgname, tgrelid::regclass as rel from pg_trigger where tgname like 'analytics\_%' loop
        execute format('alter table %s enable always trigger %I', t.rel, t.tgname);
      end loop;
    end $$`.execute(db)
  const { merchant, flowId } = await db.connection().execute(async (conn) => {
    await sql`set session_replication_role = replica`.execute(conn)
    const merchant = await seedMerchant(conn)
    const flowId = await seedStore(conn, merchant.merchantId, main)
    for (let i = 0; i < OTHER_MERCHANTS; i++)
      await seedStore(conn, (await seedMerchant(conn)).merchantId, other)
    await sql`set session_replication_role = origin`.execute(conn)
    return { merchant, flowId }
  })
  await sql`analyze`.execute(db)
  const seedSeconds = (performance.now() - seedStarted) / 1000
  const seedPostgresCpu = await postgresCpuMs()
  const seedNodeCpu = process.cpuUsage(seedCpuBefore.node)
  const seedCpuSeconds = {
    node: +((seedNodeCpu.user + seedNodeCpu.system) / 1e6).toFixed(1),
    // The seeding connection's backend may have ended by now: then only the backends still open are counted.
    postgres:
      seedPostgresCpu === null || seedCpuBefore.postgres === null
        ? null
        : +((seedPostgresCpu - seedCpuBefore.postgres) / 1000).toFixed(1),
  }
  // The reports are loaded only now, after the long seeding (the code timed is the code at this moment).
  const { conversationReport } = await import('../apps/runtime/src/analytics/conversation-report.ts')
  const { flowKeyNumbers } = await import('../apps/runtime/src/analytics/flow-key-numbers.ts')
  const { flowReport } = await import('../apps/runtime/src/analytics/flow-report.ts')
  const { recoveryCsv } = await import('../apps/runtime/src/analytics/recovery-csv.ts')
  const { recoveryReport } = await import('../apps/runtime/src/analytics/recovery-report.ts')
  const { addDays, dateIn, resolvePeriods } = await import('../apps/runtime/src/analytics/report-period.ts')
  const counts = await sql<{ t: string; n: string }>`
    select 'carts' as t, count(*) as n from carts union all select 'messages', count(*) from messages
    union all select 'orders', count(*) from orders union all select 'cart_episodes', count(*) from cart_episodes
    union all select 'node_visits', count(*) from node_visits union all select 'analytics_hourly', count(*) from analytics_hourly`.execute(
    db,
  )
  const rows = Object.fromEntries(counts.rows.map((r) => [r.t, Number(r.n)]))
  const mainRows = await sql<{
    n: string
  }>`select count(*) as n from messages where merchant_id = ${merchant.merchantId}`.execute(db)

  const today = dateIn(NOW, 'UTC')
  const query = { from: addDays(today, -89), to: today }
  const m = merchant.merchantId
  const results = [
    await time('recovery (90 days + previous 90)', async () =>
      recoveryReport(db, m, await resolvePeriods(db, m, query, NOW)),
    ),
    await time('recovery CSV', async () =>
      recoveryCsv(await recoveryReport(db, m, await resolvePeriods(db, m, query, NOW))),
    ),
    await time('flow + canvas numbers', async () =>
      flowReport(db, m, flowId, (await resolvePeriods(db, m, query, NOW)).current, undefined),
    ),
    await time('conversations', async () =>
      conversationReport(db, m, (await resolvePeriods(db, m, query, NOW)).current),
    ),
    await time('flows list key numbers (30 days)', () => flowKeyNumbers(db, m, NOW)),
  ]
  const sample = await recoveryReport(db, m, await resolvePeriods(db, m, query, NOW))
  console.log(
    JSON.stringify({
      kind,
      scale: SCALE,
      loadAverage: loadavg().map((l) => +l.toFixed(1)),
      seedSeconds: +seedSeconds.toFixed(1),
      seedCpuSeconds,
      seedStepSeconds: Object.fromEntries(
        [...seedSteps].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, +v.toFixed(1)]),
      ),
      rows,
      mainMerchantMessages: Number(mainRows.rows[0]?.n),
      runsPerReport: RUNS,
      sampleTotals: {
        abandoned: sample.totals.abandoned,
        sent: sample.totals.sent,
        recoveredByParley: sample.totals.recoveredByParley,
        revenue: sample.totals.revenue,
      },
    }),
  )
  for (const r of results) console.log(JSON.stringify(r))
} finally {
  await database.close()
}
