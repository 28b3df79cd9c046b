// The staff inbox list (issue 12, acceptance 3): one store with 10,000 open conversations (2,000 waiting for a
// person in two queues, 1,000 assigned to the agent, 7,000 with the bot) and 3,000 resolved, three messages each,
// orders for a fifth of the shoppers; two other stores with 5,000 conversations each beside it. Then p50/p95 of
// each view's first page, a deep keyset page, the filters and the searches, through listInbox (the route's
// whole database work: the page, its last messages, the agent's unread counts and the view counts).
//   cd bench && node --import tsx inbox-list.bench.ts                      (PGlite)
//   node scripts/with-postgres.mjs sh -c 'cd bench && node --import tsx inbox-list.bench.ts'   (Postgres)
import { loadavg } from 'node:os'
import type { Database } from '@parley/db'
import { createTestDatabase } from '@parley/db/testing'
import { type Kysely, sql } from 'kysely'
import { listInbox } from '../apps/runtime/src/inbox/inbox-list.ts'
import { seedMerchant, seedUser } from '../apps/runtime/src/testing/test-deps.ts'

type InboxListQuery = Parameters<typeof listInbox>[3]

const OPEN = Number(process.env.INBOX_BENCH_OPEN ?? 10_000)
const RUNS = Number(process.env.INBOX_BENCH_RUNS ?? 40)
const P95_BUDGET_MS = 300

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}

/** One store's conversations, written set-based (generate_series), so seeding 13,000 takes seconds. */
async function seedStore(db: Kysely<Database>, open: number, resolved: number, agentId: string | null) {
  const m = await seedMerchant(db)
  const merchantId = m.merchantId
  const agent = agentId ?? (await seedUser(db, merchantId, { role: 'agent' })).userId
  const channels = await db
    .insertInto('channels')
    .values([
      { merchant_id: merchantId, kind: 'webchat', name: 'Web chat', config: {} },
      { merchant_id: merchantId, kind: 'whatsapp', name: 'WhatsApp', config: {} },
    ])
    .returning('id')
    .execute()
  const total = open + resolved
  const base = Date.UTC(2026, 10, 1)
  await sql`insert into contacts (merchant_id, name, email, phone)
    select ${merchantId}::uuid, 'Shopper ' || i || ' ' || (array['Lee','Khan','Silva','Novak','Okafor'])[1 + i % 5],
      'shopper' || i || '@example.com', '+44 7700 ' || lpad(i::text, 6, '0')
    from generate_series(1, ${total}) i`.execute(db)
  await sql`insert into conversations (merchant_id, contact_id, channel_id, status, queue, assigned_user_id,
      escalated_at, last_message_at, resolved_at)
    select ${merchantId}::uuid, c.id,
      case when c.n % 2 = 0 then ${channels[0]!.id}::uuid else ${channels[1]!.id}::uuid end,
      case when c.n > ${open} then 'resolved' when c.n % 10 < 2 then 'waiting' when c.n % 10 = 2 then 'assigned' else 'bot' end,
      case when c.n % 10 < 3 then (array['returns','sales'])[1 + c.n % 2] end,
      case when c.n <= ${open} and c.n % 10 = 2 then ${agent}::uuid end,
      case when c.n % 10 < 3 then to_timestamp(${base / 1000} + c.n * 97) end,
      to_timestamp(${base / 1000} + c.n * 131),
      case when c.n > ${open} then to_timestamp(${base / 1000} + c.n * 131) end
    from (select id, row_number() over (order by id) as n from contacts where merchant_id = ${merchantId}) c`.execute(
    db,
  )
  const words = `'Is the linen shirt available in medium', 'Where is my parcel', 'I want to return my order',
    'Does it run true to size', 'Can I change the delivery address', 'The zip broke after a week'`
  await sql`insert into messages (merchant_id, conversation_id, contact_id, direction, author, body, status, created_at)
    select c.merchant_id, c.id, c.contact_id,
      case when k = 2 then 'out' else 'in' end, case when k = 2 then 'bot' else 'shopper' end,
      jsonb_build_object('text', (array[${sql.raw(words)}])[1 + (abs(hashtext(c.id::text)) + k) % 6]),
      'delivered',
      c.last_message_at - make_interval(mins => 3 - k)
    from conversations c cross join generate_series(1, 3) k where c.merchant_id = ${merchantId}`.execute(db)
  await sql`insert into orders (merchant_id, number, contact_id, total, currency, status)
    select ${merchantId}::uuid, '#' || (1000 + n), id, 58, 'GBP', 'shipped'
    from (select id, row_number() over (order by id) as n from contacts where merchant_id = ${merchantId}) c
    where n % 5 = 0`.execute(db)
  return { merchantId, agentId: agent, channelId: channels[0]!.id }
}

async function main() {
  const kind = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'
  const database = await createTestDatabase(kind)
  const db = database.db
  try {
    const seedStarted = performance.now()
    const store = await seedStore(db, OPEN, 3_000, null)
    await seedStore(db, 5_000, 0, null)
    await seedStore(db, 5_000, 0, null)
    await sql`analyze`.execute(db)
    const seedMs = performance.now() - seedStarted

    const page1 = await listInbox(db, store.merchantId, store.agentId, query({ view: 'open' }))
    let deep = page1.nextCursor
    for (let i = 0; i < 20 && deep; i++) {
      deep = (await listInbox(db, store.merchantId, store.agentId, query({ view: 'open', cursor: deep })))
        .nextCursor
    }
    const cases: [string, Partial<InboxListQuery>][] = [
      ['waiting (oldest first)', { view: 'waiting' }],
      ['mine', { view: 'mine' }],
      ['all open', { view: 'open' }],
      ['resolved', { view: 'resolved' }],
      ['all open, page 22 (keyset)', { view: 'open', cursor: deep ?? undefined }],
      ['waiting, queue + channel', { view: 'waiting', queue: 'returns', channelId: store.channelId }],
      ['search: name', { view: 'open', q: 'Okafor' }],
      ['search: message words', { view: 'open', q: 'linen shirt' }],
      ['search: phone', { view: 'open', q: '07700 004242' }],
      ['search: order number', { view: 'open', q: '#1420' }],
    ]
    const load = loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')
    console.log(
      `inbox list on ${kind}: ${OPEN} open + 3000 resolved (+ 2 × 5000 other stores), seeded in ${(seedMs / 1000).toFixed(1)} s; load average ${load}`,
    )
    console.log('| Query | Rows | p50 ms | p95 ms |')
    console.log('|---|---:|---:|---:|')
    let worst = 0
    for (const [name, q] of cases) {
      const times: number[] = []
      let rows = 0
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now()
        const result = await listInbox(db, store.merchantId, store.agentId, query(q))
        times.push(performance.now() - started)
        rows = result.conversations.length
      }
      const p95 = percentile(times, 95)
      worst = Math.max(worst, p95)
      console.log(`| ${name} | ${rows} | ${percentile(times, 50).toFixed(1)} | ${p95.toFixed(1)} |`)
    }
    console.log(
      `worst p95 ${worst.toFixed(1)} ms (budget ${P95_BUDGET_MS} ms): ${worst <= P95_BUDGET_MS ? 'within' : 'OVER'}`,
    )
    console.log(
      `load average after: ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    )
    if (worst > P95_BUDGET_MS) process.exitCode = 1
  } finally {
    await database.close()
  }
}

function query(q: Partial<InboxListQuery>): InboxListQuery {
  return { status: 'open', assigned: 'anyone', limit: 50, ...q }
}

await main()
