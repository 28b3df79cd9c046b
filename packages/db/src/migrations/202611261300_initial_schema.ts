// The initial data model (DESIGN.md "Data"). Never edit once landed: add a new migration instead.
//
// Tenancy: every table but merchants has merchant_id, its primary key is (merchant_id, id) and every foreign key
// is composite (merchant_id, x_id), so a row can only reference rows of its own merchant, and every unique key
// contains merchant_id (what Citus needs to shard by it). The only indexes that do not lead with merchant_id
// are the cross-merchant work queues (due timers, outbox, carts to abandon) and the sign-in lookup by email;
// non-unique indexes are per shard in Citus, so they stay valid there.
import { type CreateTableBuilder, type Kysely, sql } from 'kysely'

const now = sql`now()`
const uuid = sql`gen_random_uuid()`

/** merchant_id + id uuid, primary key (merchant_id, id), cascade when the merchant is deleted. */
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
function tenantTable(db: Kysely<any>, table: string): CreateTableBuilder<string, 'merchant_id' | 'id'> {
  return db.schema
    .createTable(table)
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('id', 'uuid', (c) => c.notNull().defaultTo(uuid))
    .addPrimaryKeyConstraint(`${table}_pkey`, ['merchant_id', 'id'])
}

function timestamps<T extends string, C extends string>(
  t: CreateTableBuilder<T, C>,
): CreateTableBuilder<T, C | 'created_at' | 'updated_at'> {
  return t
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
}

function oneOf(column: string, values: string[]) {
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  // ── accounts ────────────────────────────────────────────────────────────────────────────────────────────────
  await db.schema
    .createTable('merchants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(uuid))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('cart_abandon_after_minutes', 'integer', (c) => c.notNull().defaultTo(30))
    .addColumn('quiet_hours_start_minute', 'integer')
    .addColumn('quiet_hours_end_minute', 'integer')
    .addColumn('frequency_cap_count', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('frequency_cap_window_minutes', 'integer', (c) => c.notNull().defaultTo(1440))
    .addColumn('monthly_template_budget', sql`numeric(14, 4)`)
    .addColumn('budget_currency', 'text', (c) => c.notNull().defaultTo('USD'))
    .addColumn('opt_out_keywords', sql`text[]`, (c) =>
      c.notNull().defaultTo(sql`array['STOP', 'UNSUBSCRIBE']::text[]`),
    )
    .addColumn('opt_in_keywords', sql`text[]`, (c) => c.notNull().defaultTo(sql`array['START']::text[]`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addCheckConstraint('merchants_abandon_positive', sql`cart_abandon_after_minutes > 0`)
    .addCheckConstraint(
      'merchants_quiet_hours',
      sql`(quiet_hours_start_minute is null) = (quiet_hours_end_minute is null)
        and quiet_hours_start_minute between 0 and 1439 and quiet_hours_end_minute between 0 and 1439`,
    )
    .addCheckConstraint(
      'merchants_frequency_cap',
      sql`frequency_cap_count >= 0 and frequency_cap_window_minutes > 0`,
    )
    .execute()

  await timestamps(tenantTable(db, 'users'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('last_sign_in_at', 'timestamptz')
    .addColumn('disabled_at', 'timestamptz')
    .addUniqueConstraint('users_email_key', ['merchant_id', 'email'])
    .addCheckConstraint('users_role', oneOf('role', ['owner', 'editor', 'agent']))
    .addCheckConstraint('users_email_lower', sql`email = lower(email)`)
    .execute()
  // Sign-in starts from an email alone, before the merchant is known.
  await db.schema.createIndex('users_sign_in_idx').on('users').column('email').execute()

  await tenantTable(db, 'sessions')
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addForeignKeyConstraint(
      'sessions_user_fkey',
      ['merchant_id', 'user_id'],
      'users',
      ['merchant_id', 'id'],
      (f) => f.onDelete('cascade'),
    )
    .addUniqueConstraint('sessions_token_key', ['merchant_id', 'token_hash'])
    .execute()
  await db.schema
    .createIndex('sessions_user_idx')
    .on('sessions')
    .columns(['merchant_id', 'user_id'])
    .execute()

  await tenantTable(db, 'api_keys')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addForeignKeyConstraint('api_keys_created_by_fkey', ['merchant_id', 'created_by'], 'users', [
      'merchant_id',
      'id',
    ])
    .addUniqueConstraint('api_keys_hash_key', ['merchant_id', 'key_hash'])
    .execute()

  await timestamps(tenantTable(db, 'channels'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('config', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('base_url', 'text')
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addCheckConstraint('channels_kind', oneOf('kind', ['webchat', 'whatsapp', 'telegram', 'shopify']))
    .execute()
  await db.schema.createIndex('channels_kind_idx').on('channels').columns(['merchant_id', 'kind']).execute()

  // ── contacts and conversations ──────────────────────────────────────────────────────────────────────────────
  await timestamps(tenantTable(db, 'contacts'))
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('locale', 'text')
    .addColumn('timezone', 'text')
    .addColumn('opted_out_at', 'timestamptz')
    .addColumn('marketing_consent', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('marketing_consent_at', 'timestamptz')
    .addColumn('attributes', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute()
  await db.schema.createIndex('contacts_email_idx').on('contacts').columns(['merchant_id', 'email']).execute()

  await tenantTable(db, 'contact_identities')
    .addColumn('contact_id', 'uuid', (c) => c.notNull())
    .addColumn('channel_id', 'uuid', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addForeignKeyConstraint(
      'contact_identities_contact_fkey',
      ['merchant_id', 'contact_id'],
      'contacts',
      ['merchant_id', 'id'],
      (f) => f.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'contact_identities_channel_fkey',
      ['merchant_id', 'channel_id'],
      'channels',
      ['merchant_id', 'id'],
      (f) => f.onDelete('cascade'),
    )
    .addUniqueConstraint('contact_identities_external_key', ['merchant_id', 'channel_id', 'external_id'])
    .execute()
  await db.schema
    .createIndex('contact_identities_contact_idx')
    .on('contact_identities')
    .columns(['merchant_id', 'contact_id'])
    .execute()

  await timestamps(tenantTable(db, 'conversations'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull())
    .addColumn('channel_id', 'uuid', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('bot'))
    .addColumn('assigned_user_id', 'uuid')
    .addColumn('queue', 'text')
    .addColumn('escalation', 'jsonb')
    .addColumn('escalated_at', 'timestamptz')
    .addColumn('last_inbound_at', 'timestamptz')
    .addColumn('last_message_at', 'timestamptz')
    .addColumn('resolved_at', 'timestamptz')
    .addForeignKeyConstraint(
      'conversations_contact_fkey',
      ['merchant_id', 'contact_id'],
      'contacts',
      ['merchant_id', 'id'],
      (f) => f.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'conversations_channel_fkey',
      ['merchant_id', 'channel_id'],
      'channels',
      ['merchant_id', 'id'],
      (f) => f.onDelete('cascade'),
    )
    .addCheckConstraint('conversations_status', oneOf('status', ['bot', 'waiting', 'assigned', 'resolved']))
    .execute()
  // A deleted user unassigns their conversations without touching merchant_id (column-list SET NULL, PG 15+).
  await sql`alter table conversations add constraint conversations_assigned_user_fkey
    foreign key (merchant_id, assigned_user_id) references users (merchant_id, id)
    on delete set null (assigned_user_id)`.execute(db)
  await db.schema
    .createIndex('conversations_contact_idx')
    .on('conversations')
    .columns(['merchant_id', 'contact_id', 'channel_id'])
    .execute()
  await db.schema
    .createIndex('conversations_inbox_idx')
    .on('conversations')
    .columns(['merchant_id', 'status', 'last_message_at'])
    .execute()

  // ── flows ───────────────────────────────────────────────────────────────────────────────────────────────────
  await timestamps(tenantTable(db, 'flows'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('document', 'jsonb', (c) => c.notNull())
    .addColumn('published_version_id', 'uuid')
    .addColumn('deleted_at', 'timestamptz')
    .execute()

  await tenantTable(db, 'flow_versions')
    .addColumn('flow_id', 'uuid', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('document', 'jsonb', (c) => c.notNull())
    .addColumn('trigger_kinds', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('published_by', 'uuid')
    .addForeignKeyConstraint('flow_versions_flow_fkey', ['merchant_id', 'flow_id'], 'flows', [
      'merchant_id',
      'id',
    ])
    .addForeignKeyConstraint('flow_versions_published_by_fkey', ['merchant_id', 'published_by'], 'users', [
      'merchant_id',
      'id',
    ])
    .addUniqueConstraint('flow_versions_number_key', ['merchant_id', 'flow_id', 'version'])
    .addCheckConstraint('flow_versions_version_positive', sql`version > 0`)
    .execute()
  await sql`alter table flows add constraint flows_published_version_fkey
    foreign key (merchant_id, published_version_id) references flow_versions (merchant_id, id)`.execute(db)
  await sql`create function flow_versions_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'flow_versions rows are immutable (publish a new version instead)'
        using errcode = 'restrict_violation';
    end $$`.execute(db)
  await sql`create trigger flow_versions_immutable before update on flow_versions
    for each row execute function flow_versions_immutable()`.execute(db)

  // ── runtime ─────────────────────────────────────────────────────────────────────────────────────────────────
  await tenantTable(db, 'runs')
    .addColumn('flow_id', 'uuid', (c) => c.notNull())
    .addColumn('flow_version_id', 'uuid', (c) => c.notNull())
    .addColumn('contact_id', 'uuid', (c) => c.notNull())
    .addColumn('conversation_id', 'uuid')
    .addColumn('trigger_kind', 'text', (c) => c.notNull())
    .addColumn('correlation_key', 'text')
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('waiting_for', 'text')
    .addColumn('outcome', 'text')
    .addColumn('error', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('ended_at', 'timestamptz')
    .addForeignKeyConstraint('runs_flow_fkey', ['merchant_id', 'flow_id'], 'flows', ['merchant_id', 'id'])
    .addForeignKeyConstraint('runs_flow_version_fkey', ['merchant_id', 'flow_version_id'], 'flow_versions', [
      'merchant_id',
      'id',
    ])
    .addForeignKeyConstraint(
      'runs_contact_fkey',
      ['merchant_id', 'contact_id'],
      'contacts',
      ['merchant_id', 'id'],
      (f) => f.onDelete('cascade'),
    )
    .addForeignKeyConstraint('runs_conversation_fkey', ['merchant_id', 'conversation_id'], 'conversations', [
      'merchant_id',
      'id',
    ])
    .addCheckConstraint('runs_status', oneOf('status', ['active', 'done', 'failed']))
    .execute()
  // Inbound routing: the active run(s) of a contact, e.g. the one waiting for their reply.
  await db.schema
    .createIndex('runs_contact_active_idx')
    .on('runs')
    .columns(['merchant_id', 'contact_id'])
    .where(sql.ref('status'), '=', 'active')
    .execute()
  // Exit events (order for this cart) and idempotent starts: one active run per flow and correlation key.
  await db.schema
    .createIndex('runs_correlation_active_key')
    .on('runs')
    .columns(['merchant_id', 'correlation_key', 'flow_id'])
    .unique()

    .where(sql<boolean>`status = 'active' and correlation_key is not null`)
    .execute()
  await db.schema
    .createIndex('runs_flow_version_idx')
    .on('runs')
    .columns(['merchant_id', 'flow_version_id', 'status'])
    .execute()

  await db.schema
    .createTable('timers')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('run_id', 'uuid', (c) => c.notNull())
    .addColumn('timer_id', 'text', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('event', 'jsonb', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .addColumn('locked_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('timers_pkey', ['merchant_id', 'run_id', 'timer_id'])
    .addForeignKeyConstraint(
      'timers_run_fkey',
      ['merchant_id', 'run_id'],
      'runs',
      ['merchant_id', 'id'],
      (f) => f.onDelete('cascade'),
    )
    .execute()
  // The poller's queue, across merchants: WHERE due_at <= $now ORDER BY due_at LIMIT n FOR UPDATE SKIP LOCKED.
  await db.schema.createIndex('timers_due_idx').on('timers').column('due_at').execute()

  await timestamps(tenantTable(db, 'outbox'))
    .addColumn('run_id', 'uuid')
    .addColumn('message_id', 'uuid')
    .addColumn('conversation_id', 'uuid', (c) => c.notNull())
    .addColumn('channel_id', 'uuid', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('locked_by', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addForeignKeyConstraint(
      'outbox_conversation_fkey',
      ['merchant_id', 'conversation_id'],
      'conversations',
      ['merchant_id', 'id'],
    )
    .addForeignKeyConstraint('outbox_channel_fkey', ['merchant_id', 'channel_id'], 'channels', [
      'merchant_id',
      'id',
    ])
    .addCheckConstraint('outbox_status', oneOf('status', ['pending', 'sending', 'sent', 'failed', 'unknown']))
    .execute()
  // The relay's queues: pending sends by due time, and sends whose lease ran out (to settle as unknown).
  await db.schema
    .createIndex('outbox_pending_idx')
    .on('outbox')
    .column('next_attempt_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute()
  await db.schema
    .createIndex('outbox_sending_idx')
    .on('outbox')
    .column('locked_until')
    .where(sql.ref('status'), '=', 'sending')
    .execute()
  await db.schema
    .createIndex('outbox_message_idx')
    .on('outbox')
    .columns(['merchant_id', 'message_id'])
    .execute()

  await db.schema
    .createTable('receipts')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('receipts_pkey', ['merchant_id', 'source', 'external_id'])
    .execute()
  await db.schema
    .createIndex('receipts_age_idx')
    .on('receipts')
    .columns(['merchant_id', 'received_at'])
    .execute()

  await tenantTable(db, 'node_visits')
    .addColumn('run_id', 'uuid', (c) => c.notNull())
    .addColumn('flow_version_id', 'uuid', (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addForeignKeyConstraint(
      'node_visits_run_fkey',
      ['merchant_id', 'run_id'],
      'runs',
      ['merchant_id', 'id'],
      (f) => f.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'node_visits_flow_version_fkey',
      ['merchant_id', 'flow_version_id'],
      'flow_versions',
      ['merchant_id', 'id'],
    )
    .execute()
  await db.schema
    .createIndex('node_visits_node_idx')
    .on('node_visits')
    .columns(['merchant_id', 'flow_version_id', 'node_id', 'at'])
    .execute()
  await db.schema
    .createIndex('node_visits_run_idx')
    .on('node_visits')
    .columns(['merchant_id', 'run_id'])
    .execute()

  await db.schema
    .createTable('template_spend')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('month', 'date', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('amount', sql`numeric(14, 4)`, (c) => c.notNull().defaultTo(0))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('messages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('template_spend_pkey', ['merchant_id', 'month', 'category'])
    .execute()

  // ── messages (after runs, which they reference) ─────────────────────────────────────────────────────────────
  await tenantTable(db, 'messages')
    .addColumn('conversation_id', 'uuid', (c) => c.notNull())
    .addColumn('contact_id', 'uuid', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('author_user_id', 'uuid')
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('is_marketing', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('provider_message_id', 'text')
    .addColumn('template_name', 'text')
    .addColumn('template_category', 'text')
    .addColumn('cost', sql`numeric(14, 4)`)
    .addColumn('cost_currency', 'text')
    .addColumn('skip_reason', 'text')
    .addColumn('error', 'text')
    .addColumn('run_id', 'uuid')
    .addColumn('node_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('read_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addForeignKeyConstraint(
      'messages_conversation_fkey',
      ['merchant_id', 'conversation_id'],
      'conversations',
      ['merchant_id', 'id'],
      (f) => f.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'messages_contact_fkey',
      ['merchant_id', 'contact_id'],
      'contacts',
      ['merchant_id', 'id'],
      (f) => f.onDelete('cascade'),
    )
    .addForeignKeyConstraint('messages_author_user_fkey', ['merchant_id', 'author_user_id'], 'users', [
      'merchant_id',
      'id',
    ])
    .addForeignKeyConstraint('messages_run_fkey', ['merchant_id', 'run_id'], 'runs', ['merchant_id', 'id'])
    .addCheckConstraint('messages_direction', oneOf('direction', ['in', 'out']))
    .addCheckConstraint('messages_author', oneOf('author', ['shopper', 'bot', 'staff', 'system']))
    .addCheckConstraint(
      'messages_status',
      oneOf('status', ['queued', 'sent', 'delivered', 'read', 'failed', 'skipped', 'unknown']),
    )
    .addCheckConstraint(
      'messages_template_category',
      sql`template_category is null or ${oneOf('template_category', ['marketing', 'utility', 'authentication', 'service'])}`,
    )
    .execute()
  await db.schema
    .createIndex('messages_transcript_idx')
    .on('messages')
    .columns(['merchant_id', 'conversation_id', 'created_at'])
    .execute()
  // Frequency cap: a contact's recent outbound messages.
  await db.schema
    .createIndex('messages_contact_out_idx')
    .on('messages')
    .columns(['merchant_id', 'contact_id', 'created_at'])
    .where(sql.ref('direction'), '=', 'out')
    .execute()
  // Status webhooks find the message by the provider's id.
  await db.schema
    .createIndex('messages_provider_idx')
    .on('messages')
    .columns(['merchant_id', 'provider_message_id'])
    .where(sql.ref('provider_message_id'), 'is not', null)
    .execute()
  await db.schema.createIndex('messages_run_idx').on('messages').columns(['merchant_id', 'run_id']).execute()
  await sql`alter table outbox add constraint outbox_message_fkey
    foreign key (merchant_id, message_id) references messages (merchant_id, id)`.execute(db)
  await sql`alter table outbox add constraint outbox_run_fkey
    foreign key (merchant_id, run_id) references runs (merchant_id, id) on delete set null (run_id)`.execute(
    db,
  )

  // ── commerce ────────────────────────────────────────────────────────────────────────────────────────────────
  await timestamps(tenantTable(db, 'carts'))
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'uuid')
    .addColumn('items', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('value', sql`numeric(14, 2)`, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('checkout_url', 'text')
    .addColumn('last_activity_at', 'timestamptz', (c) => c.notNull())
    .addColumn('abandon_at', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('abandoned_at', 'timestamptz')
    .addColumn('recovered_at', 'timestamptz')
    .addColumn('recovered_order_id', 'uuid')
    .addForeignKeyConstraint('carts_contact_fkey', ['merchant_id', 'contact_id'], 'contacts', [
      'merchant_id',
      'id',
    ])
    .addUniqueConstraint('carts_token_key', ['merchant_id', 'token'])
    .addCheckConstraint('carts_status', oneOf('status', ['active', 'abandoned', 'recovered']))
    .execute()
  // The abandonment sweep, across merchants: active carts whose abandon_at has passed.
  await db.schema
    .createIndex('carts_abandon_idx')
    .on('carts')
    .column('abandon_at')

    .where(sql<boolean>`status = 'active' and abandon_at is not null`)
    .execute()
  await db.schema
    .createIndex('carts_status_idx')
    .on('carts')
    .columns(['merchant_id', 'status', 'abandoned_at'])
    .execute()

  await timestamps(tenantTable(db, 'orders'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('contact_id', 'uuid')
    .addColumn('cart_token', 'text')
    .addColumn('items', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('total', sql`numeric(14, 2)`, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('tracking_number', 'text')
    .addColumn('tracking_carrier', 'text')
    .addColumn('tracking_url', 'text')
    .addColumn('shipped_at', 'timestamptz')
    .addForeignKeyConstraint('orders_contact_fkey', ['merchant_id', 'contact_id'], 'contacts', [
      'merchant_id',
      'id',
    ])
    .addUniqueConstraint('orders_number_key', ['merchant_id', 'number'])
    .execute()
  await db.schema.createIndex('orders_cart_idx').on('orders').columns(['merchant_id', 'cart_token']).execute()
  await db.schema
    .createIndex('orders_contact_idx')
    .on('orders')
    .columns(['merchant_id', 'contact_id'])
    .execute()
  await sql`alter table carts add constraint carts_recovered_order_fkey
    foreign key (merchant_id, recovered_order_id) references orders (merchant_id, id)`.execute(db)

  await timestamps(tenantTable(db, 'products'))
    .addColumn('external_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('price', sql`numeric(14, 2)`, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('image_url', 'text')
    .addColumn('url', 'text')
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('attributes', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('in_stock', 'boolean', (c) => c.notNull().defaultTo(true))
    .addUniqueConstraint('products_external_key', ['merchant_id', 'external_id'])
    .execute()
  await db.schema.createIndex('products_title_idx').on('products').columns(['merchant_id', 'title']).execute()
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'products',
    'carts',
    'orders',
    'outbox',
    'messages',
    'template_spend',
    'node_visits',
    'receipts',
    'timers',
    'runs',
    'flows',
    'flow_versions',
    'conversations',
    'contact_identities',
    'contacts',
    'channels',
    'api_keys',
    'sessions',
    'users',
    'merchants',
  ]) {
    await db.schema.dropTable(table).ifExists().cascade().execute()
  }
  await sql`drop function if exists flow_versions_immutable()`.execute(db)
}
