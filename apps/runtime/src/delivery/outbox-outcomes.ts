// What the outbox relay records once providers have answered: each send's outcome (sent, retry with backoff,
// failed, unknown) decided in memory, then a whole batch written in one statement, whatever its mix of outcomes.
import type { OutboxEntry } from '@parley/db'
import { sql } from 'kysely'
import type { SendResult } from '../channels/types.ts'
import type { Db } from '../engine/step-transaction.ts'
import { keysProbed } from '../sql/sql-any.ts'
import { type BackoffPolicy, backoffDelayMs } from '../time/backoff.ts'

export const MAX_SEND_ATTEMPTS = 8

/** Provider calls answered `retry`: steps of 1 s, 2 s, 4 s ... capped at 5 minutes, jittered (time/backoff.ts). */
export const SEND_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 5 * 60_000 }

/** Backoff before retry n (1-based), jittered; a provider's retry-after wins if longer. */
export function retryDelayMs(attempts: number, retryAfterMs?: number, random?: () => number): number {
  return Math.max(backoffDelayMs(attempts, SEND_BACKOFF, random), retryAfterMs ?? 0)
}

/** One row's outcome as written: the provider's answer, a `retry` past the attempt limit given up as `failed`. */
export interface SendOutcome {
  row: Pick<OutboxEntry, 'merchant_id' | 'id' | 'message_id' | 'conversation_id' | 'attempts'>
  result: SendResult
  /** When a `retry` is due again (epoch ms); absent for the other outcomes. */
  retryAt?: number
}

/**
 * Decides what a provider's answer makes of a claimed row (`row.attempts` counts the attempt just made).
 * @example decideOutcome(row, { status: 'retry', error: '429' }, now) // { result: retry, retryAt: now + 0.5–1 s }
 */
export function decideOutcome(row: SendOutcome['row'], result: SendResult, now: number): SendOutcome {
  if (result.status !== 'retry') return { row, result }
  if (row.attempts >= MAX_SEND_ATTEMPTS) {
    return {
      row,
      result: { status: 'failed', error: `Gave up after ${row.attempts} attempts: ${result.error}` },
    }
  }
  return { row, result, retryAt: now + retryDelayMs(row.attempts, result.retryAfterMs) }
}

/** A transcript row whose status the recording changed (its realtime notice is due). */
export interface ChangedMessage {
  merchant_id: string
  id: string
  conversation_id: string
}

/**
 * Writes a batch's outcomes in one statement (atomic on its own, so no transaction): the outbox rows still
 * `sending` or `unknown` (sent / pending again with its next attempt / failed / unknown), their transcript
 * messages unless a receipt already moved them past `queued` (a retry leaves them queued), the conversations of
 * the sent ones, and the abandonment episodes of sent recovery messages. Returns the transcript rows it changed.
 */
export async function recordSendOutcomes(
  db: Db,
  outcomes: readonly SendOutcome[],
  now: number,
): Promise<ChangedMessage[]> {
  if (outcomes.length === 0) return []
  const at = new Date(now)
  // In id order, so concurrent writers of overlapping rows tend to lock them in the same order.
  const rows = [...outcomes]
    .sort((a, b) => (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0))
    .map(({ row, result, retryAt }) => ({
      merchant_id: row.merchant_id,
      id: row.id,
      message_id: row.message_id,
      conversation_id: row.conversation_id,
      status: result.status,
      provider_message_id: result.status === 'sent' ? result.providerMessageId : null,
      error: result.status === 'sent' ? null : result.error,
      next_attempt_at: retryAt === undefined ? null : new Date(retryAt).toISOString(),
    }))
  const sentConversations = rows
    .filter((r) => r.status === 'sent')
    .map((r) => ({ merchant_id: r.merchant_id, id: r.conversation_id }))
  // Data-modifying WITH clauses all run to completion whether or not the final statement reads them.
  const changed = await sql<ChangedMessage>`
    with outcome as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as o(merchant_id uuid, id uuid,
        message_id uuid, conversation_id uuid, status text, provider_message_id text, error text,
        next_attempt_at timestamptz)
    ), outbox_rows as (
      update outbox set
        status = case o.status when 'retry' then 'pending' else o.status end,
        provider_message_id = case o.status when 'sent' then o.provider_message_id else outbox.provider_message_id end,
        sent_at = case o.status when 'sent' then ${at} else outbox.sent_at end,
        last_error = case o.status when 'sent' then outbox.last_error else o.error end,
        next_attempt_at = coalesce(o.next_attempt_at, outbox.next_attempt_at),
        locked_until = null,
        locked_by = case o.status when 'retry' then null else outbox.locked_by end,
        updated_at = ${at}
      from outcome o
      where outbox.merchant_id = o.merchant_id and outbox.id = o.id and outbox.status in ('sending', 'unknown')
      returning outbox.merchant_id, outbox.run_id, outbox.status
    ), episode_sends as (
      -- Recovery messages actually sent, counted on their cart's open abandonment episode (README "How recovery
      -- is counted"): sends of cart-abandoned runs, whose correlation key is the cart's token. Only rows this
      -- statement moved to sent, so a message counts once.
      select e.merchant_id, e.id, count(*)::int as n, (array_agg(r.flow_id))[1] as flow_id
      from outbox_rows s
      join runs r on r.merchant_id = s.merchant_id and r.id = s.run_id
      join carts c on c.merchant_id = r.merchant_id and c.token = r.correlation_key
      join cart_episodes e on e.merchant_id = c.merchant_id and e.cart_id = c.id and e.status = 'open'
      where s.status = 'sent' and r.trigger_kind = 'cart.abandoned'
      group by e.merchant_id, e.id
    ), episode_rows as (
      update cart_episodes set
        messages_sent = cart_episodes.messages_sent + es.n,
        first_message_at = coalesce(cart_episodes.first_message_at, ${at}),
        last_message_at = ${at},
        flow_id = coalesce(cart_episodes.flow_id, es.flow_id)
      from episode_sends es
      where cart_episodes.merchant_id = es.merchant_id and cart_episodes.id = es.id
    ), conversations_locked as materialized (
      -- Locked in id order first: a step's batch write updates conversations too, in the same order, so the two
      -- never wait on each other in a cycle (a deadlock costs a second before Postgres detects it).
      -- Probed by index (keysProbed): matched against the outcome rows, the planner hashed the whole table.
      select c.merchant_id, c.id from conversations c
      where ${keysProbed('c', sentConversations)}
      order by c.id
      for update of c
    ), conversation_rows as (
      update conversations set last_message_at = ${at}
      from conversations_locked l
      where conversations.merchant_id = l.merchant_id and conversations.id = l.id
    )
    update messages set
      status = o.status,
      provider_message_id = case o.status when 'sent' then o.provider_message_id else messages.provider_message_id end,
      sent_at = case o.status when 'sent' then ${at} else messages.sent_at end,
      error = case o.status when 'sent' then messages.error else o.error end,
      updated_at = ${at}
    from outcome o
    where o.status <> 'retry' and messages.merchant_id = o.merchant_id and messages.id = o.message_id
      -- A delivery receipt may already have moved it on (delivered, read).
      and messages.status in ('queued', 'unknown')
    returning messages.merchant_id, messages.id, messages.conversation_id`.execute(db)
  return changed.rows
}
