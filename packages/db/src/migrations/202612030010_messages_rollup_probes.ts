// The messages rollup trigger reads a run by its key, and only for the rows that need it (issue 9, performance:
// Postgres CPU per inbound message). In 202611300630's function a shopper's reply checked its previous message's
// run with a join the planner resolved as a range of `runs_started_idx` over every run of the merchant, filtered
// by id (the bench: 13 of the trigger's 16 buffer hits per message with 32 runs; a shop's cost grew with its runs),
// and every new row, a shopper's too, was joined to `runs` by a hash over a sequential scan of the table. Each read
// of a run is now a `lateral … limit 1` (the planner cannot flatten it into a join), gated on what needs the run:
// a bot's outgoing message (recovery.*, step.sent), or a reply whose previous message is a sent bot message.
//
// Same facts, same counts: `messages-rollup.test.ts` recomputes them from the rows on both backends.
import { type Kysely, sql } from 'kysely'

const SENT = `('sent', 'delivered', 'read')`

function messagesFunction(facts: string): string {
  return `create or replace function analytics_messages_inserted() returns trigger language plpgsql as $$
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

/** What one new message row contributes; `runOf` joins its run as `r` (null where the row does not need it). */
function messageFacts(runOf: string): string {
  return `select m.merchant_id, date_trunc('hour', m.created_at) as hour, f.metric, f.dim,
      1::bigint as n, 1 * f.amount as amount
    from new_rows m
    ${runOf}
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
    where f.counts`
}

/** A shopper's message whose previous message in the conversation is a sent recovery message: a reply to it. */
function replies(recoveryRun: string): string {
  return `select n.merchant_id, date_trunc('hour', n.created_at) as hour, 'recovery.replied' as metric,
      '' as dim, 1::bigint as n, 0::numeric as amount
    from new_rows n
    cross join lateral (select p.run_id, p.direction, p.author, p.status from messages p
      where p.merchant_id = n.merchant_id and p.conversation_id = n.conversation_id
        and (p.created_at, p.seq) < (n.created_at, n.seq)
      order by p.created_at desc, p.seq desc limit 1) p
    ${recoveryRun}
    where n.direction = 'in' and n.author = 'shopper' and p.direction = 'out' and p.author = 'bot'
      and p.status in ${SENT}`
}

// Only a bot's outgoing row reads its run (every metric that reads `r` requires one).
const probedRun = `left join lateral (select r.trigger_kind, r.flow_version_id from runs r
      where m.direction = 'out' and m.author = 'bot' and r.merchant_id = m.merchant_id and r.id = m.run_id
      limit 1) r on true`
// The previous message's run, read only once it is a sent bot message (the filters on `p` run first).
const probedRecoveryRun = `cross join lateral (select true from runs r
      where p.direction = 'out' and p.author = 'bot' and p.status in ${SENT}
        and r.merchant_id = n.merchant_id and r.id = p.run_id and r.trigger_kind = 'cart.abandoned'
      limit 1) r`

// 202611300630's facts (as 202611301015 sharded them), for `down`.
const joinedRun = 'left join runs r on r.merchant_id = m.merchant_id and r.id = m.run_id'
const joinedRecoveryRun = `join runs r on r.merchant_id = n.merchant_id and r.id = p.run_id
      and r.trigger_kind = 'cart.abandoned'`

// `create or replace function` swaps the body in place: the trigger keeps pointing at it, no table lock is taken.
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(messagesFunction(`${messageFacts(probedRun)} union all ${replies(probedRecoveryRun)}`))
    .execute(db)
}

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's types (STYLE.md 7)
export async function down(db: Kysely<any>): Promise<void> {
  await sql
    .raw(messagesFunction(`${messageFacts(joinedRun)} union all ${replies(joinedRecoveryRun)}`))
    .execute(db)
}
