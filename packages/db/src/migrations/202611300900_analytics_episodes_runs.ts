// Analytics at scale (issue 13): the reports' last scans of source rows — abandonment episodes (recovery report,
// flows list) and runs (flow report, flows list) — become rollup rows kept in step by triggers in the writer's
// own transaction, like the message rollup of 202611300630. An order that credits an episode, a first recovery
// message that makes it "messaged", an expiry, a run that ends: each moves the rollup in the same statement's
// transaction, so the numbers merchants act on never drift from the rows they summarise.
//
// Episodes count in the UTC hour they were abandoned (the report's "day the cart was abandoned"), whenever the
// order arrives: a credit days later updates that hour. One wide row per merchant, hour and order currency ('' for
// no order) holds every count the recovery report needs; `analytics_hourly` gets 'episode.recovered' (dim
// 'flow currency', for the flows list), 'run.started' (dim 'flow version') and 'run.ended' (dim 'flow version
// outcome'). Deleting source rows (a shop's redaction, a contact's erasure) subtracts them, as the reports did.
import { type Kysely, sql } from 'kysely'

const ORDERED = `('recovered', 'ordered_without_messages', 'ordered_after_window')`

const EPISODE_COUNTS = [
  'abandoned',
  'in_holdout',
  'messaged',
  'recovered',
  'without_messages',
  'control_ordered',
  'messaged_ordered',
] as const
const EPISODE_AMOUNTS = ['credited_revenue', 'messaged_revenue'] as const
const EPISODE_COLUMNS = [...EPISODE_COUNTS, ...EPISODE_AMOUNTS]

/**
 * What each episode row contributes to its hour, signed (+1 for the row as it is now, -1 as it was). The one
 * definition of the report's episode numbers (README "How recovery is counted"): credited = recovered and not
 * holdout; each group's rate counts any ordered ending; revenue is the order's total in its own currency.
 */
function episodeFacts(table: string, sign: number): string {
  const credited = `e.status = 'recovered' and not e.holdout`
  const messagedOrdered = `not e.holdout and e.status in ${ORDERED}`
  return `select e.merchant_id, date_trunc('hour', e.abandoned_at) as hour, coalesce(e.order_currency, '') as currency,
      ${sign}::bigint as abandoned,
      case when e.holdout then ${sign}::bigint else 0 end as in_holdout,
      case when e.messages_sent > 0 then ${sign}::bigint else 0 end as messaged,
      case when ${credited} then ${sign}::bigint else 0 end as recovered,
      case when e.status = 'ordered_without_messages' then ${sign}::bigint else 0 end as without_messages,
      case when e.holdout and e.status in ${ORDERED} then ${sign}::bigint else 0 end as control_ordered,
      case when ${messagedOrdered} then ${sign}::bigint else 0 end as messaged_ordered,
      case when ${credited} then ${sign} * coalesce(e.order_total, 0) else 0 end as credited_revenue,
      case when ${messagedOrdered} then ${sign} * coalesce(e.order_total, 0) else 0 end as messaged_revenue
    from ${table} e`
}

/** Credited episodes per first-messaging flow and currency (the flows list's key number). */
function recoveredByFlowFacts(table: string, sign: number): string {
  return `select e.merchant_id, date_trunc('hour', e.abandoned_at) as hour, 'episode.recovered' as metric,
      e.flow_id::text || ' ' || coalesce(e.order_currency, '') as dim, ${sign}::bigint as n,
      ${sign} * coalesce(e.order_total, 0) as amount
    from ${table} e
    where e.status = 'recovered' and not e.holdout and e.flow_id is not null`
}

/**
 * Runs started (in the hour they started) and ended by outcome (in the hour they ended), per flow version.
 * `source` is a from-item aliased `r`.
 */
function runFacts(source: string, sign: number): string {
  return `select r.merchant_id, date_trunc('hour', r.started_at) as hour, 'run.started' as metric,
      r.flow_id::text || ' ' || r.flow_version_id::text as dim, ${sign}::bigint as n, 0::numeric as amount
    from ${source}
    union all
    select r.merchant_id, date_trunc('hour', r.ended_at), 'run.ended',
      r.flow_id::text || ' ' || r.flow_version_id::text || ' ' || coalesce(r.outcome, r.status), ${sign}::bigint,
      0::numeric
    from ${source} where r.ended_at is not null`
}

/** Adds summed facts to analytics_hourly, in key order so concurrent writers lock rows in the same order. */
function upsertHourly(facts: string): string {
  return `insert into analytics_hourly as a (merchant_id, hour, metric, dim, n, amount)
    select merchant_id, hour, metric, dim, sum(n), sum(amount) from (${facts}) facts
    group by merchant_id, hour, metric, dim
    having sum(n) <> 0 or sum(amount) <> 0
    order by merchant_id, hour, metric, dim
    on conflict (merchant_id, metric, hour, dim)
    do update set n = a.n + excluded.n, amount = a.amount + excluded.amount`
}

function upsertEpisodes(facts: string): string {
  return `insert into analytics_episodes_hourly as a (merchant_id, hour, currency, ${EPISODE_COLUMNS.join(', ')})
    select merchant_id, hour, currency, ${EPISODE_COLUMNS.map((c) => `sum(${c})`).join(', ')}
    from (${facts}) facts
    group by merchant_id, hour, currency
    having ${EPISODE_COLUMNS.map((c) => `sum(${c}) <> 0`).join(' or ')}
    order by merchant_id, hour, currency
    on conflict (merchant_id, hour, currency)
    do update set ${EPISODE_COLUMNS.map((c) => `${c} = a.${c} + excluded.${c}`).join(', ')}`
}

function episodeChange(newRows: string | null, oldRows: string | null): string {
  const parts = (facts: (t: string, s: number) => string) =>
    [newRows && facts(newRows, 1), oldRows && facts(oldRows, -1)].filter(Boolean).join(' union all ')
  return `${upsertEpisodes(parts(episodeFacts))}; ${upsertHourly(parts(recoveredByFlowFacts))}`
}

/** `skipWhenEmpty`: a transition table that, when empty, means the statement changed nothing to count. */
function triggerFunction(name: string, body: string, skipWhenEmpty?: string): string {
  return `create function ${name}() returns trigger language plpgsql as $$
    begin
      ${skipWhenEmpty ? `if not exists (select from ${skipWhenEmpty}) then return null; end if;` : ''}
      ${body};
      return null;
    end $$`
}

/** A run row as a one-row relation (a row trigger has no transition table). */
function runRecord(record: 'new' | 'old'): string {
  const columns = ['merchant_id', 'flow_id', 'flow_version_id', 'started_at', 'ended_at', 'outcome', 'status']
  return `(values (${columns.map((c) => `${record}.${c}`).join(', ')})) as r(${columns.join(', ')})`
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    `create table analytics_episodes_hourly (
      merchant_id uuid not null references merchants (id) on delete cascade,
      hour timestamptz not null,
      currency text not null,
      ${EPISODE_COUNTS.map((c) => `${c} bigint not null default 0`).join(',\n')},
      ${EPISODE_AMOUNTS.map((c) => `${c} numeric(16, 2) not null default 0`).join(',\n')},
      constraint analytics_episodes_hourly_pkey primary key (merchant_id, hour, currency)
    )`,
    // Episodes: statement-level, set-based (the abandonment sweep, the outbox's first-message count, an order,
    // the expiry sweep each change episodes in one statement). An update that changes no counted column (a second
    // message, an expiry) sums to zero and writes nothing.
    triggerFunction('analytics_episodes_inserted', episodeChange('new_rows', null)),
    // The outbox's outcome write updates the open episodes of the carts its recovery messages were for, in every
    // outcome statement, most often none: the trigger then returns at once.
    triggerFunction('analytics_episodes_updated', episodeChange('new_rows', 'old_rows'), 'new_rows'),
    triggerFunction('analytics_episodes_deleted', episodeChange(null, 'old_rows')),
    `create trigger analytics_episodes_inserted after insert on cart_episodes
      referencing new table as new_rows for each statement execute function analytics_episodes_inserted()`,
    `create trigger analytics_episodes_updated after update on cart_episodes
      referencing old table as old_rows new table as new_rows
      for each statement execute function analytics_episodes_updated()`,
    `create trigger analytics_episodes_deleted after delete on cart_episodes
      referencing old table as old_rows for each statement execute function analytics_episodes_deleted()`,
    // Runs: a run is inserted once and ended once, but its snapshot is rewritten on every step of the inbound and
    // timer paths. So the update trigger is per row and fires only when a counted column changes (the WHEN clause
    // costs nothing on the hot path: no function call, no transition table of snapshots).
    triggerFunction('analytics_runs_inserted', upsertHourly(runFacts('new_rows r', 1))),
    triggerFunction(
      'analytics_runs_updated',
      upsertHourly(`${runFacts(runRecord('new'), 1)} union all ${runFacts(runRecord('old'), -1)}`),
    ),
    triggerFunction('analytics_runs_deleted', upsertHourly(runFacts('old_rows r', -1))),
    `create trigger analytics_runs_inserted after insert on runs
      referencing new table as new_rows for each statement execute function analytics_runs_inserted()`,
    `create trigger analytics_runs_updated after update on runs for each row
      when (old.ended_at is distinct from new.ended_at or old.outcome is distinct from new.outcome
        or old.status is distinct from new.status or old.started_at is distinct from new.started_at
        or old.flow_version_id is distinct from new.flow_version_id or old.flow_id is distinct from new.flow_id)
      execute function analytics_runs_updated()`,
    `create trigger analytics_runs_deleted after delete on runs
      referencing old table as old_rows for each statement execute function analytics_runs_deleted()`,
    // Rebuilds these rollup rows from the source tables: this migration's backfill of existing installs, and a
    // repair tool. Run it in a transaction that also holds the tables still (the migration's own locks do).
    `create function analytics_rebuild_episodes_runs() returns void language plpgsql as $$
    begin
      delete from analytics_episodes_hourly;
      delete from analytics_hourly where metric in ('episode.recovered', 'run.started', 'run.ended');
      ${upsertEpisodes(episodeFacts('cart_episodes', 1))};
      ${upsertHourly(recoveredByFlowFacts('cart_episodes', 1))};
      ${upsertHourly(runFacts('runs r', 1))};
    end $$`,
    'select analytics_rebuild_episodes_runs()',
  ]
  for (const statement of statements) await sql.raw(statement).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'drop function if exists analytics_rebuild_episodes_runs()',
    'drop trigger if exists analytics_runs_deleted on runs',
    'drop trigger if exists analytics_runs_updated on runs',
    'drop trigger if exists analytics_runs_inserted on runs',
    'drop trigger if exists analytics_episodes_deleted on cart_episodes',
    'drop trigger if exists analytics_episodes_updated on cart_episodes',
    'drop trigger if exists analytics_episodes_inserted on cart_episodes',
    'drop function if exists analytics_runs_deleted()',
    'drop function if exists analytics_runs_updated()',
    'drop function if exists analytics_runs_inserted()',
    'drop function if exists analytics_episodes_deleted()',
    'drop function if exists analytics_episodes_updated()',
    'drop function if exists analytics_episodes_inserted()',
    `delete from analytics_hourly where metric in ('episode.recovered', 'run.started', 'run.ended')`,
    'drop table if exists analytics_episodes_hourly',
  ])
    await sql.raw(statement).execute(db)
}
