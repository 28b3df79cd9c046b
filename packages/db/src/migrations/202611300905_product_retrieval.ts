// Product retrieval for product questions (issue 14): the question names a product by its title, so retrieval
// reads titles only — a title full-text vector (exact words: "navy" in a question must not pull in every product
// sold in navy, as the search text with option values would) and a trigram index on titles (typos: "hodie"
// finds "Hoodie"), both scoped to the merchant in the query, so no catalogue is ever loaded to answer.
// pg_trgm is a trusted contrib extension (any database owner may create it since Postgres 13); PGlite loads it
// at open (open-database.ts).
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db)
  await sql`alter table products add column title_vector tsvector
    generated always as (to_tsvector('simple', title)) stored`.execute(db)
  // fastupdate off for the reason in 202611300605 (no pending list for the planner to price).
  await sql`create index products_title_vector_idx on products
    using gin (title_vector) with (fastupdate = off)`.execute(db)
  await sql`create index products_title_trgm_idx on products
    using gin (title gin_trgm_ops) with (fastupdate = off)`.execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists products_title_trgm_idx`.execute(db)
  await sql`drop index if exists products_title_vector_idx`.execute(db)
  await sql`alter table products drop column if exists title_vector`.execute(db)
}
