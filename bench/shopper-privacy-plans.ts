// What a shopper-privacy request (Shopify's customers/redact and customers/data_request) costs a shop with many
// contacts: EXPLAIN (ANALYZE, BUFFERS) of contacts/shopper-privacy.ts `findShopperContactIds`, before (main's
// statement at e1051ab on the indexes it had, contacts_email_idx and contacts_phone_idx, and no index on
// orders.external_id) and after (today's statement on migration 202612090000's expression indexes and
// 202612090005's orders_external_id_idx). Postgres only:
//   node scripts/with-postgres.mjs sh -c 'cd bench && node --import tsx shopper-privacy-plans.ts 200000'
import type { Database } from '@parley/db'
import { createTestDatabase } from '@parley/db/testing'
import { type CompiledQuery, type Kysely, sql } from 'kysely'
import { findShopperContactIds, type ShopperRef } from '../apps/runtime/src/contacts/shopper-privacy.ts'
import { capturingDb } from '../apps/runtime/src/testing/generic-plans.ts'
import { seedMerchant } from '../apps/runtime/src/testing/test-deps.ts'
import * as expressionIndexes from '../packages/db/src/migrations/202612090000_contacts_lookup_expression_indexes.ts'
import * as ordersExternalIdIndex from '../packages/db/src/migrations/202612090005_orders_external_id_index.ts'

const contacts = Number(process.argv[2] ?? 200_000)
if (!process.env.TEST_DATABASE_URL) throw new Error('Run through scripts/with-postgres.mjs')
const database = await createTestDatabase('postgres')
try {
  const db = database.db
  const { merchantId } = await seedMerchant(db)
  const other = await seedMerchant(db)
  // 90% with an email (mixed case, as some stores send it), half with a phone in a store's format; an order for
  // every tenth contact. Another shop with a quarter as many, so merchant_id is not the whole table.
  for (const [merchant, n] of [
    [merchantId, contacts],
    [other.merchantId, Math.floor(contacts / 4)],
  ] as const) {
    await sql`insert into contacts (merchant_id, email, phone, created_at, updated_at)
      select ${merchant}::uuid,
        case when i % 10 <> 0 then 'Shopper' || i || '@Example.com' end,
        case when i % 2 = 0 then '+1 (555) ' || lpad(i::text, 7, '0') end,
        now(), now()
      from generate_series(1, ${n}::int) as i`.execute(db)
    await sql`insert into orders (merchant_id, number, external_id, contact_id, total, currency, status)
      select merchant_id, '#' || row_number() over (), (5000000 + row_number() over ())::text, id, 10, 'USD', 'paid'
      from contacts where merchant_id = ${merchant}::uuid and random() < 0.1`.execute(db)
  }
  await sql`vacuum analyze contacts`.execute(db)
  await sql`vacuum analyze orders`.execute(db)

  const i = Math.floor(contacts / 2) + 2
  const ref: ShopperRef = {
    email: `shopper${i}@example.com`,
    phone: `+1 555 ${String(i).padStart(7, '0')}`,
    orderIds: ['5000007', '5000011'],
  }
  const { db: capturing, sent } = capturingDb(db)
  const found = await findShopperContactIds(capturing, merchantId, ref)
  const [after] = sent
  if (!after) throw new Error('no statement')
  await explain(db, 'after (today, expression indexes, orders_external_id_idx)', after)

  // Before: main's indexes (the migrations' down) and main's statement.
  await ordersExternalIdIndex.down(db)
  await expressionIndexes.down(db)
  await sql`analyze contacts`.execute(db)
  await explain(
    db,
    'before (main e1051ab, contacts_email_idx / contacts_phone_idx, no orders index)',
    mainLookup(db, merchantId, ref),
  )
  const { rows } = await db.executeQuery<{ id: string }>(mainLookup(db, merchantId, ref))
  console.log(
    `same contacts before and after: ${JSON.stringify(rows.map((r) => r.id).sort()) === JSON.stringify([...found].sort())} (${found.length})`,
  )
} finally {
  await database.close()
}

/** Runs the statement 5 times with its values bound, as the pool sends it; prints the last run's plan. */
async function explain(db: Kysely<Database>, label: string, query: CompiledQuery) {
  let plan: string[] = []
  for (let run = 0; run < 5; run++) {
    const { rows } = await db.executeQuery<{ 'QUERY PLAN': string }>({
      ...query,
      sql: `explain (analyze, buffers) ${query.sql}`,
    })
    plan = rows.map((r) => r['QUERY PLAN'])
  }
  console.log(`\n── ${label}\n${plan.join('\n')}`)
}

/** main's `findShopperContactIds` statement (e1051ab), for the comparison. */
function mainLookup(db: Kysely<Database>, merchantId: string, ref: ShopperRef): CompiledQuery {
  const email = ref.email?.trim().toLowerCase() ?? ''
  const digits = (ref.phone ?? '').replace(/\D/g, '')
  const orderIds = [...(ref.orderIds ?? [])]
  return db
    .selectFrom('contacts')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['email']), '=', email),
        eb(sql<string>`regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g')`, '=', digits),
        eb(
          'id',
          'in',
          eb
            .selectFrom('contact_identities')
            .innerJoin('channels', (j) =>
              j
                .onRef('channels.merchant_id', '=', 'contact_identities.merchant_id')
                .onRef('channels.id', '=', 'contact_identities.channel_id'),
            )
            .select('contact_identities.contact_id')
            .where('contact_identities.merchant_id', '=', merchantId)
            .where('channels.kind', '=', 'whatsapp')
            .where('contact_identities.external_id', '=', digits),
        ),
        eb(
          'id',
          'in',
          eb
            .selectFrom('orders')
            .select('contact_id')
            .where('merchant_id', '=', merchantId)
            .where('external_id', 'in', orderIds)
            .where('contact_id', 'is not', null)
            .$narrowType<{ contact_id: string }>(),
        ),
      ]),
    )
    .compile()
}
