// Analytics (issue 13): an hourly rollup the reports read instead of scanning a million messages, kept in step by
// statement-level triggers (set-based, one upsert per statement, in the writer's own transaction, so no write
// path has to remember it); plus the indexes the other reports range-scan. Buckets are UTC hours, so a report
// groups them into days of whatever zone the merchant has today.
import { type Kysely, sql } from 'kysely'

const SENT = `('sent', 'delivered', 'read')`

/** What one message row contributes to the rollup, signed (+1 for the row as it is now, -1 as it was). */
function messageFacts(table: string, sign: number): string {
  return `select m.merchant_id, date_trunc('hour', m.created_at) as hour, f.metric, f.dim,
      ${sign}::bigint as n, ${sign} * f.amount as amount
    from ${table} m
    left join runs r on r.merchant_id = m.merchant_id and r.id = m.run_id
    cross join lateral (values
      ('recovery.sent', '', 0::numeric, m.direction = 'out' and m.author = 'bot'
        and r.trigger_kind = 'cart.abandoned' and m.status in ${SENT}),
      ('recovery.delivered', '', 0::numeric, m.direction = 'out' and m.author = 'bot'
        and r.trigger_kind = 'cart.abandoned' and m.status in ('delivered', 'read')),
      ('recovery.read', '', 0::numeric, m.direction = 'out' and m.author = 'bot'
        and r.trigger_kind = 'cart.abandoned' and m.status = 'read'),
      ('template.cost', coalesce(m.template_category, 'service') || ' ' || coalesce(m.cost_currency, 'USD'),
        coalesce(m.cost, 0), m.cost > 0 and m.status in ${SENT}),
      ('send.skipped', coalesce(m.skip_reason, 'unknown'), 0::numeric, m.status = 'skipped'),
      ('step.sent', r.flow_version_id::text || ' ' || m.node_id, 0::numeric,
        m.direction = 'out' and m.author = 'bot' and m.node_id is not null and m.status in ${SENT})
    ) as f(metric, dim, amount, counts)
    where f.counts`
}

// A shopper's message whose previous message in the conversation is a delivered recovery message: a reply to it.
const replies = `select n.merchant_id, date_trunc('hour', n.created_at) as hour, 'recovery.replied' as metric,
    '' as dim, 1::bigint as n, 0::numeric as amount
  from new_rows n
  cross join lateral (select p.run_id, p.direction, p.author, p.status from messages p
    where p.merchant_id = n.merchant_id and p.conversation_id = n.conversation_id
      and (p.created_at, p.seq) < (n.created_at, n.seq)
    order by p.created_at desc, p.seq desc limit 1) p
  join runs r on r.merchant_id = n.merchant_id and r.id = p.run_id
  where n.direction = 'in' and n.author = 'shopper' and p.direction = 'out' and p.author = 'bot'
    and p.status in ${SENT} and r.trigger_kind = 'cart.abandoned'`

// A link's first click (first_clicked_at is set once and never moves).
function clickFacts(table: string, sign: number): string {
  return `select merchant_id, date_trunc('hour', first_clicked_at) as hour, 'recovery.clicked' as metric,
      '' as dim, ${sign}::bigint as n, 0::numeric as amount
    from ${table} where first_clicked_at is not null and episode_id is not null`
}

// The first time a run enters a node (a loop back into it is not a second run reaching it), and every move along
// an edge: the run's visit just before this one (by `seq`, insertion order: a step's visits share a timestamp).
const visitFacts = `select n.merchant_id, date_trunc('hour', n.at) as hour, 'node.reached' as metric,
    n.flow_version_id::text || ' ' || n.node_id as dim, 1::bigint as n, 0::numeric as amount
  from (select distinct on (merchant_id, run_id, node_id) * from new_rows
    order by merchant_id, run_id, node_id, seq) n
  where not exists (select 1 from node_visits v
    where v.merchant_id = n.merchant_id and v.run_id = n.run_id and v.node_id = n.node_id and v.seq < n.seq)
  union all
  select n.merchant_id, date_trunc('hour', n.at), 'edge.taken', n.flow_version_id::text || ' ' || p.node_id || '>' || n.node_id,
    1::bigint, 0::numeric
  from new_rows n
  cross join lateral (select v.node_id from node_visits v
    where v.merchant_id = n.merchant_id and v.run_id = n.run_id and v.seq < n.seq
    order by v.seq desc limit 1) p`

/** Sums the facts per bucket and adds them, in key order so concurrent writers lock rows in the same order. */
function upsert(facts: string): string {
  return `insert into analytics_hourly as a (merchant_id, hour, metric, dim, n, amount)
    select merchant_id, hour, metric, dim, sum(n), sum(amount) from (${facts}) facts
    group by merchant_id, hour, metric, dim
    having sum(n) <> 0 or sum(amount) <> 0
    order by merchant_id, hour, metric, dim
    on conflict (merchant_id, hour, metric, dim)
    do update set n = a.n + excluded.n, amount = a.amount + excluded.amount`
}

function triggerFunction(name: string, body: string): string {
  return `create function ${name}() returns trigger language plpgsql as $$
    begin
      ${body};
      return null;
    end $$`
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('analytics_hourly')
    .addColumn('merchant_id', 'uuid', (c) => c.notNull().references('merchants.id').onDelete('cascade'))
    .addColumn('hour', 'timestamptz', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('n', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('amount', sql`numeric(16, 4)`, (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('analytics_hourly_pkey', ['merchant_id', 'metric', 'hour', 'dim'])
    .execute()

  const statements = [
    // Insertion order of a run's visits (the engine writes a step's visits in the order they were entered).
    'alter table node_visits add column seq bigint generated always as identity',
    'create index node_visits_run_seq_idx on node_visits (merchant_id, run_id, seq)',
    triggerFunction(
      'analytics_messages_inserted',
      upsert(`${messageFacts('new_rows', 1)} union all ${replies}`),
    ),
    triggerFunction(
      'analytics_messages_updated',
      upsert(`${messageFacts('new_rows', 1)} union all ${messageFacts('old_rows', -1)}`),
    ),
    triggerFunction('analytics_links_inserted', upsert(clickFacts('new_rows', 1))),
    triggerFunction(
      'analytics_links_updated',
      upsert(`${clickFacts('new_rows', 1)} union all ${clickFacts('old_rows', -1)}`),
    ),
    triggerFunction('analytics_visits_inserted', upsert(visitFacts)),
    // Deletes (a shopper's erasure) keep the counts: they are history, not personal data.
    `create trigger analytics_messages_inserted after insert on messages
      referencing new table as new_rows for each statement execute function analytics_messages_inserted()`,
    `create trigger analytics_messages_updated after update on messages
      referencing old table as old_rows new table as new_rows
      for each statement execute function analytics_messages_updated()`,
    `create trigger analytics_links_inserted after insert on message_links
      referencing new table as new_rows for each statement execute function analytics_links_inserted()`,
    `create trigger analytics_links_updated after update on message_links
      referencing old table as old_rows new table as new_rows
      for each statement execute function analytics_links_updated()`,
    `create trigger analytics_visits_inserted after insert on node_visits
      referencing new table as new_rows for each statement execute function analytics_visits_inserted()`,
    // Messages written before this migration: fold them in once.
    `insert into analytics_hourly (merchant_id, hour, metric, dim, n, amount)
      select merchant_id, hour, metric, dim, sum(n), sum(amount) from (${messageFacts('messages', 1)}) facts
      group by merchant_id, hour, metric, dim`,
    `insert into analytics_hourly (merchant_id, hour, metric, dim, n, amount)
      select merchant_id, date_trunc('hour', at), 'node.reached', flow_version_id::text || ' ' || node_id, count(*), 0
      from (select distinct on (merchant_id, run_id, node_id) * from node_visits
        order by merchant_id, run_id, node_id, seq) v
      group by 1, 2, 3, 4`,
    `insert into analytics_hourly (merchant_id, hour, metric, dim, n, amount)
      select merchant_id, date_trunc('hour', at), 'edge.taken', flow_version_id::text || ' ' || prev || '>' || node_id,
        count(*), 0
      from (select *, lag(node_id) over (partition by merchant_id, run_id order by seq) as prev from node_visits) v
      where prev is not null
      group by 1, 2, 3, 4`,
    // Report range scans: runs started / ended in a period, and the conversation numbers.
    'create index runs_started_idx on runs (merchant_id, started_at)',
    'create index runs_ended_idx on runs (merchant_id, ended_at) where ended_at is not null',
    'create index conversations_escalated_idx on conversations (merchant_id, escalated_at) where escalated_at is not null',
    'create index contacts_opted_out_idx on contacts (merchant_id, opted_out_at) where opted_out_at is not null',
    `create index contact_identities_unreachable_idx on contact_identities (merchant_id, unreachable_at)
      where unreachable_at is not null`,
    // The recovery report reads every episode of the range from the index alone.
    `create index cart_episodes_report_idx on cart_episodes (merchant_id, abandoned_at)
      include (holdout, status, messages_sent, order_total, order_currency, flow_id)`,
  ]
  for (const statement of statements) await sql.raw(statement).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'drop index if exists cart_episodes_report_idx',
    'drop index if exists contact_identities_unreachable_idx',
    'drop index if exists contacts_opted_out_idx',
    'drop index if exists conversations_escalated_idx',
    'drop index if exists runs_ended_idx',
    'drop index if exists runs_started_idx',
    'drop trigger if exists analytics_visits_inserted on node_visits',
    'drop trigger if exists analytics_links_updated on message_links',
    'drop trigger if exists analytics_links_inserted on message_links',
    'drop trigger if exists analytics_messages_updated on messages',
    'drop trigger if exists analytics_messages_inserted on messages',
    'drop function if exists analytics_visits_inserted()',
    'drop function if exists analytics_links_updated()',
    'drop function if exists analytics_links_inserted()',
    'drop function if exists analytics_messages_updated()',
    'drop function if exists analytics_messages_inserted()',
    'drop table if exists analytics_hourly',
    'drop index if exists node_visits_run_seq_idx',
    'alter table node_visits drop column if exists seq',
  ])
    await sql.raw(statement).execute(db)
}
