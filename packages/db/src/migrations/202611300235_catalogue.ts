// The catalogue: products gain a handle (the store's key, what CSV imports and Shopify sync upsert by), vendor,
// type, status, images and a search text; variants get their own table; imports are jobs with progress that
// survive a page reload, their uploaded file kept in chunks until processed.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('products')
    .addColumn('handle', 'text')
    .addColumn('vendor', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('product_type', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('compare_at_price', sql`numeric(14, 2)`)
    .addColumn('images', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('option_names', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await sql`alter table products add constraint products_status check (status in ('active', 'draft', 'archived'))`.execute(
    db,
  )
  await db.schema
    .createIndex('products_handle_key')
    .on('products')
    .columns(['merchant_id', 'handle'])
    .unique()
    .execute()
  // Full-text search over title, vendor, type, tags, options and SKUs; 'simple' so SKUs and names keep their form.
  // Stored, so ranking reads the vector instead of re-parsing the text of every match.
  await sql`alter table products add column search_vector tsvector
    generated always as (to_tsvector('simple', search_text)) stored`.execute(db)
  await sql`create index products_search_idx on products using gin (search_vector)`.execute(db)

  await db.schema
    .createTable('product_variants')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('product_id', 'uuid', (c) => c.notNull())
    /** The SKU when there is one, else the option values: what a re-import matches on. */
    .addColumn('variant_key', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('sku', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('option1', 'text')
    .addColumn('option2', 'text')
    .addColumn('option3', 'text')
    .addColumn('price', sql`numeric(14, 2)`, (c) => c.notNull())
    .addColumn('compare_at_price', sql`numeric(14, 2)`)
    .addColumn('inventory_quantity', 'integer')
    .addColumn('image_url', 'text')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('product_variants_pkey', ['merchant_id', 'id'])
    .addForeignKeyConstraint(
      'product_variants_product_fkey',
      ['merchant_id', 'product_id'],
      'products',
      ['merchant_id', 'id'],
      (c) => c.onDelete('cascade'),
    )
    .addUniqueConstraint('product_variants_key', ['merchant_id', 'product_id', 'variant_key'])
    .execute()
  await db.schema
    .createIndex('product_variants_sku_idx')
    .on('product_variants')
    .columns(['merchant_id', 'sku'])
    .execute()

  await db.schema
    .createTable('catalogue_imports')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
    .addColumn('bytes_total', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes_done', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('products_created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('products_updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('products_unchanged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    /** The first errors ({ line, handle, message }); error_count counts them all. */
    .addColumn('errors', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('failure', 'text')
    .addColumn('created_by', 'uuid')
    .addColumn('locked_by', 'text')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('catalogue_imports_pkey', ['merchant_id', 'id'])
    .addCheckConstraint('catalogue_imports_source', sql`source in ('csv', 'shopify')`)
    .addCheckConstraint('catalogue_imports_status', sql`status in ('queued', 'running', 'done', 'failed')`)
    .execute()
  await db.schema
    .createIndex('catalogue_imports_history_idx')
    .on('catalogue_imports')
    .columns(['merchant_id', 'created_at'])
    .execute()
  // The background worker's queue, across merchants.
  await sql`create index catalogue_imports_queue_idx on catalogue_imports (created_at) where status in ('queued', 'running')`.execute(
    db,
  )

  await db.schema
    .createTable('catalogue_import_chunks')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('import_id', 'uuid', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('catalogue_import_chunks_pkey', ['merchant_id', 'import_id', 'seq'])
    .addForeignKeyConstraint(
      'catalogue_import_chunks_import_fkey',
      ['merchant_id', 'import_id'],
      'catalogue_imports',
      ['merchant_id', 'id'],
      (c) => c.onDelete('cascade'),
    )
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('catalogue_import_chunks').ifExists().execute()
  await db.schema.dropTable('catalogue_imports').ifExists().execute()
  await db.schema.dropTable('product_variants').ifExists().execute()
  await sql`drop index if exists products_search_idx`.execute(db)
  await sql`alter table products drop column if exists search_vector`.execute(db)
  await sql`drop index if exists products_handle_key`.execute(db)
  await sql`alter table products drop constraint if exists products_status`.execute(db)
  await db.schema
    .alterTable('products')
    .dropColumn('handle')
    .dropColumn('vendor')
    .dropColumn('product_type')
    .dropColumn('status')
    .dropColumn('compare_at_price')
    .dropColumn('images')
    .dropColumn('option_names')
    .dropColumn('search_text')
    .execute()
}
