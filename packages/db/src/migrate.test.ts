import { sql } from 'kysely'
import type { MigrationInfo } from 'kysely/migration'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MigrationError, migrateToLatest, migrateToNothing, nextGroup } from './migrate.ts'
import { migrations } from './migrations/index.ts'
import { openDatabase } from './open-database.ts'
import type { TableName } from './schema/index.ts'
import { createTestDatabase, type TestDatabase, testDatabases } from './testing.ts'

// Kept in step with the Database interface by the `satisfies` below.
const everyTable = {
  merchants: true,
  users: true,
  sessions: true,
  api_keys: true,
  invites: true,
  escalation_queues: true,
  channels: true,
  contacts: true,
  contact_identities: true,
  conversations: true,
  messages: true,
  flows: true,
  flow_versions: true,
  runs: true,
  timers: true,
  outbox: true,
  receipts: true,
  send_pacing: true,
  node_visits: true,
  template_spend: true,
  carts: true,
  orders: true,
  products: true,
  deleted_products: true,
  privacy_requests: true,
  product_variants: true,
  catalogue_imports: true,
  catalogue_import_chunks: true,
  conversation_reads: true,
  canned_replies: true,
  webchat_photos: true,
  cart_episodes: true,
  message_links: true,
  analytics_hourly: true,
  inbound_bursts: true,
  analytics_episodes_hourly: true,
  product_sales_daily: true,
  product_pairs: true,
  llm_settings: true,
  llm_answers: true,
} as const satisfies Record<TableName, true>

/**
 * Tables owned by a library, outside the Database interface and not tenant data: rate-limiter-flexible's
 * counters are keyed by address, email or channel across tenants (202611292300_rate_limits).
 */
const libraryTables = ['rate_limits']
const tenantTables = Object.keys(everyTable)
const allTables = [...tenantTables, ...libraryTables].sort()

async function publicTables(t: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(t.db)
  return rows.map((r) => r.table_name)
}

describe.each(testDatabases())('migrations on %s', (kind) => {
  let t: TestDatabase
  beforeAll(async () => {
    // The migrations themselves, on an empty database: not a copy of the test template (testing.ts).
    t = await createTestDatabase(kind, { migrate: false })
    await migrateToLatest(t.db)
  })
  afterAll(() => t?.close())

  it('creates every table of the data model', async () => {
    expect(await publicTables(t)).toEqual(allTables)
  })

  it('gives every table but merchants a merchant_id leading its primary key', async () => {
    const { rows } = await sql<{ table_name: string; first_column: string }>`
      select c.relname as table_name, a.attname as first_column
      from pg_index i
      join pg_class c on c.oid = i.indrelid
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
      where i.indisprimary and n.nspname = 'public' and c.relname not like 'kysely_%'
        and c.relname <> all(${libraryTables})`.execute(t.db)
    for (const { table_name, first_column } of rows) {
      expect([table_name, first_column]).toEqual([
        table_name,
        table_name === 'merchants' ? 'id' : 'merchant_id',
      ])
    }
    expect(rows).toHaveLength(tenantTables.length)
  })

  it('leads every unique key with merchant_id', async () => {
    const { rows } = await sql<{ index_name: string; first_column: string }>`
      select ic.relname as index_name, a.attname as first_column
      from pg_index i
      join pg_class c on c.oid = i.indrelid
      join pg_class ic on ic.oid = i.indexrelid
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
      where i.indisunique and n.nspname = 'public' and c.relname not in ('merchants')
        and c.relname not like 'kysely_%' and c.relname <> all(${libraryTables})`.execute(t.db)
    expect(rows.length).toBeGreaterThan(20)
    expect(rows.filter((r) => r.first_column !== 'merchant_id')).toEqual([])
  })

  it('builds the indexes of the migrations that run alone (concurrently, outside a transaction), valid', async () => {
    const alone = Object.entries(migrations).filter(([, m]) => m.transaction === false)
    expect(alone.map(([name]) => name)).toEqual([
      '202612082300_receipts_age_brin',
      '202612082305_contacts_phone_index',
      '202612090000_contacts_lookup_expression_indexes',
      '202612090005_orders_external_id_index',
    ])
    const { rows } = await sql<{ relname: string; indisvalid: boolean }>`
      select c.relname, i.indisvalid from pg_index i join pg_class c on c.oid = i.indexrelid
      where c.relname in ('receipts_received_brin', 'contacts_phone_idx', 'contacts_email_idx',
        'contacts_email_lower_idx', 'contacts_phone_digits_idx', 'orders_external_id_idx')
      order by c.relname`.execute(t.db)
    // contacts_phone_idx and contacts_email_idx were replaced by expression indexes (202612090000).
    expect(rows).toEqual([
      { relname: 'contacts_email_lower_idx', indisvalid: true },
      { relname: 'contacts_phone_digits_idx', indisvalid: true },
      { relname: 'orders_external_id_idx', indisvalid: true },
      { relname: 'receipts_received_brin', indisvalid: true },
    ])
  })

  it('is a no-op when already at the latest migration', async () => {
    expect(await migrateToLatest(t.db)).toEqual([])
  })

  it('migrates down to nothing and up again', async () => {
    await migrateToNothing(t.db)
    expect(await publicTables(t)).toEqual([])
    expect(await migrateToLatest(t.db)).toEqual(Object.keys(migrations))
    expect(await publicTables(t)).toEqual(allTables)
  })
})

describe.each(testDatabases())('a failing migration on %s', (kind) => {
  it('throws a MigrationError naming the migration and leaves nothing half-applied', async () => {
    const t = await createTestDatabase(kind, { migrate: false })
    try {
      await sql`create table carts (id int)`.execute(t.db)
      const error = await migrateToLatest(t.db).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(MigrationError)
      expect((error as MigrationError).migration).toBe('202611261300_initial_schema')
      expect((error as Error).message).toMatch(/202611261300_initial_schema.*failed.*carts/)
      expect(await publicTables(t)).toEqual(['carts'])
    } finally {
      await t.close()
    }
  })
})

describe('which pending migrations run together', () => {
  const pending = (name: string, alone = false): MigrationInfo => ({
    name,
    migration: { up: async () => {}, ...(alone ? { transaction: false } : {}) },
    executedAt: undefined,
  })

  it('takes those up to the next that runs alone in one transaction, then that one by itself', () => {
    const all = [pending('a'), pending('b'), pending('c', true), pending('d', true), pending('e')]
    expect(nextGroup(all)).toEqual({ last: 'b', transaction: true })
    expect(nextGroup(all.slice(2))).toEqual({ last: 'c', transaction: false })
    expect(nextGroup(all.slice(3))).toEqual({ last: 'd', transaction: false })
    expect(nextGroup(all.slice(4))).toEqual({ last: 'e', transaction: true })
    expect(nextGroup([])).toBeNull()
  })
})

describe.runIf(testDatabases().includes('postgres'))('replicas starting together on postgres', () => {
  it('apply each migration once between them, one waiting for the other', async () => {
    const t = await createTestDatabase('postgres', { migrate: false })
    const url = t.pool?.options.connectionString
    if (!url) throw new Error('the Postgres test database has no connection string')
    const replica = await openDatabase({ url, migrate: false, poolSize: 1 })
    try {
      const [first, second] = await Promise.all([migrateToLatest(t.db), migrateToLatest(replica.db)])
      expect([...first, ...second].sort()).toEqual(Object.keys(migrations).sort())
      const { rows } = await sql<{ runs: number }>`
        select count(*)::int as runs from kysely_migration`.execute(t.db)
      expect(rows[0]?.runs).toBe(Object.keys(migrations).length)
      expect(await publicTables(t)).toEqual(allTables)
    } finally {
      await replica.close()
      await t.close()
    }
  }, 120_000)
})
