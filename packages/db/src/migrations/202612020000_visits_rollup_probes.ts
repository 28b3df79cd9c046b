// The node-visits rollup trigger reads a run's earlier visits by the run's key (issue 9, performance: Postgres CPU
// per inbound message). 202612010000's "was this node reached before?" was a `not exists` over `node_visits`, which
// the planner may turn into a hash anti join: with the table under ~100,000 rows (a new or small shop, the bench)
// every step batch read the whole table into a hash, so a message's Postgres cost grew with the table (the bench:
// the trigger's buffer hits per message 12 → 39 as it filled, one sequential scan of 37–60 pages a batch). Each
// probe is now a `lateral … limit 1`, which cannot be flattened into a join: one index range of the run's own
// earlier rows (`node_visits_pkey` is (merchant_id, run_id, seq)), stopping at the first that holds the node.
// The edge's previous node was a sub-select written into a `case` that the plan evaluated twice (once in the
// filter, once in the output); it is a lateral read too, run only for a step's first element.
//
// Same facts, same counts: `visits-rollup.test.ts` recomputes them from the rows on both backends.
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

// The new rows' visits, one per element (`ord` its place in the step).
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

// `create or replace function` swaps the body in place: the trigger keeps pointing at it, no table lock is taken.
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(visitsFunction(probedFacts)).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(visitsFunction(joinedFacts)).execute(db)
}
