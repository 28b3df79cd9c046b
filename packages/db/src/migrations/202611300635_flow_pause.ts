// Pausing a live flow: while paused_at is set, no new run starts from the flow; runs already going carry on
// on their pinned version (a shopper mid-conversation is not dropped). Resuming clears it.
import type { Kysely } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('flows').addColumn('paused_at', 'timestamptz').execute()
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('flows').dropColumn('paused_at').execute()
}
