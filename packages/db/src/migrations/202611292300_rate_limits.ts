// The counters of rate-limiter-flexible's Postgres store, shared by every replica (sign-in failures, web-chat
// messages and visitors, webhooks). Created here rather than by the library at start-up (`tableCreated: true`),
// so the runtime needs no DDL rights. The shape is the library's own: one row per limiter key, `expire` in epoch
// ms. Not a tenant table (keys are IPs, emails, channel ids), so it does not lead with merchant_id.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table rate_limits (
      key varchar(255) primary key,
      points integer not null default 0,
      expire bigint
    )`.execute(db)
  // The library deletes rows expired an hour ago every five minutes.
  await sql`create index rate_limits_expire on rate_limits (expire)`.execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table rate_limits`.execute(db)
}
