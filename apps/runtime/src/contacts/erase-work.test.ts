// Erasing shoppers reads each row it deletes a bounded number of times, never a whole table per row. The erase
// relies on the foreign keys: per contact deleted Postgres deletes its runs and conversations, per conversation
// it checks runs and the outbox, per run it checks messages and nulls the outbox's run. Each of those is one
// statement keyed by the referencing columns; without an index that leads with them it reads the whole table
// (every tenant's rows), once per row deleted: for a shop with 100,000 shoppers, hours under lock. The work is
// counted, not timed: the rows the transaction read from each table (`pg_stat_xact_user_tables`: sequential-scan
// rows plus rows fetched through indexes), read inside the erase's own transaction, so no other session's work and
// no stats delay enter the count.
import type { Database } from '@parley/db'
import { createTestDatabase, type TestDatabase, testDatabases } from '@parley/db/testing'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findActiveRunIds } from '../engine/run-store.ts'
import { loadInboxContext } from '../inbox/inbox-context.ts'
import { seedRecoveryConversation } from '../testing/engine-fixtures.ts'
import { capturingDb, genericPlan } from '../testing/generic-plans.ts'
import { seedMerchant } from '../testing/test-deps.ts'
import { deleteShopData } from './shop-redaction.ts'
import { redactShopper } from './shopper-privacy.ts'

/** The tables a shopper's rows live in or point from. */
const TABLES = ['contacts', 'conversations', 'runs', 'messages', 'outbox', 'carts', 'cart_episodes'] as const
type TableName = (typeof TABLES)[number]

// A shop big enough that a scan per row is millions of rows read, small enough to seed in well under a minute.
// PGlite seeds slower, so it gets a smaller shop; the bounds below are linear in the rows either way.
const SHOPPERS = Number(process.env.ERASE_TEST_SHOPPERS ?? 0) || undefined

async function rowsRead(db: Kysely<Database>): Promise<Map<TableName, number>> {
  const { rows } = await sql<{ relname: TableName; read: string }>`
    select relname, coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) as read
    from pg_stat_xact_user_tables where relname in (${sql.join(TABLES)})`.execute(db)
  return new Map(rows.map((r) => [r.relname, Number(r.read)]))
}

async function tableRows(db: Kysely<Database>): Promise<Map<TableName, number>> {
  const counts = new Map<TableName, number>()
  for (const table of TABLES) {
    const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)
    counts.set(table, Number(rows[0]?.n))
  }
  return counts
}

/** Runs `erase` in a transaction and returns the rows it read from each table. */
async function workOf(
  db: Kysely<Database>,
  erase: (trx: Kysely<Database>) => Promise<unknown>,
): Promise<Map<TableName, number>> {
  return db.transaction().execute(async (trx) => {
    const before = await rowsRead(trx)
    await erase(trx)
    const after = await rowsRead(trx)
    return new Map(TABLES.map((t) => [t, (after.get(t) ?? 0) - (before.get(t) ?? 0)]))
  })
}

/**
 * `shoppers` contacts of one merchant, each with a conversation, a run of a flow, a transcript of three
 * messages (the bot's two by the run), a sent outbox row by the run, and a cart with an open episode.
 */
async function seedShop(db: Kysely<Database>, merchantId: string, shoppers: number) {
  const shop = await seedRecoveryConversation(db, merchantId)
  const { channel_id: channelId } = await db
    .selectFrom('conversations')
    .select('channel_id')
    .where('id', '=', shop.conversationId)
    .executeTakeFirstOrThrow()
  await sql`
    with c as (
      insert into contacts (merchant_id, name, email)
      select ${merchantId}, 'Shopper ' || g, 'shopper-' || g || '@' || ${merchantId} || '.example'
      from generate_series(1, ${shoppers}) g
      returning id),
    cv as (
      insert into conversations (merchant_id, contact_id, channel_id)
      select ${merchantId}, id, ${channelId} from c returning id, contact_id),
    r as (
      insert into runs (merchant_id, flow_id, flow_version_id, contact_id, conversation_id, trigger_kind, snapshot)
      select ${merchantId}, ${shop.flowId}, ${shop.versionId}, contact_id, id, 'cart.abandoned', '{"value":"wait"}'
      from cv returning id, conversation_id, contact_id),
    m as (
      insert into messages (merchant_id, conversation_id, contact_id, run_id, direction, author, body, status)
      select ${merchantId}, r.conversation_id, r.contact_id, case when k = 1 then null else r.id end,
        case when k = 1 then 'in' else 'out' end, case when k = 1 then 'shopper' else 'bot' end,
        jsonb_build_object('text', 'hello ' || k), 'delivered'
      from r cross join generate_series(1, 3) k
      returning id, conversation_id, run_id, body)
    insert into outbox (merchant_id, run_id, message_id, conversation_id, channel_id, payload, status, sent_at)
    select ${merchantId}, run_id, id, conversation_id, ${channelId}, '{"kind":"text"}', 'sent', now()
    from m where body ->> 'text' = 'hello 3'`.execute(db)
  await sql`
    with k as (
      insert into carts (merchant_id, contact_id, token, value, currency, last_activity_at)
      select ${merchantId}, id, 'cart-' || id, 10, 'EUR', now()
      from contacts where merchant_id = ${merchantId}
      returning id, contact_id)
    insert into cart_episodes (merchant_id, cart_id, contact_id, abandoned_at, expires_at, holdout)
    select ${merchantId}, id, contact_id, now(), now() + interval '7 days', false from k`.execute(db)
  return { channelId, contactId: shop.contactId }
}

async function merchantRows(db: Kysely<Database>, merchantId: string): Promise<Map<TableName, number>> {
  const counts = new Map<TableName, number>()
  for (const table of TABLES) {
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from ${sql.table(table)} where merchant_id = ${merchantId}`.execute(db)
    counts.set(table, Number(rows[0]?.n))
  }
  return counts
}

describe.each(testDatabases())('erasing shoppers on %s', (kind) => {
  const shoppers = SHOPPERS ?? (kind === 'postgres' ? 10_000 : 2_500)
  let t: TestDatabase
  let shopId: string
  let otherId: string
  let shop: Awaited<ReturnType<typeof seedShop>>

  beforeAll(async () => {
    t = await createTestDatabase(kind)
    shopId = (await seedMerchant(t.db)).merchantId
    otherId = (await seedMerchant(t.db)).merchantId
    shop = await seedShop(t.db, shopId, shoppers)
    // Another tenant's rows share every table: a scan per row reads them too.
    await seedShop(t.db, otherId, Math.ceil(shoppers / 4))
    // The plans a store's database gets once autovacuum has seen the tables.
    await sql`analyze`.execute(t.db)
  }, 600_000)
  afterAll(async () => {
    await t?.close()
  })

  it("erases one shopper reading only that shopper's rows", async () => {
    const before = await merchantRows(t.db, shopId)
    const contacts = (await tableRows(t.db)).get('contacts') ?? 0
    const read = await workOf(t.db, async (trx) => {
      expect(await redactShopper(trx, shopId, { email: `shopper-7@${shopId}.example` })).toBe(1)
    })
    const after = await merchantRows(t.db, shopId)
    // Exactly one shopper's rows went: their contact, conversation, run, three messages, outbox row; the cart
    // stays, without the contact (orders and carts are the merchant's books).
    expect(
      Object.fromEntries(TABLES.map((table) => [table, (before.get(table) ?? 0) - (after.get(table) ?? 0)])),
    ).toEqual({
      contacts: 1,
      conversations: 1,
      runs: 1,
      messages: 3,
      outbox: 1,
      carts: 0,
      cart_episodes: 0,
    })
    // A handful of rows per table, whatever the shop's size (a scan would read every tenant's rows). Finding the
    // shopper reads the contacts once (`lower(email)` and the phone's digits have no index, so the planner scans
    // the table): one pass per request, not per row.
    for (const table of TABLES)
      expect(read.get(table), table).toBeLessThanOrEqual(table === 'contacts' ? contacts + 20 : 20)
  })

  it("deletes a shop's data reading each table a bounded number of times, the other tenant's rows untouched", async () => {
    const total = await tableRows(t.db)
    const other = await merchantRows(t.db, otherId)
    const read = await workOf(t.db, (trx) => deleteShopData(trx, shopId, shop.channelId))
    expect(Object.fromEntries((await merchantRows(t.db, shopId)).entries())).toEqual(
      Object.fromEntries(TABLES.map((table) => [table, 0])),
    )
    expect(await merchantRows(t.db, otherId)).toEqual(other)
    // Linear: each row read a few times (the delete itself, a foreign key's check or cascade), never once per
    // deleted row of another table. A scan per row would read shoppers × rows.
    for (const table of TABLES)
      expect(read.get(table), table).toBeLessThanOrEqual(4 * (total.get(table) ?? 0) + 100)
  })

  // On the seeded shop's statistics (a fixture of one contact would make every index look alike to the planner).
  it("reads a contact's active runs and a conversation's latest run by the indexes the erase uses", async () => {
    const { contactId, conversationId } = await t.db
      .selectFrom('runs')
      .select(['contact_id as contactId', 'conversation_id as conversationId'])
      .where('merchant_id', '=', otherId)
      .limit(1)
      .executeTakeFirstOrThrow()
    expect(await findActiveRunIds(t.db, otherId, { contactId })).toHaveLength(1)
    const plansOf = async (run: (db: Kysely<Database>) => Promise<unknown>) => {
      const { db, sent } = capturingDb(t.db)
      await run(db)
      return Promise.all(sent.map((query) => genericPlan(t.db, query)))
    }
    const [active] = await plansOf((db) => findActiveRunIds(db, otherId, { contactId }))
    // The status is in the key: only the contact's active runs are read, not every run they ever had.
    expect(active).toContain('runs_contact_status_idx')
    expect(active).toMatch(/Index Cond: .*status = /)
    const context = await plansOf((db) => loadInboxContext(db, otherId, conversationId as string))
    expect(context.find((plan) => plan.includes(' on runs'))).toContain('runs_conversation_idx')
  })
})
