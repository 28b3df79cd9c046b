// What the shopper's messages may claim about products comes from the store's own orders: units sold per
// product per day (best-sellers, "12 sold in the last 7 days") and how often two products were bought in one
// order (recommendations). Both are counted as each order first arrives, so they never need a rescan; the
// migration counts the orders already there once.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('product_sales_daily')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    /** The product as orders name it: see apps/runtime/src/commerce/product-keys.ts. */
    .addColumn('product_key', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('units', 'integer', (c) => c.notNull())
    .addColumn('orders', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('product_sales_daily_pkey', ['merchant_id', 'product_key', 'day'])
    .execute()
  await db.schema
    .createTable('product_pairs')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('product_key', 'text', (c) => c.notNull())
    .addColumn('other_key', 'text', (c) => c.notNull())
    .addColumn('orders', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('product_pairs_pkey', ['merchant_id', 'product_key', 'other_key'])
    .execute()
  // The orders already there, counted once with the same keys the runtime uses (product-keys.ts).
  await sql`insert into product_sales_daily (merchant_id, product_key, day, units, orders)
    select o.merchant_id, k.key, (o.created_at at time zone 'UTC')::date, sum(k.quantity), count(distinct o.id)
    from orders o
    cross join lateral (
      select case
          when coalesce(i->>'productId', '') ~ '^[0-9]+$' then 'gid://shopify/Product/' || (i->>'productId')
          when coalesce(i->>'productId', '') <> '' then i->>'productId'
          else 'title:' || lower(i->>'title') end as key,
        greatest(coalesce((i->>'quantity')::int, 1), 1) as quantity
      from jsonb_array_elements(o.items) i where coalesce(i->>'title', i->>'productId', '') <> '') k
    group by 1, 2, 3`.execute(db)
  await sql`insert into product_pairs (merchant_id, product_key, other_key, orders)
    select o.merchant_id, a.key, b.key, count(distinct o.id)
    from orders o
    cross join lateral (select distinct case
        when coalesce(i->>'productId', '') ~ '^[0-9]+$' then 'gid://shopify/Product/' || (i->>'productId')
        when coalesce(i->>'productId', '') <> '' then i->>'productId'
        else 'title:' || lower(i->>'title') end as key
      from jsonb_array_elements(o.items) i where coalesce(i->>'title', i->>'productId', '') <> '') a
    cross join lateral (select distinct case
        when coalesce(i->>'productId', '') ~ '^[0-9]+$' then 'gid://shopify/Product/' || (i->>'productId')
        when coalesce(i->>'productId', '') <> '' then i->>'productId'
        else 'title:' || lower(i->>'title') end as key
      from jsonb_array_elements(o.items) i where coalesce(i->>'title', i->>'productId', '') <> '') b
    where a.key <> b.key
    group by 1, 2, 3`.execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('product_pairs').execute()
  await db.schema.dropTable('product_sales_daily').execute()
}
