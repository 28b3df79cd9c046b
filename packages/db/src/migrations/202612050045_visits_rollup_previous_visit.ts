// The node-visits rollup trigger reads each new visit's previous visit once (issue 9, performance: Postgres CPU per
// inbound message and timer firing). 202612020000's trigger made three index probes per new row of a two-node
// step: one `lateral … limit 1` per node entered ("was it reached before?", a range over the run's earlier rows) and
// one for the edge's previous node (the run's visit just before). The previous visit is now read once per row, in a
// materialized CTE both facts use: its last node is the edge's source, and a node it holds was reached before, so
// the range probe runs only for a node the previous visit does not hold. A flow that loops (wait for a reply,
// answer, wait again: every chat step after the first) enters the nodes of its previous step, and its rows skip
// the range probes altogether (the bench's batch of 12 visits: 150 → 75 buffer hits in the trigger).
//
// Same facts, same counts: the previous visit holding the node is one case of "an earlier visit holds it", which
// the range probe still decides for every other node. `visits-rollup.test.ts` recomputes them from the rows on
// both backends.
import { type Kysely, sql } from 'kysely'

const SHARDED = 'on conflict (merchant_id, metric, hour, dim, shard)'

function visitsFunction(facts: string): string {
  return `create or replace function analytics_visits_inserted() returns trigger language plpgsql as $$
    begin
      insert into analytics_hourly as a (merchant_id, hour, metric, dim, n, amount)
        select merchant_id, hour, metric, dim, sum(n), sum(amount) from (${facts}) facts
        group by merchant_id, hour, metric, dim
        having sum(n) <> 0 or sum(amount) <> 0
        order by merchant_id, hour, metric, dim
        ${SHARDED}
        do update set n = a.n + excluded.n, amount = a.amount + excluded.amount;
      return null;
    end $$`
}

// Each new row with the nodes of the run's visit just before it (by `seq`; a run stepped twice in one batch has
// its first new row before its second), then one row per element (`ord` its place in the step).
const previousFacts = `with s as materialized (
    select n.merchant_id, n.run_id, n.flow_version_id, n.at, n.seq, n.node_ids, p.node_ids as prev_ids
    from new_rows n
    left join lateral (select v.node_ids from node_visits v
      where v.merchant_id = n.merchant_id and v.run_id = n.run_id and v.seq < n.seq
      order by v.seq desc limit 1) p on true
  ), e as (
    select s.*, e.node_id, e.ord from s cross join lateral unnest(s.node_ids) with ordinality as e(node_id, ord)
  )
  select n.merchant_id, date_trunc('hour', n.at) as hour, 'node.reached' as metric,
    n.flow_version_id::text || ' ' || n.node_id as dim, 1::bigint as n, 0::numeric as amount
  from (select distinct on (merchant_id, run_id, node_id) * from e order by merchant_id, run_id, node_id, seq, ord) n
  left join lateral (select true as seen from node_visits v
    where v.merchant_id = n.merchant_id and v.run_id = n.run_id and v.seq < n.seq and n.node_id = any(v.node_ids)
    limit 1) earlier on true
  where not coalesce(n.node_id = any(n.prev_ids), false) and earlier.seen is null
  union all
  select n.merchant_id, date_trunc('hour', n.at), 'edge.taken',
    n.flow_version_id::text || ' ' || n.prev || '>' || n.node_id, 1::bigint, 0::numeric
  from (select e.*, case when e.ord > 1 then e.node_ids[(e.ord - 1)::int] else e.prev_ids[cardinality(e.prev_ids)] end
      as prev
    from e) n
  where n.prev is not null`

// 202612020000's facts, for `down`.
const stepVisits = `select n.merchant_id, n.run_id, n.flow_version_id, n.at, n.seq, n.node_ids, e.node_id, e.ord
  from new_rows n cross join lateral unnest(n.node_ids) with ordinality as e(node_id, ord)`

const probedFacts = `select n.merchant_id, date_trunc('hour', n.at) as hour, 'node.reached' as metric,
    n.flow_version_id::text || ' ' || n.node_id as dim, 1::bigint as n, 0::numeric as amount
  from (select distinct on (merchant_id, run_id, node_id) * from (${stepVisits}) s
    order by merchant_id, run_id, node_id, seq, ord) n
  left join lateral (select true as seen from node_visits v
    where v.merchant_id = n.merchant_id and v.run_id = n.run_id and v.seq < n.seq and n.node_id = any(v.node_ids)
    limit 1) earlier on true
  where earlier.seen is null
  union all
  select n.merchant_id, date_trunc('hour', n.at), 'edge.taken',
    n.flow_version_id::text || ' ' || n.prev || '>' || n.node_id, 1::bigint, 0::numeric
  from (select s.*, case when s.ord > 1 then s.node_ids[(s.ord - 1)::int] else p.node_id end as prev
    from (${stepVisits}) s
    left join lateral (select v.node_ids[cardinality(v.node_ids)] as node_id from node_visits v
      where s.ord = 1 and v.merchant_id = s.merchant_id and v.run_id = s.run_id and v.seq < s.seq
      order by v.seq desc limit 1) p on true) n
  where n.prev is not null`

// `create or replace function` swaps the body in place: the trigger keeps pointing at it, no table lock is taken.
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(visitsFunction(previousFacts)).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(visitsFunction(probedFacts)).execute(db)
}
