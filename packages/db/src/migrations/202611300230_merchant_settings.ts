// The settings a merchant sets from the app that had no column yet: opt-out language packs and confirmation
// texts, template prices of their own, and business hours. Null = the built-in default (see the Settings API).
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('merchants')
    .addColumn('keyword_languages', sql`text[]`, (c) => c.notNull().defaultTo(sql`array['en']::text[]`))
    .addColumn('opt_out_confirmation', 'text')
    .addColumn('opt_in_confirmation', 'text')
    .addColumn('template_prices', 'jsonb')
    .addColumn('business_hours', 'jsonb')
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('merchants')
    .dropColumn('keyword_languages')
    .dropColumn('opt_out_confirmation')
    .dropColumn('opt_in_confirmation')
    .dropColumn('template_prices')
    .dropColumn('business_hours')
    .execute()
}
