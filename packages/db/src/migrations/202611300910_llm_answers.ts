// Optional AI answers (issue 14): each merchant's OpenAI-compatible endpoint (off by default; the key sealed at
// rest like channel secrets), one row per AI answer attempt with its tokens and cost, and the outbox lane of the
// `llm.answer` job: it is a merchant-influenced network call, so it runs on the HTTP lane beside merchants' own
// HTTP requests, never in the way of message sends.
import { type Kysely, sql } from 'kysely'

const outcomes = ['answered', 'fallback']

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('llm_settings')
    .addColumn('merchant_id', 'uuid', (c) => c.primaryKey().references('merchants.id').onDelete('cascade'))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('base_url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('model', 'text', (c) => c.notNull().defaultTo(''))
    /** Sealed (enc:v1:…), bound to the merchant; null until set. */
    .addColumn('api_key', 'text')
    .addColumn('api_key_hint', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('input_price_per_1k', sql`numeric(12, 6)`, (c) => c.notNull().defaultTo(0))
    .addColumn('output_price_per_1k', sql`numeric(12, 6)`, (c) => c.notNull().defaultTo(0))
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('USD'))
    .addColumn('stream', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('llm_answers')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('run_id', 'uuid')
    .addColumn('conversation_id', 'uuid')
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    /** Why the catalogue answer was used: timeout, rate_limited, server_error, malformed, ungrounded, … */
    .addColumn('reason', 'text')
    .addColumn('input_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('output_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tokens_estimated', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('cost', sql`numeric(14, 6)`, (c) => c.notNull().defaultTo(0))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('llm_answers_pkey', ['merchant_id', 'id'])
    .addCheckConstraint(
      'llm_answers_outcome',
      sql.raw(`outcome in (${outcomes.map((o) => `'${o}'`).join(', ')})`),
    )
    .execute()
  await db.schema
    .createIndex('llm_answers_merchant_time_idx')
    .on('llm_answers')
    .columns(['merchant_id', 'created_at'])
    .execute()

  // A generated column's expression cannot be altered before Postgres 17: dropped and added again, with the two
  // indexes that use it (as 202611292300_outbox_lanes made them).
  await sql`alter table outbox drop column lane cascade`.execute(db)
  await sql`alter table outbox add column lane text generated always as
    (case when payload->>'kind' in ('http.request', 'llm.answer') then 'http' else 'message' end) stored`.execute(
    db,
  )
  await db.schema
    .createIndex('outbox_lane_queue_idx')
    .on('outbox')
    .columns(['lane', 'merchant_id', 'channel_id', 'seq'])
    .where(sql.ref('status'), '=', 'pending')
    .execute()
  await sql`create index outbox_conversation_head_idx on outbox (merchant_id, conversation_id, seq)
    where status in ('pending', 'sending') and lane = 'message'`.execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox drop column lane cascade`.execute(db)
  await sql`alter table outbox add column lane text generated always as
    (case payload->>'kind' when 'http.request' then 'http' else 'message' end) stored`.execute(db)
  await db.schema
    .createIndex('outbox_lane_queue_idx')
    .on('outbox')
    .columns(['lane', 'merchant_id', 'channel_id', 'seq'])
    .where(sql.ref('status'), '=', 'pending')
    .execute()
  await sql`create index outbox_conversation_head_idx on outbox (merchant_id, conversation_id, seq)
    where status in ('pending', 'sending') and lane = 'message'`.execute(db)
  await db.schema.dropTable('llm_answers').execute()
  await db.schema.dropTable('llm_settings').execute()
}
