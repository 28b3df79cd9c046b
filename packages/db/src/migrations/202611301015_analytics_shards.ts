// The rollup's hot rows (issue 9, performance). Every step of a merchant's flow adds to the same few
// `analytics_hourly` rows (this hour's edge.taken, step.sent, node.reached of the flow version) from its triggers,
// and holds them until it commits: the next batch's trigger waits for that commit, so concurrent batches of a
// merchant went through their writes one at a time (a timer drain: the step's write waiting on a transaction lock
// in 6 of 16 samples, the messages' rollup upsert 82 ms a call for a few ms of work). Each key now has up to four
// rows, one per writing backend (its pid modulo 4, the column's default): two backends add to different rows unless
// they share a shard. The readers already sum a key's rows (apps/runtime/src/analytics/rollup-reader.ts); a shard
// row may hold a negative delta (a message counted in one shard and re-counted by an update in another).
//
// The trigger functions of 202611300630, 202611300900 and 202611301010 name the key in their `on conflict`: each is
// recreated from its own definition with the shard added to that target (and checked to have had one).
import { type Kysely, sql } from 'kysely'

const SHARDS = 4

const FUNCTIONS = [
  'analytics_messages_inserted',
  'analytics_messages_updated',
  'analytics_links_inserted',
  'analytics_links_updated',
  'analytics_visits_inserted',
  'analytics_episodes_inserted',
  'analytics_episodes_updated',
  'analytics_episodes_deleted',
  'analytics_runs_inserted',
  'analytics_runs_updated',
  'analytics_runs_deleted',
  'analytics_rebuild_episodes_runs',
]

const UNSHARDED = [
  'on conflict (merchant_id, hour, metric, dim)',
  'on conflict (merchant_id, metric, hour, dim)',
]
const SHARDED = 'on conflict (merchant_id, metric, hour, dim, shard)'

/** Recreates each function with every `from` target replaced by `to`; fails if a function has none of them. */
function rewriteFunctions(from: string[], to: string): string {
  const replaced = from.reduce((def, target) => `replace(${def}, '${target}', '${to}')`, 'def')
  return `do $$
    declare
      fn text;
      def text;
    begin
      foreach fn in array array[${FUNCTIONS.map((f) => `'${f}'`).join(', ')}] loop
        def := pg_get_functiondef(fn::regproc);
        if ${replaced} = def then
          raise exception 'analytics shards: % has no rollup upsert to rewrite', fn;
        end if;
        execute ${replaced};
      end loop;
    end $$`
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'alter table analytics_hourly add column shard smallint not null default 0',
    `alter table analytics_hourly alter column shard set default (pg_backend_pid() % ${SHARDS})`,
    'alter table analytics_hourly drop constraint analytics_hourly_pkey',
    'alter table analytics_hourly add constraint analytics_hourly_pkey primary key (merchant_id, metric, hour, dim, shard)',
    rewriteFunctions(UNSHARDED, SHARDED),
  ])
    await sql.raw(statement).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'alter table analytics_hourly drop constraint analytics_hourly_pkey',
    `with merged as (delete from analytics_hourly returning *)
      insert into analytics_hourly (merchant_id, metric, hour, dim, shard, n, amount)
      select merchant_id, metric, hour, dim, 0, sum(n), sum(amount) from merged group by 1, 2, 3, 4`,
    'alter table analytics_hourly drop column shard',
    'alter table analytics_hourly add constraint analytics_hourly_pkey primary key (merchant_id, metric, hour, dim)',
    rewriteFunctions([SHARDED], UNSHARDED[1] as string),
  ])
    await sql.raw(statement).execute(db)
}
