// The node-visits rollup trigger looks further back than the previous visit only when there is something there
// (issue 9, performance: Postgres CPU per timer firing). 202612050045 reads each new visit's previous visit once,
// then, for every node of the step that the previous visit does not hold, probes the run's earlier visits ("was
// it reached before?"): one index descent and a heap read per node. A reminder's step (two nodes after the
// trigger's visit, its run's only one) made two such probes per firing, both finding nothing but the previous
// visit again. Now a new visit with such a node asks once whether the run has any visit older than its previous
// one (one descent, no row read), and the per-node probes run only when it has: the run's earlier visits are the
// previous visit and the older ones, and a node the previous visit lacks can only have been reached in an older
// one. A first step (no previous visit) has no earlier visit at all, and probes nothing.
//
// Same facts, same counts: only probes that can find nothing are skipped. `visits-rollup.test.ts` recomputes them
// from the rows on both backends.
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

/**
 * 202612050045's facts with `older` (does the run have a visit before the previous one? asked only for a row with a
 * node the previous visit lacks: a `case` evaluates its subquery only when its condition holds) gating the
 * per-node probe: a qual on the outer row alone, which Postgres checks once before the scan (a one-time filter).
 */
function facts(older: string, probeGate: string): string {
  return `with s as materialized (
    select n.merchant_id, n.run_id, n.flow_version_id, n.at, n.seq, n.node_ids, p.node_ids as prev_ids${older}
    from new_rows n
    left join lateral (select v.node_ids, v.seq from node_visits v
      where v.merchant_id = n.merchant_id and v.run_id = n.run_id and v.seq < n.seq
      order by v.seq desc limit 1) p on true
  ), e as (
    select s.*, e.node_id, e.ord from s cross join lateral unnest(s.node_ids) with ordinality as e(node_id, ord)
  )
  select n.merchant_id, date_trunc('hour', n.at) as hour, 'node.reached' as metric,
    n.flow_version_id::text || ' ' || n.node_id as dim, 1::bigint as n, 0::numeric as amount
  from (select distinct on (merchant_id, run_id, node_id) * from e order by merchant_id, run_id, node_id, seq, ord) n
  left join lateral (select true as seen from node_visits v
    where ${probeGate}v.merchant_id = n.merchant_id and v.run_id = n.run_id and v.seq < n.seq
      and n.node_id = any(v.node_ids)
    limit 1) earlier on true
  where not coalesce(n.node_id = any(n.prev_ids), false) and earlier.seen is null
  union all
  select n.merchant_id, date_trunc('hour', n.at), 'edge.taken',
    n.flow_version_id::text || ' ' || n.prev || '>' || n.node_id, 1::bigint, 0::numeric
  from (select e.*, case when e.ord > 1 then e.node_ids[(e.ord - 1)::int] else e.prev_ids[cardinality(e.prev_ids)] end
      as prev
    from e) n
  where n.prev is not null`
}

const olderGated = facts(
  `,
      case when exists (select from unnest(n.node_ids) as x(node_id) where not coalesce(x.node_id = any(p.node_ids), false))
        then exists (select from node_visits o
          where o.merchant_id = n.merchant_id and o.run_id = n.run_id and o.seq < p.seq)
        else false end as older`,
  'n.older and ',
)

// 202612050045's facts, for `down` (the previous visit's `seq` read beside its nodes changes nothing).
const previousOnly = facts('', '')

// `create or replace function` swaps the body in place: the trigger keeps pointing at it, no table lock is taken.
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(visitsFunction(olderGated)).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(visitsFunction(previousOnly)).execute(db)
}
