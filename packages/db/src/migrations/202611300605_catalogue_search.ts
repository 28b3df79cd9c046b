// Catalogue search with margin (issue 11 bench): the GIN index on search_vector without a pending list, and a
// (merchant, title, id) index for browsing.
//  - fastupdate = off: with it on, rows written by an import sit in the index's unsorted pending list until a
//    vacuum; while it is long, the planner prices the GIN index above a sequential scan of every product and
//    reading the list slows the searches that do use it. Off, each write sorts its entries in at once (the
//    import's time barely moves: BENCHMARKS.md) and search is as fast right after an import as later.
//  - (merchant_id, title, id) serves browsing's order by title, id with a limit, stopping after offset + limit
//    entries, instead of sorting ties on title in memory; it replaces (merchant_id, title).
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter index products_search_idx set (fastupdate = off)`.execute(db)
  // Entries already pending move into the index proper now, not at the next vacuum.
  await sql`select gin_clean_pending_list('products_search_idx'::regclass)`.execute(db)
  await db.schema
    .createIndex('products_title_id_idx')
    .on('products')
    .columns(['merchant_id', 'title', 'id'])
    .execute()
  await db.schema.dropIndex('products_title_idx').execute()
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('products_title_idx').on('products').columns(['merchant_id', 'title']).execute()
  await db.schema.dropIndex('products_title_id_idx').execute()
  await sql`alter index products_search_idx set (fastupdate = on)`.execute(db)
}
