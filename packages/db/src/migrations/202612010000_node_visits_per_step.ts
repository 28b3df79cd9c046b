// One node-visits row per step instead of one per node entered (issue 9, performance: rows per message and per
// timer firing). A step enters two nodes on the common paths (a message and the wait after it), and each visit was
// a row, its primary-key entry, its heap tuple and WAL record: 2 of the ~9 rows an inbound message writes. Now the
// row holds the step's nodes in the order entered (`node_ids`, never empty); `seq` orders a run's steps as it
// ordered its visits, so "the visit before this one" is the previous element of the array, or the last element
// of the run's previous row. The random `id` goes too: no query names it since 202611301010.
//
// The rollup trigger counts the same facts as 202611300630's (node.reached the first time a run enters a node,
// edge.taken for every move), over the rows' elements; existing rows become one-element arrays, so history keeps
// its order and its counts. The upsert targets the shard key of 202611301015.
import { type Kysely, sql } from 'kysely'

const SHARDED = 'on conflict (merchant_id, metric, hour, dim, shard)'

function upsert(facts: string): string {
  return `insert into analytics_hourly as a (merchant_id, hour, metric, dim, n, amount)
    select merchant_id, hour, metric, dim, sum(n), sum(amount) from (${facts}) facts
    group by merchant_id, hour, metric, dim
    having sum(n) <> 0 or sum(amount) <> 0
    order by merchant_id, hour, metric, dim
    ${SHARDED}
    do update set n = a.n + excluded.n, amount = a.amount + excluded.amount`
}

function visitsFunction(facts: string): string {
  return `create or replace function analytics_visits_inserted() returns trigger language plpgsql as $$
    begin
      ${upsert(facts)};
      return null;
    end $$`
}

// The new rows' visits, one per element (`ord` its place in the step). A node entered twice in one step, or again
// in a later step, was reached once; every visit after the run's first came along an edge from the one before.
const stepVisits = `select n.merchant_id, n.run_id, n.flow_version_id, n.at, n.seq, n.node_ids, e.node_id, e.ord
  from new_rows n cross join lateral unnest(n.node_ids) with ordinality as e(node_id, ord)`

const visitFacts = `select n.merchant_id, date_trunc('hour', n.at) as hour, 'node.reached' as metric,
    n.flow_version_id::text || ' ' || n.node_id as dim, 1::bigint as n, 0::numeric as amount
  from (select distinct on (merchant_id, run_id, node_id) * from (${stepVisits}) s
    order by merchant_id, run_id, node_id, seq, ord) n
  where not exists (select 1 from node_visits v
    where v.merchant_id = n.merchant_id and v.run_id = n.run_id and v.seq < n.seq and n.node_id = any(v.node_ids))
  union all
  select n.merchant_id, date_trunc('hour', n.at), 'edge.taken',
    n.flow_version_id::text || ' ' || n.prev || '>' || n.node_id, 1::bigint, 0::numeric
  from (select s.*, case when s.ord > 1 then s.node_ids[(s.ord - 1)::int]
      else (select v.node_ids[cardinality(v.node_ids)] from node_visits v
        where v.merchant_id = s.merchant_id and v.run_id = s.run_id and v.seq < s.seq
        order by v.seq desc limit 1) end as prev
    from (${stepVisits}) s) n
  where n.prev is not null`

// 202611300630's facts over one row per visit, for `down`.
const perNodeVisitFacts = `select n.merchant_id, date_trunc('hour', n.at) as hour, 'node.reached' as metric,
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

const TRIGGER = `create trigger analytics_visits_inserted after insert on node_visits
  referencing new table as new_rows for each statement execute function analytics_visits_inserted()`

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'drop trigger analytics_visits_inserted on node_visits',
    'alter table node_visits rename column node_id to node_ids',
    'alter table node_visits alter column node_ids type text[] using array[node_ids]',
    'alter table node_visits add constraint node_visits_node_ids_check check (cardinality(node_ids) > 0)',
    'alter table node_visits drop column id',
    visitsFunction(visitFacts),
    TRIGGER,
  ])
    await sql.raw(statement).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'drop trigger analytics_visits_inserted on node_visits',
    'alter table node_visits drop constraint node_visits_node_ids_check',
    // One row per element again, in the order entered (the rows are rewritten, so `seq` is given anew in order).
    `create temporary table node_visits_split as
      select v.merchant_id, v.run_id, v.flow_version_id, e.node_id, v.at,
        row_number() over (order by v.seq, e.ord) as ord
      from node_visits v cross join lateral unnest(v.node_ids) with ordinality as e(node_id, ord)`,
    'delete from node_visits',
    'alter table node_visits rename column node_ids to node_id',
    'alter table node_visits alter column node_id type text using node_id[1]',
    'alter table node_visits add column id uuid not null default gen_random_uuid()',
    `insert into node_visits (merchant_id, run_id, flow_version_id, node_id, at)
      select merchant_id, run_id, flow_version_id, node_id, at from node_visits_split order by ord`,
    'drop table node_visits_split',
    visitsFunction(perNodeVisitFacts),
    TRIGGER,
  ])
    await sql.raw(statement).execute(db)
}
