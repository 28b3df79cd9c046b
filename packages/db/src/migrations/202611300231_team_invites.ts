// Team invites: an owner invites a person by email with a role; the link carries a single-use token whose hash
// alone is stored, and it expires. Accepting creates the user and marks the invite used.
import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('invites')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('invites_pkey', ['merchant_id', 'id'])
    .addUniqueConstraint('invites_token_key', ['merchant_id', 'token_hash'])
    .addCheckConstraint('invites_role', sql`role in ('owner', 'editor', 'agent')`)
    .addCheckConstraint('invites_email_lower', sql`email = lower(email)`)
    .execute()
  // Accepting starts from the token alone (the link names the merchant too, but the hash is what must match).
  await sql`create index invites_token_hash on invites (token_hash)`.execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('invites').execute()
}
