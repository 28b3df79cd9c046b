// Units sold per product per day and products bought together, counted as each order first arrives (an order
// sent twice is counted once: the caller counts only an order it inserted). Social proof and recommendations
// read these counters, never a claim the store cannot back.
import type { Database } from '@parley/db'
import { type Kysely, sql, type Transaction } from 'kysely'
import { productKey } from './product-keys.ts'

type Db = Kysely<Database> | Transaction<Database>

const MAX_PAIRED = 20

interface SoldItem {
  title?: unknown
  productId?: unknown
  quantity?: unknown
}

/** Counts one new order's items into the daily sales and the bought-together pairs. */
export async function countOrderSales(
  db: Db,
  merchantId: string,
  items: readonly SoldItem[],
  orderedAt: Date,
): Promise<void> {
  const units = new Map<string, number>()
  for (const item of items) {
    const key = productKey(item)
    if (!key) continue
    const quantity = typeof item.quantity === 'number' && item.quantity > 0 ? Math.floor(item.quantity) : 1
    units.set(key, (units.get(key) ?? 0) + quantity)
  }
  if (units.size === 0) return
  const day = orderedAt.toISOString().slice(0, 10)
  // Keys in order, so two orders counting the same products lock their rows in the same order.
  const keys = [...units.keys()].sort()
  await db
    .insertInto('product_sales_daily')
    .values(
      keys.map((key) => ({
        merchant_id: merchantId,
        product_key: key,
        day: sql<Date>`${day}::date`,
        units: units.get(key)!,
        orders: 1,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['merchant_id', 'product_key', 'day']).doUpdateSet({
        units: sql`product_sales_daily.units + excluded.units`,
        orders: sql`product_sales_daily.orders + 1`,
      }),
    )
    .execute()
  // Bought together, among the order's first products (an order of 200 lines would be 40,000 pairs).
  const paired = keys.slice(0, MAX_PAIRED)
  const pairs = paired.flatMap((a) => paired.filter((b) => b !== a).map((b) => [a, b] as const))
  if (pairs.length === 0) return
  await db
    .insertInto('product_pairs')
    .values(pairs.map(([a, b]) => ({ merchant_id: merchantId, product_key: a, other_key: b, orders: 1 })))
    .onConflict((oc) =>
      oc
        .columns(['merchant_id', 'product_key', 'other_key'])
        .doUpdateSet({ orders: sql`product_pairs.orders + 1` }),
    )
    .execute()
}

/** Units of each product sold from `since` (by day, UTC) until now, for the keys asked. */
export async function unitsSoldSince(
  db: Db,
  merchantId: string,
  keys: readonly string[],
  since: Date,
): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map()
  const rows = await db
    .selectFrom('product_sales_daily')
    .select(['product_key', sql<number>`sum(units)::int`.as('units')])
    .where('merchant_id', '=', merchantId)
    .where('product_key', 'in', [...keys])
    .where('day', '>=', sql<Date>`${since.toISOString().slice(0, 10)}::date`)
    .groupBy('product_key')
    .execute()
  return new Map(rows.map((r) => [r.product_key, Number(r.units)]))
}
