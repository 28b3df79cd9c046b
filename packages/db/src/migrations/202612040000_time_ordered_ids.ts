// Time-ordered keys for the rows a step and a store event create (issue 9, acceptance 4: the cost of a firing must
// not grow with the number of idle runs). With random v4 keys, the runs that come due together (created together,
// an hour or a day before) have their index entries, and those of their contacts and conversations, spread over
// whole indexes: at a million pending, a firing read ≈ 7.5 pages into shared buffers that no one had touched since
// (BENCHMARKS.md, session 11). A UUIDv7 (RFC 9562) leads with the unix milliseconds, so rows created together sit
// together in the primary key's index.
//
// `uuid_v7()` is plain SQL, so it runs on Postgres 13+ and PGlite alike (no pgcrypto): a v4 from
// `gen_random_uuid()` with its first 48 bits overlaid by `clock_timestamp()` in milliseconds and the version nibble
// turned from 4 to 7 (bits 52 and 53; the variant bits of a v4 are already RFC 9562's). The runtime builds the same
// layout (`apps/runtime/src/engine/time-ordered-id.ts`). Named `uuid_v7`, not `uuidv7`: Postgres 18's own function
// of that name would shadow ours from pg_catalog.
//
// Only defaults change: `alter column … set default` touches the catalogue, not the table (no rewrite, a brief
// lock), and existing rows keep their ids. Left random: the tables whose ids are capabilities or show up in
// addresses (sessions, api_keys, invites, channels in webhook URLs, webchat_photos), and the few-row setup tables.
import { type Kysely, sql } from 'kysely'

const tables = [
  'runs',
  'contacts',
  'contact_identities',
  'conversations',
  'messages',
  'outbox',
  'carts',
  'orders',
  'cart_episodes',
]

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create function uuid_v7() returns uuid language sql volatile parallel safe as $$
    select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
        placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
        from 1 for 6), 52, 1), 53, 1), 'hex')::uuid
  $$`.execute(db)
  for (const table of tables)
    await sql`alter table ${sql.table(table)} alter column id set default uuid_v7()`.execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of tables)
    await sql`alter table ${sql.table(table)} alter column id set default gen_random_uuid()`.execute(db)
  await sql`drop function uuid_v7()`.execute(db)
}
