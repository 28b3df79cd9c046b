// The runs rollup on update joins the statement's old and new rows once, not five times, and builds only the facts
// that can count (issue 9, performance: Postgres CPU per timer firing). 202611301010's statement trigger asked
// whether any counted column changed (one join of `old_rows` to `new_rows`), then built run.started and run.ended
// for the changed rows of each side from four more joins of the same pairs, each building every row's dimensions
// (uuids as text, concatenations). A timer firing ends its run: of those four facts, run.started +1 and −1 fall in
// the same hour and dimension and cancel, and only run.ended +1 remains.
//
// Now the changed pairs are read once into a materialized CTE (both sides' dimensions built once), and each fact is
// a branch over it that keeps a pair only when the fact's own key differs between the sides: when the start (its
// hour and dimension: started_at, flow, version) or the end (ended_at, flow, version, outcome or status) is the same
// on both sides, the +1 and −1 land on the same rollup key and cancel, so leaving both out changes no sum. The
// guard (no counted column changed: return before the upsert, most of an inbound step's updates) is kept.
// Ending 200 runs in one statement (a seeded timers-bench database, 60 alternating executions each): the trigger
// 0.94–1.03 ms → 0.63–0.70 ms.
//
// Same facts, same counts: `rollup-in-step.test.ts` recomputes run.started and run.ended from the rows on both
// backends after starts, steps, ends, re-ends and deletes.
import { type Kysely, sql } from 'kysely'

const COUNTED = ['ended_at', 'outcome', 'status', 'started_at', 'flow_version_id', 'flow_id']
const SHARDED = 'on conflict (merchant_id, metric, hour, dim, shard)'

/** Pairs of `old_rows` and `new_rows` (joined on the key) whose counted columns the statement changed. */
function changedPairs(select: string): string {
  const of = (t: string) => `(${COUNTED.map((c) => `${t}.${c}`).join(', ')})`
  return `select ${select} from new_rows n join old_rows o on o.merchant_id = n.merchant_id and o.id = n.id
    where ${of('o')} is distinct from ${of('n')}`
}

function runsUpdated(facts: string): string {
  return `create or replace function analytics_runs_updated() returns trigger language plpgsql as $$
  begin
    if not exists (${changedPairs('n.*')}) then return null; end if;
    insert into analytics_hourly as a (merchant_id, hour, metric, dim, n, amount)
      select merchant_id, hour, metric, dim, sum(n), sum(amount)
      from (${facts}) facts
      group by merchant_id, hour, metric, dim
      having sum(n) <> 0 or sum(amount) <> 0
      order by merchant_id, hour, metric, dim
      ${SHARDED}
      do update set n = a.n + excluded.n, amount = a.amount + excluded.amount;
    return null;
  end $$`
}

const oneJoin = `with c as materialized (${changedPairs(`n.merchant_id,
      o.started_at as o_started, o.flow_id::text || ' ' || o.flow_version_id::text as o_flow, o.ended_at as o_ended,
      coalesce(o.outcome, o.status) as o_end,
      n.started_at as n_started, n.flow_id::text || ' ' || n.flow_version_id::text as n_flow, n.ended_at as n_ended,
      coalesce(n.outcome, n.status) as n_end`)}
  )
  select merchant_id, date_trunc('hour', n_started) as hour, 'run.started' as metric, n_flow as dim, 1::bigint as n,
    0::numeric as amount
  from c where (o_started, o_flow) is distinct from (n_started, n_flow)
  union all
  select merchant_id, date_trunc('hour', o_started), 'run.started', o_flow, -1::bigint, 0::numeric
  from c where (o_started, o_flow) is distinct from (n_started, n_flow)
  union all
  select merchant_id, date_trunc('hour', n_ended), 'run.ended', n_flow || ' ' || n_end, 1::bigint, 0::numeric
  from c where n_ended is not null and (o_ended, o_flow, o_end) is distinct from (n_ended, n_flow, n_end)
  union all
  select merchant_id, date_trunc('hour', o_ended), 'run.ended', o_flow || ' ' || o_end, -1::bigint, 0::numeric
  from c where o_ended is not null and (o_ended, o_flow, o_end) is distinct from (n_ended, n_flow, n_end)`

/** 202611301010's facts (sharded by 202611301015), for `down`: each side's changed rows joined again per fact. */
function runFacts(side: 'n' | 'o', sign: number): string {
  const source = `(${changedPairs(`${side}.*`)}) r`
  return `select r.merchant_id, date_trunc('hour', r.started_at) as hour, 'run.started' as metric,
      r.flow_id::text || ' ' || r.flow_version_id::text as dim, ${sign}::bigint as n, 0::numeric as amount
    from ${source}
    union all
    select r.merchant_id, date_trunc('hour', r.ended_at), 'run.ended',
      r.flow_id::text || ' ' || r.flow_version_id::text || ' ' || coalesce(r.outcome, r.status), ${sign}::bigint,
      0::numeric
    from ${source} where r.ended_at is not null`
}

const joinedPerFact = `${runFacts('n', 1)} union all ${runFacts('o', -1)}`

// `create or replace function` swaps the body in place: the trigger keeps pointing at it, no table lock is taken.
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(runsUpdated(oneJoin)).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(runsUpdated(joinedPerFact)).execute(db)
}
