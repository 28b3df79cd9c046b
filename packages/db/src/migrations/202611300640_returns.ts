// Returns: how many days after delivery a merchant accepts returns (the returns flow checks an order against
// it), and when an order was delivered (the carrier's report), which the window counts from.
import type { Kysely } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('merchants')
    .addColumn('return_window_days', 'integer', (c) => c.notNull().defaultTo(30))
    .execute()
  await db.schema.alterTable('orders').addColumn('delivered_at', 'timestamptz').execute()
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orders').dropColumn('delivered_at').execute()
  await db.schema.alterTable('merchants').dropColumn('return_window_days').execute()
}
