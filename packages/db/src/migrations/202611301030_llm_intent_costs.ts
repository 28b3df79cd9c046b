// AI calls that read a shopper's reply (which intent a free-text answer means) cost tokens like AI answers do:
// they are recorded in the same table, told apart by `purpose`, so the month's AI bill is whole while the
// answer counts stay answers.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('llm_answers')
    .addColumn('purpose', 'text', (c) => c.notNull().defaultTo('answer'))
    .execute()
  await sql`alter table llm_answers add constraint llm_answers_purpose check (purpose in ('answer', 'intent'))`.execute(
    db,
  )
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from llm_answers where purpose <> 'answer'`.execute(db)
  await db.schema.alterTable('llm_answers').dropColumn('purpose').execute()
}
