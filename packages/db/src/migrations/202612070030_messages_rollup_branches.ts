// The messages rollup on insert reads each new row once per fact it can count, not six times over (issue 9,
// performance: Postgres CPU per timer firing and per inbound message). 202611300630's trigger joined each new row to
// its run, then crossed it with a `values` list of its six possible facts (recovery.sent / delivered / read,
// template.cost, send.skipped, step.sent) and kept the ones whose condition held: per row, a rescan of the list and
// every fact's dimension built (a uuid as text, concatenations), though a row counts for one or two of them. Now the
// joined rows are read once into a materialized CTE and each fact is a branch of its own over it, its condition a
// filter, its dimension built only for the rows it keeps. The recovery replies are unchanged.
//
// Same facts, same counts: each branch keeps the rows (and builds the dimension and amount) the `values` row of the
// same fact kept. `messages-rollup.test.ts` recomputes every metric from the rows on both backends.
import { type Kysely, sql } from 'kysely'

const SENT = `('sent', 'delivered', 'read')`
const SHARDED = 'on conflict (merchant_id, metric, hour, dim, shard)'

function messagesFunction(facts: string): string {
  return `create or replace function analytics_messages_inserted() returns trigger language plpgsql as $$
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

// A shopper's message whose previous message in the conversation is a delivered recovery message (202611300630).
const replies = `select n.merchant_id, date_trunc('hour', n.created_at) as hour, 'recovery.replied' as metric,
    '' as dim, 1::bigint as n, 0::numeric as amount
  from new_rows n
  cross join lateral (select p.run_id, p.direction, p.author, p.status from messages p
    where p.merchant_id = n.merchant_id and p.conversation_id = n.conversation_id
      and (p.created_at, p.seq) < (n.created_at, n.seq)
    order by p.created_at desc, p.seq desc limit 1) p
  join runs r on r.merchant_id = n.merchant_id and r.id = p.run_id
  where n.direction = 'in' and n.author = 'shopper' and p.direction = 'out' and p.author = 'bot'
    and p.status in ${SENT} and r.trigger_kind = 'cart.abandoned'`

const recovery = `m.direction = 'out' and m.author = 'bot' and m.trigger_kind = 'cart.abandoned'`

const branches = `with m as materialized (
    select m.merchant_id, date_trunc('hour', m.created_at) as hour, m.direction, m.author, m.status, m.node_id,
      m.template_category, m.cost, m.cost_currency, m.skip_reason, r.trigger_kind, r.flow_version_id
    from new_rows m
    left join runs r on r.merchant_id = m.merchant_id and r.id = m.run_id
  )
  select m.merchant_id, m.hour, 'recovery.sent' as metric, '' as dim, 1::bigint as n, 0::numeric as amount from m
    where ${recovery} and m.status in ${SENT}
  union all
  select m.merchant_id, m.hour, 'recovery.delivered', '', 1::bigint, 0::numeric from m
    where ${recovery} and m.status in ('delivered', 'read')
  union all
  select m.merchant_id, m.hour, 'recovery.read', '', 1::bigint, 0::numeric from m
    where ${recovery} and m.status = 'read'
  union all
  select m.merchant_id, m.hour, 'template.cost',
      coalesce(m.template_category, 'service') || ' ' || coalesce(m.cost_currency, 'USD'), 1::bigint,
      1 * coalesce(m.cost, 0::numeric)
    from m where m.cost > 0 and m.status in ${SENT}
  union all
  select m.merchant_id, m.hour, 'send.skipped', coalesce(m.skip_reason, 'unknown'), 1::bigint, 0::numeric from m
    where m.status = 'skipped'
  union all
  select m.merchant_id, m.hour, 'step.sent', m.flow_version_id::text || ' ' || m.node_id, 1::bigint, 0::numeric
    from m where m.direction = 'out' and m.author = 'bot' and m.node_id is not null and m.status in ${SENT}
  union all
  ${replies}`

// 202611300630's facts (sharded by 202611301015), for `down`.
const valuesList = `select m.merchant_id, date_trunc('hour', m.created_at) as hour, f.metric, f.dim,
      1::bigint as n, 1 * f.amount as amount
    from new_rows m
    left join runs r on r.merchant_id = m.merchant_id and r.id = m.run_id
    cross join lateral (values
      ('recovery.sent', '', 0::numeric, m.direction = 'out' and m.author = 'bot'
        and r.trigger_kind = 'cart.abandoned' and m.status in ${SENT}),
      ('recovery.delivered', '', 0::numeric, m.direction = 'out' and m.author = 'bot'
        and r.trigger_kind = 'cart.abandoned' and m.status in ('delivered', 'read')),
      ('recovery.read', '', 0::numeric, m.direction = 'out' and m.author = 'bot'
        and r.trigger_kind = 'cart.abandoned' and m.status = 'read'),
      ('template.cost', coalesce(m.template_category, 'service') || ' ' || coalesce(m.cost_currency, 'USD'),
        coalesce(m.cost, 0), m.cost > 0 and m.status in ${SENT}),
      ('send.skipped', coalesce(m.skip_reason, 'unknown'), 0::numeric, m.status = 'skipped'),
      ('step.sent', r.flow_version_id::text || ' ' || m.node_id, 0::numeric,
        m.direction = 'out' and m.author = 'bot' and m.node_id is not null and m.status in ${SENT})
    ) as f(metric, dim, amount, counts)
    where f.counts union all ${replies}`

// `create or replace function` swaps the body in place: the trigger keeps pointing at it, no table lock is taken.
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(messagesFunction(branches)).execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(messagesFunction(valuesList)).execute(db)
}
