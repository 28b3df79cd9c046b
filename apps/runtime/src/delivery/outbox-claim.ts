// The SQL of the relay's message claim: which lanes (a merchant's channel) have sends queued, their pacing
// buckets, and each lane's next sends in queue order under the head-of-line rule. Every function takes the
// claim's transaction first.
//
// In order, across replicas: a send is claimable only when no earlier send of its conversation (lower `seq`)
// is `sending`, or `pending` and due (or waiting out a retry). Two replicas claiming at once both see the head
// send; one locks it (FOR UPDATE), the other SKIPs it and finds the next one blocked by it (still pending in
// its snapshot). So a conversation has at most one send in flight, and they leave in the order they were
// queued. A send deferred to a later time before it was ever tried (quiet hours) does not hold up later ones.
//
// Pacing, across replicas: each paced lane has a GCRA bucket in send_pacing (see gcra.ts). The claim locks its
// lanes' buckets (in key order, so replicas never deadlock), takes at most what they admit, and advances them
// before commit: two replicas cannot both spend the same tokens. A Telegram chat's own bucket is only touched
// by whoever holds that conversation's head send, so it needs no lock of its own.
import type { ChannelKind, OutboxEntry } from '@parley/db'
import { sql } from 'kysely'
import type { Db } from '../engine/step-transaction.ts'

export interface Lane {
  merchantId: string
  channelId: string
  kind: ChannelKind
  config: Record<string, unknown>
}

/**
 * The lane `findMessageLanes` walks, sent as a parameter: a statement with no values goes unnamed (packages/db
 * prepared-statements.ts prepares texts with values only), and Postgres planned this one at every relay poll
 * (≈ 0.4 ms a plan, ≈ 20 polls a second while the relay is idle: 90 plans in a 10,000-timer round). `lane` is a
 * key column of outbox_lane_queue_idx, not in its predicate, so the generic plan still walks that index; `status`,
 * its predicate, stays a literal.
 */
const MESSAGE_LANE = 'message'

/**
 * The lanes with pending message sends (due or not), by a loose index scan: one index probe per lane, however
 * deep a lane's backlog is.
 */
export async function findMessageLanes(trx: Db): Promise<Lane[]> {
  const { rows } = await sql<{
    merchant_id: string
    channel_id: string
    kind: ChannelKind
    config: Record<string, unknown>
  }>`
    with recursive lane as (
      (select merchant_id, channel_id from outbox
        where lane = ${MESSAGE_LANE} and status = 'pending'
        order by lane, merchant_id, channel_id limit 1)
      union all
      select n.merchant_id, n.channel_id from lane l cross join lateral (
        select o.merchant_id, o.channel_id from outbox o
        where o.lane = ${MESSAGE_LANE} and o.status = 'pending'
          and (o.merchant_id, o.channel_id) > (l.merchant_id, l.channel_id)
        order by o.lane, o.merchant_id, o.channel_id limit 1) n
    )
    select l.merchant_id, l.channel_id, c.kind, c.config from lane l
    join channels c on c.merchant_id = l.merchant_id and c.id = l.channel_id`.execute(trx)
  return rows.map((r) => ({
    merchantId: r.merchant_id,
    channelId: r.channel_id,
    kind: r.kind,
    config: r.config ?? {},
  }))
}

export const channelBucketKey = (channelId: string) => `channel:${channelId}`
export const chatBucketKey = (conversationId: string) => `chat:${conversationId}`

export interface BucketRef {
  merchantId: string
  key: string
}

/**
 * Locks these buckets until the claim commits (creating missing ones, empty) and returns their arrival times
 * by `merchantId:key`. One statement; rows are locked in key order.
 */
export async function lockBuckets(trx: Db, buckets: readonly BucketRef[]): Promise<Map<string, number>> {
  if (buckets.length === 0) return new Map()
  const sorted = [...buckets].sort((a, b) =>
    a.merchantId === b.merchantId ? cmp(a.key, b.key) : cmp(a.merchantId, b.merchantId),
  )
  const rows = await trx
    .insertInto('send_pacing')
    .values(sorted.map((b) => ({ merchant_id: b.merchantId, key: b.key, tat: 0 })))
    // A no-op update: it locks an existing row (waiting for another replica's claim) and returns its value.
    .onConflict((oc) => oc.columns(['merchant_id', 'key']).doUpdateSet({ tat: sql`send_pacing.tat` }))
    .returning(['merchant_id', 'key', 'tat'])
    .execute()
  return new Map(rows.map((r) => [`${r.merchant_id}:${r.key}`, Number(r.tat)]))
}

/** Writes buckets' new arrival times (rows already locked or owned by this claim). */
export async function writeBuckets(
  trx: Db,
  buckets: readonly (BucketRef & { tat: number })[],
): Promise<void> {
  if (buckets.length === 0) return
  await trx
    .insertInto('send_pacing')
    .values(buckets.map((b) => ({ merchant_id: b.merchantId, key: b.key, tat: b.tat })))
    .onConflict((oc) => oc.columns(['merchant_id', 'key']).doUpdateSet({ tat: sql`excluded.tat` }))
    .execute()
}

export interface LaneTake {
  merchantId: string
  channelId: string
  /** Sends to take at most. */
  limit: number
  /** Chats of this lane are paced: a chat whose bucket is ahead of now + this is skipped. */
  chatToleranceMs: number | null
}

/**
 * Each lane's next due sends, oldest first, at most `limit` per lane, under the head-of-line rule; locked
 * (SKIP LOCKED: rows another replica is claiming are passed over). One statement for all lanes.
 */
export async function claimLaneRows(
  trx: Db,
  lanes: readonly LaneTake[],
  now: number,
): Promise<OutboxEntry[]> {
  const takes = lanes.filter((l) => l.limit > 0)
  if (takes.length === 0) return []
  const at = new Date(now)
  const { rows } = await sql<OutboxEntry>`
    select o.* from jsonb_to_recordset(${JSON.stringify(
      takes.map((l) => ({
        merchant_id: l.merchantId,
        channel_id: l.channelId,
        n: l.limit,
        chat_tolerance_ms: l.chatToleranceMs,
      })),
    )}::jsonb) as l(merchant_id uuid, channel_id uuid, n int, chat_tolerance_ms double precision)
    cross join lateral (
      select o.* from outbox o
      where o.lane = 'message' and o.status = 'pending'
        and o.merchant_id = l.merchant_id and o.channel_id = l.channel_id
        and o.next_attempt_at <= ${at}
        and not exists (
          select 1 from outbox e
          where e.merchant_id = o.merchant_id and e.conversation_id = o.conversation_id
            and e.lane = 'message' and e.status in ('pending', 'sending') and e.seq < o.seq
            and (e.status = 'sending' or e.attempts > 0 or e.next_attempt_at <= ${at}))
        and (l.chat_tolerance_ms is null or not exists (
          select 1 from send_pacing p
          where p.merchant_id = o.merchant_id and p.key = 'chat:' || o.conversation_id::text
            and p.tat > ${now} + l.chat_tolerance_ms))
      order by o.lane, o.merchant_id, o.channel_id, o.seq
      limit l.n
      for update of o skip locked
    ) o`.execute(trx)
  return rows
}

/** The chats' arrival times (`merchantId:key`) for the chat-paced sends just claimed (their head sends). */
export async function readBuckets(trx: Db, buckets: readonly BucketRef[]): Promise<Map<string, number>> {
  if (buckets.length === 0) return new Map()
  const rows = await trx
    .selectFrom('send_pacing')
    .select(['merchant_id', 'key', 'tat'])
    .where(({ eb, refTuple, tuple }) =>
      eb(
        refTuple('merchant_id', 'key'),
        'in',
        buckets.map((b) => tuple(b.merchantId, b.key)),
      ),
    )
    .execute()
  return new Map(rows.map((r) => [`${r.merchant_id}:${r.key}`, Number(r.tat)]))
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Deletes buckets whose arrival time has passed: such a bucket is full, the same as no row at all. A bucket a
 * claim holds locked is re-checked once that claim commits (and kept, its time now ahead). Returns how many.
 */
export async function pruneIdleBuckets(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom('send_pacing').where('tat', '<', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}
