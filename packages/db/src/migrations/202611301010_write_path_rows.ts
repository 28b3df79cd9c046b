// The write path's rows and indexes (issue 9, performance: Postgres CPU per step).
//
// - Runs' rollup on update, per statement instead of per row. The row trigger of 202611300900 fired a PL/pgSQL
//   call and an upsert of the same `run.ended` rollup row for every run that ended: a drain of 10,000 reminder
//   timers made 10,000 upserts (one per firing, 1.02 rollup rows written per firing), each a new version of one hot
//   row that every concurrent batch waits on. Now one grouped upsert per statement, over the rows whose counted
//   columns changed (old and new transition tables joined on the key); a step that ends no run (an inbound
//   message, most often) only pays that join over the batch's rows, then returns.
// - `runs` gets room on its pages (fillfactor 70): a step rewrites its run's row (snapshot, revision) without
//   touching an indexed column, so the new version can go on the same page (a HOT update, no index entries);
//   on full pages about half the step updates were not HOT and wrote all six of its indexes.
// - Node visits (two a step) keep one index instead of three: `node_visits_node_idx` is read by no query any more
//   (the flow report's counts come from the rollup since 202611300630), and the primary key moves from
//   (merchant_id, id), a random uuid no query names, to (merchant_id, run_id, seq), the index the rollup trigger
//   and the inbox read a run's visits by (`node_visits_run_seq_idx`, already unique: `seq` is an identity).
// - `conversations_inbox_idx` (status, last_message_at) is read by no query (the inbox's views use the keyset
//   indexes of 202611300615), and every conversation touch rewrote it since last_message_at changes.
import { type Kysely, sql } from 'kysely'

const COUNTED = ['ended_at', 'outcome', 'status', 'started_at', 'flow_version_id', 'flow_id']

/** Runs started / ended per flow version (the same facts as 202611300900's `runFacts`); `source` aliased `r`. */
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

/** The rows of `side` ('n' new or 'o' old) whose counted columns the statement changed. */
function changedRows(side: 'n' | 'o'): string {
  const of = (t: string) => `(${COUNTED.map((c) => `${t}.${c}`).join(', ')})`
  return `select ${side}.* from new_rows n join old_rows o on o.merchant_id = n.merchant_id and o.id = n.id
    where ${of('o')} is distinct from ${of('n')}`
}

const runsUpdated = `create or replace function analytics_runs_updated() returns trigger language plpgsql as $$
  begin
    if not exists (${changedRows('n')}) then return null; end if;
    insert into analytics_hourly as a (merchant_id, hour, metric, dim, n, amount)
      select merchant_id, hour, metric, dim, sum(n), sum(amount)
      from (${runFacts(`(${changedRows('n')}) r`, 1)} union all ${runFacts(`(${changedRows('o')}) r`, -1)}) facts
      group by merchant_id, hour, metric, dim
      having sum(n) <> 0 or sum(amount) <> 0
      order by merchant_id, hour, metric, dim
      on conflict (merchant_id, metric, hour, dim)
      do update set n = a.n + excluded.n, amount = a.amount + excluded.amount;
    return null;
  end $$`

/** 202611300900's row-level function, for `down`. */
function runRecord(record: 'new' | 'old'): string {
  const columns = ['merchant_id', 'flow_id', 'flow_version_id', 'started_at', 'ended_at', 'outcome', 'status']
  return `(values (${columns.map((c) => `${record}.${c}`).join(', ')})) as r(${columns.join(', ')})`
}

const runsUpdatedPerRow = `create or replace function analytics_runs_updated() returns trigger
  language plpgsql as $$
  begin
    insert into analytics_hourly as a (merchant_id, hour, metric, dim, n, amount)
      select merchant_id, hour, metric, dim, sum(n), sum(amount)
      from (${runFacts(runRecord('new'), 1)} union all ${runFacts(runRecord('old'), -1)}) facts
      group by merchant_id, hour, metric, dim
      having sum(n) <> 0 or sum(amount) <> 0
      order by merchant_id, hour, metric, dim
      on conflict (merchant_id, metric, hour, dim)
      do update set n = a.n + excluded.n, amount = a.amount + excluded.amount;
    return null;
  end $$`

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'drop trigger analytics_runs_updated on runs',
    runsUpdated,
    `create trigger analytics_runs_updated after update on runs
      referencing old table as old_rows new table as new_rows
      for each statement execute function analytics_runs_updated()`,
    'alter table runs set (fillfactor = 70)',
    'drop index node_visits_node_idx',
    'alter table node_visits drop constraint node_visits_pkey',
    'drop index node_visits_run_seq_idx',
    'alter table node_visits add constraint node_visits_pkey primary key (merchant_id, run_id, seq)',
    'drop index conversations_inbox_idx',
  ])
    await sql.raw(statement).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'create index conversations_inbox_idx on conversations (merchant_id, status, last_message_at)',
    'alter table node_visits drop constraint node_visits_pkey',
    'create index node_visits_run_seq_idx on node_visits (merchant_id, run_id, seq)',
    'alter table node_visits add constraint node_visits_pkey primary key (merchant_id, id)',
    'create index node_visits_node_idx on node_visits (merchant_id, flow_version_id, node_id, at)',
    'alter table runs reset (fillfactor)',
    'drop trigger analytics_runs_updated on runs',
    runsUpdatedPerRow,
    `create trigger analytics_runs_updated after update on runs for each row
      when (old.ended_at is distinct from new.ended_at or old.outcome is distinct from new.outcome
        or old.status is distinct from new.status or old.started_at is distinct from new.started_at
        or old.flow_version_id is distinct from new.flow_version_id or old.flow_id is distinct from new.flow_id)
      execute function analytics_runs_updated()`,
  ])
    await sql.raw(statement).execute(db)
}
