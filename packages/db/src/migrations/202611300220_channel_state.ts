// A channel's health as its last check with the provider found it: the provider's own error when it refused
// (the Channels screen shows "needs attention" with it), and when that check ran. Disconnected stays `enabled`.
import type { Kysely } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('channels')
    .addColumn('provider_error', 'text')
    .addColumn('checked_at', 'timestamptz')
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('channels').dropColumn('provider_error').dropColumn('checked_at').execute()
}
