// Product retrieval for product questions (issue 14): a trigram index on product titles, so a question with a
// typo ("is the clasic hodie in M?") still finds its product in the database, scoped to the merchant, without
// loading the catalogue. pg_trgm is a trusted contrib extension (any database owner may create it since
// Postgres 13); PGlite loads it at open (open-database.ts).
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db)
  // Trigrams ignore case; fastupdate off for the reason in 202611300605.
  await sql`create index products_title_trgm_idx on products
    using gin (title gin_trgm_ops) with (fastupdate = off)`.execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists products_title_trgm_idx`.execute(db)
}
