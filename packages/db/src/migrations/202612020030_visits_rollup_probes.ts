// The node-visits rollup looks a run's earlier visits up by index (issue 9, performance: Postgres CPU per step).
// 202612010000's trigger asked "was this node entered before?" with `not exists (select … from node_visits …)`;
// Postgres turns that into an anti join, and for a batch's hundreds of elements it priced hashing the whole
// `node_visits` table below as many index probes: every timer batch of 200 read all 20,000 rows of the bench's
// table (349 pages, ~20 ms) and the cost grew with the shop's history, not with the batch — at a million idle runs,
// a million rows per batch. And the run's previous visit (for the edge into the step's first node) was looked up
// twice per row: the sub-select stood in both the filter and the output.
//
// Same facts, same counts: the "entered before?" check is a scalar sub-select (`(select true … limit 1) is null`),
// which Postgres never turns into a join, so it stays one probe of `node_visits_pkey` (merchant_id, run_id, seq)
// per element; the previous visit is a lateral `limit 1` per new row, read once. The trigger runs after the
// statement, so a run's rows written beside it (two steps of one run in one batch) are among "earlier" by `seq`.
import { type Kysely, sql } from 'kysely'

function visitsFunction(facts: string): string {
  return `create or replace function analytics_visits_inserted() returns trigger language plpgsql as $$
    begin
      insert into analytics_hourly as a (merchant_id, hour, metric, dim, n, amount)
        select merchant_id, hour, metric, dim, sum(n), sum(amount) from (${facts}) facts
        group by merchant_id, hour, metric, dim
        having sum(n) <> 0 or sum(amount) <> 0
        order by merchant_id, hour, metric, dim
        on conflict (merchant_id, metric, hour, dim, shard)
        do update set n = a.n + excluded.n, amount = a.amount + excluded.amount;
      return null;
    end $$`
}

const stepVisits = `select n.merchant_id, n.run_id, n.flow_version_id, n.at, n.seq, n.node_ids, e.node_id, e.ord
  from new_rows n cross join lateral unnest(n.node_ids) with ordinality as e(node_id, ord)`

const probedFacts = `select n.merchant_id, date_trunc('hour', n.at) as hour, 'node.reached' as metric,
    n.flow_version_id::text || ' ' || n.node_id as dim, 1::bigint as n, 0::numeric as amount
  from (select distinct on (merchant_id, run_id, node_id) * from (${stepVisits}) s
    order by merchant_id, run_id, node_id, seq, ord) n
  where (select true from node_visits v
    where v.merchant_id = n.merchant_id and v.run_id = n.run_id and v.seq < n.seq and n.node_id = any(v.node_ids)
    limit 1) is null
  union all
  select n.merchant_id, date_trunc('hour', n.at), 'edge.taken',
    n.flow_version_id::text || ' ' || x.prev || '>' || e.node_id, 1::bigint, 0::numeric
  from new_rows n
  left join lateral (select v.node_ids[cardinality(v.node_ids)] as node_id from node_visits v
    where v.merchant_id = n.merchant_id and v.run_id = n.run_id and v.seq < n.seq
    order by v.seq desc limit 1) p on true
  cross join lateral unnest(n.node_ids) with ordinality as e(node_id, ord)
  cross join lateral (select case when e.ord > 1 then n.node_ids[(e.ord - 1)::int] else p.node_id end as prev) x
  where x.prev is not null`

// 202612010000's facts, for `down`.
const joinedFacts = `select n.merchant_id, date_trunc('hour', n.at) as hour, 'node.reached' as metric,
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

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(visitsFunction(probedFacts)).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(visitsFunction(joinedFacts)).execute(db)
}
