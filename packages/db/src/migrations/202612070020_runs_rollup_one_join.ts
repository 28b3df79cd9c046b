// The runs rollup on update joins its transition tables once (issue 9, performance: Postgres CPU per timer
// firing). 202611301010's statement trigger built the rows whose counted columns changed four times over, one
// join of `new_rows` to `old_rows` per fact (run.started and run.ended, counted in and counted out), and a fifth
// time for its "did anything counted change?" check: a drain of 10,000 reminder timers, whose every step ends its
// run, made five hash joins of each 200-run batch. Now each changed pair is joined once and gives its four facts
// from one `values` list (the form of 202611300630's messages rollup), each kept when it counts: the started fact
// always, the ended one when that side has ended.
//
// Same facts, same counts: one row per fact of each changed pair, with the same sign, hour and dim as the four
// branches gave. The check stays as it was, so a step that ends no run (most inbound messages) still pays only
// that one join and returns before the upsert. `rollup-in-step.test.ts` recomputes the rows from the runs on both
// backends.
import { type Kysely, sql } from 'kysely'

const COUNTED = ['ended_at', 'outcome', 'status', 'started_at', 'flow_version_id', 'flow_id']
const SHARDED = 'on conflict (merchant_id, metric, hour, dim, shard)'

const of = (t: string) => `(${COUNTED.map((c) => `${t}.${c}`).join(', ')})`
const changedPairs = `new_rows n join old_rows o on o.merchant_id = n.merchant_id and o.id = n.id
  where ${of('o')} is distinct from ${of('n')}`

/** A run's facts on one side of a pair: `r` the side's alias, `sign` its count. */
function facts(r: string, sign: number): string {
  return `(date_trunc('hour', ${r}.started_at), 'run.started', ${r}.flow_id::text || ' ' || ${r}.flow_version_id::text,
      ${sign}::bigint, true),
    (date_trunc('hour', ${r}.ended_at), 'run.ended',
      ${r}.flow_id::text || ' ' || ${r}.flow_version_id::text || ' ' || coalesce(${r}.outcome, ${r}.status),
      ${sign}::bigint, ${r}.ended_at is not null)`
}

function runsUpdated(select: string): string {
  return `create or replace function analytics_runs_updated() returns trigger language plpgsql as $$
  begin
    if not exists (select n.* from ${changedPairs}) then return null; end if;
    insert into analytics_hourly as a (merchant_id, hour, metric, dim, n, amount)
      select merchant_id, hour, metric, dim, sum(n), sum(amount)
      from (${select}) facts
      group by merchant_id, hour, metric, dim
      having sum(n) <> 0 or sum(amount) <> 0
      order by merchant_id, hour, metric, dim
      ${SHARDED}
      do update set n = a.n + excluded.n, amount = a.amount + excluded.amount;
    return null;
  end $$`
}

const joinedOnce = `select n.merchant_id, f.hour, f.metric, f.dim, f.n, 0::numeric as amount
  from new_rows n join old_rows o on o.merchant_id = n.merchant_id and o.id = n.id
  cross join lateral (values ${facts('n', 1)},
    ${facts('o', -1)}) as f(hour, metric, dim, n, counts)
  where ${of('o')} is distinct from ${of('n')} and f.counts`

/** 202611301010's facts (sharded by 202611301015), for `down`. */
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
const joinedPerFact = `${runFacts(`(select n.* from ${changedPairs}) r`, 1)} union all ${runFacts(
  `(select o.* from ${changedPairs}) r`,
  -1,
)}`

// `create or replace function` swaps the body in place: the trigger keeps pointing at it, no table lock is taken.
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(runsUpdated(joinedOnce)).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(runsUpdated(joinedPerFact)).execute(db)
}
