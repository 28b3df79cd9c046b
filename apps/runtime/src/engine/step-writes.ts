// The write set of a step transaction: every row its steps decide (runs, timers, node visits, transcript,
// outbox, conversations), gathered in memory and written with one statement at the end. On this workload the
// database round trip is the cost, so N steps write with one statement instead of ~10 each. A run stepped
// several times in one batch (two timers due at once, an effect answered at once) keeps only its final row,
// and its timers the state that cancel / set in step order leave.
import type { JsonObject, NewMessage, NewNodeVisit, NewOutboxEntry, NewTimer, Run } from '@parley/db'
import type { StepResult } from '@parley/flow'
import { type RawBuilder, sql } from 'kysely'
import type { CommitNotice } from '../delivery/relay-wake.ts'
import { jsonRowsText, spentRowsText } from '../sql/json-rows.ts'
import { keyedStatement, keysProbed } from '../sql/sql-any.ts'
import type { LoadedFlowVersion } from './flow-versions.ts'
import { runFieldsOf } from './run-store.ts'
import type { Db } from './step-transaction.ts'

/** A conversation the batch touched; several touches of one conversation merge. */
export interface ConversationTouch {
  merchant_id: string
  id: string
  /** The shopper wrote: the WhatsApp window opens. */
  last_inbound_at: Date | null
  last_message_at: Date
  updated_at: Date
  /** A resolved conversation the shopper wrote in goes back to the bot. */
  reopen: boolean
  /** Handed to a staff queue (waiting, or kept by the person who has it). */
  escalation: { queue: string; details: JsonObject } | null
}

/** A timer as the batch left it: set (the row to upsert) or deleted (null). */
export type TimerState = NewTimer | null

interface RunTimers {
  merchant_id: string
  run_id: string
  /** Every timer of the run goes (it ended). */
  deleteAll: boolean
  byId: Map<string, TimerState>
}

export class StepWrites {
  readonly #runs = new Map<string, Run>()
  readonly #timers = new Map<string, RunTimers>()
  readonly #visits: NewNodeVisit[] = []
  readonly #messages: (NewMessage & { id: string })[] = []
  readonly #outbox: NewOutboxEntry[] = []
  readonly #conversations = new Map<string, ConversationTouch>()
  /** Conversations `lockConversations` locked (`merchant:id`): held until the transaction ends. */
  readonly #lockedConversations = new Set<string>()

  /** A step of a run: its row (revision + 1), timers and visits. Returns the run as it will be stored. */
  saveRunStep(run: Run, version: LoadedFlowVersion, result: StepResult, now: number): Run {
    const updated: Run = { ...run, ...runFieldsOf(version, result, now), revision: run.revision + 1 }
    this.#runs.set(run.id, updated)
    this.recordStep(updated, result, now)
    return updated
  }

  /** The timers and visits of a step whose run row is already written (a run just inserted). */
  recordStep(run: Run, result: StepResult, now: number): void {
    const timers = this.#timersOf(run.merchant_id, run.id)
    if (run.status !== 'active') {
      timers.deleteAll = true
      timers.byId.clear()
    } else {
      for (const timerId of result.timers.cancel) timers.byId.set(timerId, null)
      for (const timer of result.timers.set) {
        timers.byId.set(timer.id, {
          merchant_id: run.merchant_id,
          run_id: run.id,
          timer_id: timer.id,
          due_at: new Date(timer.dueAt),
          revision: run.revision,
          event: { ...timer.event },
        })
      }
    }
    // One row for the step's nodes, in the order entered (migration 202612010000).
    if (result.visited.length > 0) {
      this.#visits.push({
        merchant_id: run.merchant_id,
        run_id: run.id,
        flow_version_id: run.flow_version_id,
        node_ids: [...result.visited],
        at: new Date(now),
      })
    }
  }

  /** Ends a run that cannot go on: failed, with the error, and no timers left. */
  failRun(run: Run, error: string, now: number): Run {
    const failed: Run = {
      ...run,
      status: 'failed',
      error: error.slice(0, 2000),
      waiting_for: null,
      ended_at: new Date(now),
      updated_at: new Date(now),
      revision: run.revision + 1,
    }
    this.#runs.set(run.id, failed)
    const timers = this.#timersOf(run.merchant_id, run.id)
    timers.deleteAll = true
    timers.byId.clear()
    return failed
  }

  /** A timer the runtime sets on a run itself (not the machine's), e.g. an escalation's unclaimed timeout. */
  setTimer(timer: NewTimer): void {
    this.#timersOf(timer.merchant_id, timer.run_id).byId.set(timer.timer_id, timer)
  }

  /** A timer that fired (or was dropped). */
  deleteTimer(merchantId: string, runId: string, timerId: string): void {
    this.#timersOf(merchantId, runId).byId.set(timerId, null)
  }

  /** What this batch did to a timer so far: undefined when nothing (the row as stored, re-stamped). */
  timerState(runId: string, timerId: string): TimerState | undefined {
    const timers = this.#timers.get(runId)
    if (timers?.deleteAll) return null
    return timers?.byId.get(timerId)
  }

  /**
   * A transcript row; rows are inserted in the order added, so `seq` follows it. A send delivered in the step
   * comes already `delivered` (delivery/in-step-delivery.ts), with no outbox row.
   */
  addMessage(message: NewMessage & { id: string }): void {
    this.#messages.push(message)
  }

  addOutbox(entry: NewOutboxEntry): void {
    this.#outbox.push(entry)
  }

  /** Takes back an outbox row added earlier (the send was delivered in the step after all). */
  dropOutbox(entry: NewOutboxEntry): void {
    const index = this.#outbox.indexOf(entry)
    if (index >= 0) this.#outbox.splice(index, 1)
  }

  /**
   * Locks, with a statement of its own, every conversation `flush` will lock plus `also`, in id order (`for
   * update`, as `flush` does): a read in a later statement sees what any transaction holding one committed.
   */
  async lockConversations(trx: Db, also: readonly { merchant_id: string; id: string }[]): Promise<void> {
    const keys = new Map([...this.#conversations.values(), ...also].map((c) => [c.id, c.merchant_id]))
    if (keys.size === 0) return
    const pairs = [...keys].map(([id, merchant_id]) => ({ merchant_id, id }))
    await lockConversationKeys(trx, pairs)
    for (const { merchant_id, id } of pairs) this.#lockedConversations.add(`${merchant_id}:${id}`)
  }

  touchConversation(touch: ConversationTouch): void {
    const before = this.#conversations.get(touch.id)
    this.#conversations.set(
      touch.id,
      before
        ? {
            ...touch,
            last_inbound_at: touch.last_inbound_at ?? before.last_inbound_at,
            reopen: touch.reopen || before.reopen,
            escalation: touch.escalation ?? before.escalation,
          }
        : touch,
    )
  }

  #timersOf(merchantId: string, runId: string): RunTimers {
    let timers = this.#timers.get(runId)
    if (!timers) {
      timers = { merchant_id: merchantId, run_id: runId, deleteAll: false, byId: new Map() }
      this.#timers.set(runId, timers)
    }
    return timers
  }

  /**
   * Makes every gathered write in `trx` with one statement (data-modifying CTEs, each table's rows as one JSON
   * parameter), then forgets them. No row is written twice in it. Foreign keys are checked at the end of the
   * statement, so an outbox row may name a transcript row inserted beside it.
   */
  async flush(
    trx: Db,
    options: { outboxNotice?: CommitNotice | null; realtimeNotices?: RawBuilder<unknown> | null } = {},
  ): Promise<boolean> {
    const parts: RawBuilder<unknown>[] = []
    // Null columns left out: jsonb_to_recordset reads a missing key as null (json-rows.ts). `json` for the rows built
    // here for this statement (spent by it, no copy); `copied` for rows the batch's own state holds (timers, outbox).
    const json = (rows: object[]) => sql`${spentRowsText(rows)}::jsonb`
    const copied = (rows: object[]) => sql`${jsonRowsText(rows, { omitNulls: true })}::jsonb`
    if (this.#runs.size > 0) {
      const rows = byId([...this.#runs.values()]).map((r) => ({
        merchant_id: r.merchant_id,
        id: r.id,
        snapshot: r.snapshot,
        revision: r.revision,
        status: r.status,
        waiting_for: r.waiting_for,
        outcome: r.outcome,
        error: r.error,
        ended_at: r.ended_at,
        updated_at: r.updated_at,
      }))
      parts.push(sql`runs_written as (update runs as r set snapshot = v.snapshot, revision = v.revision,
          status = v.status, waiting_for = v.waiting_for, outcome = v.outcome, error = v.error,
          ended_at = v.ended_at, updated_at = v.updated_at
        from jsonb_to_recordset(${json(rows)}) as v(merchant_id uuid, id uuid, snapshot jsonb, revision integer,
          status text, waiting_for text, outcome text, error text, ended_at timestamptz, updated_at timestamptz)
        where r.merchant_id = v.merchant_id and r.id = v.id)`)
    }
    const deletes: { merchant_id: string; run_id: string; timer_id: string | null }[] = []
    const sets: NewTimer[] = []
    const restamps: { merchant_id: string; run_id: string; revision: number; skip: string[] }[] = []
    for (const t of this.#timers.values()) {
      const key = { merchant_id: t.merchant_id, run_id: t.run_id }
      const run = this.#runs.get(t.run_id)
      const live = run?.status === 'active' ? run.revision : null
      if (t.deleteAll) deletes.push({ ...key, timer_id: null })
      for (const [timerId, state] of t.byId) {
        // A timer set before a later step of its run in this batch (the poller's moved timeout, a step's own
        // timer) that no later step cancelled is still pending: valid at the run's final revision, as below.
        if (state) sets.push(live !== null && state.revision < live ? { ...state, revision: live } : state)
        else deletes.push({ ...key, timer_id: timerId })
      }
      // A timer the batch did not touch is still pending in the machine: it stays valid at the new revision.
      if (live !== null) restamps.push({ ...key, revision: live, skip: [...t.byId.keys()] })
    }
    if (deletes.length > 0) {
      parts.push(sql`timers_deleted as (delete from timers as t
        using jsonb_to_recordset(${json(deletes)}) as v(merchant_id uuid, run_id uuid, timer_id text)
        where t.merchant_id = v.merchant_id and t.run_id = v.run_id
          and (v.timer_id is null or t.timer_id = v.timer_id))`)
    }
    if (restamps.length > 0) {
      parts.push(sql`timers_restamped as (update timers as t set revision = v.revision
        from jsonb_to_recordset(${json(restamps)}) as v(merchant_id uuid, run_id uuid, revision integer, skip jsonb)
        where t.merchant_id = v.merchant_id and t.run_id = v.run_id and t.revision < v.revision
          and not (v.skip ? t.timer_id))`)
    }
    if (sets.length > 0) {
      parts.push(sql`timers_set as (insert into timers (merchant_id, run_id, timer_id, due_at, revision, event)
        select v.merchant_id, v.run_id, v.timer_id, v.due_at, v.revision, v.event
        from jsonb_to_recordset(${copied(sets)}) as v(merchant_id uuid, run_id uuid, timer_id text,
          due_at timestamptz, revision integer, event jsonb)
        on conflict (merchant_id, run_id, timer_id) do update set due_at = excluded.due_at,
          revision = excluded.revision, event = excluded.event, locked_until = null, locked_by = null)`)
    }
    if (this.#visits.length > 0) {
      // In the order added: `seq` orders a run's steps. `ord` before the spread: a key added after a spread makes
      // V8 build each row slowly (~3 µs a row against ~0.9), and they are read by name.
      const rows = this.#visits.map((v, ord) => ({ ord, ...v }))
      parts.push(sql`visits as (insert into node_visits (merchant_id, run_id, flow_version_id, node_ids, at)
        select v.merchant_id, v.run_id, v.flow_version_id, v.node_ids, v.at
        from jsonb_to_recordset(${json(rows)}) as v(merchant_id uuid, run_id uuid, flow_version_id uuid,
          node_ids text[], at timestamptz, ord integer)
        order by v.ord)`)
    }
    if (this.#messages.length > 0) {
      // In the order added: `seq` is assigned as the rows are inserted. (`ord` first, as for the visits.)
      const rows = this.#messages.map((m, ord) => ({ ord, ...m }))
      parts.push(sql`messages_written as (insert into messages (merchant_id, id, conversation_id, contact_id,
          direction, author, body, status, is_marketing, provider_message_id, template_name, template_category,
          cost, cost_currency, skip_reason, run_id, node_id, sent_at, delivered_at, created_at, updated_at)
        select v.merchant_id, v.id, v.conversation_id, v.contact_id, v.direction, v.author, v.body, v.status,
          coalesce(v.is_marketing, false), v.provider_message_id, v.template_name, v.template_category, v.cost,
          v.cost_currency, v.skip_reason, v.run_id, v.node_id, v.sent_at, v.delivered_at, v.created_at,
          v.updated_at
        from jsonb_to_recordset(${json(rows)}) as v(merchant_id uuid, id uuid, conversation_id uuid,
          contact_id uuid, direction text, author text, body jsonb, status text, is_marketing boolean,
          provider_message_id text, template_name text, template_category text, cost numeric,
          cost_currency text, skip_reason text, run_id uuid, node_id text, sent_at timestamptz,
          delivered_at timestamptz, created_at timestamptz, updated_at timestamptz, ord integer)
        order by v.ord)`)
    }
    if (this.#outbox.length > 0) {
      parts.push(sql`outbox_written as (insert into outbox (merchant_id, run_id, message_id, conversation_id,
          channel_id, payload, status, next_attempt_at, created_at, updated_at)
        select v.merchant_id, v.run_id, v.message_id, v.conversation_id, v.channel_id, v.payload,
          coalesce(v.status, 'pending'), v.next_attempt_at, v.created_at, v.updated_at
        from jsonb_to_recordset(${copied(this.#outbox)}) as v(merchant_id uuid, run_id uuid, message_id uuid,
          conversation_id uuid, channel_id uuid, payload jsonb, status text, next_attempt_at timestamptz,
          created_at timestamptz, updated_at timestamptz))`)
    }
    if (this.#conversations.size > 0) {
      // Fields named, not an object rest (`{ escalation, ...touch }`), which V8 copies slowly: ~1.5 % of a firing.
      const rows = byId([...this.#conversations.values()]).map((t) => ({
        merchant_id: t.merchant_id,
        id: t.id,
        last_inbound_at: t.last_inbound_at,
        last_message_at: t.last_message_at,
        updated_at: t.updated_at,
        reopen: t.reopen,
        escalated: t.escalation !== null,
        queue: t.escalation?.queue ?? null,
        escalation: t.escalation?.details ?? null,
      }))
      // Locked in id order first, as the outbox relay's outcome write does: the two never deadlock. Not again when
      // `lockConversations` holds them all already (a timer batch's in-step deliveries): ~3 buffer hits a firing.
      const held = rows.every((r) => this.#lockedConversations.has(`${r.merchant_id}:${r.id}`))
      if (!held) {
        parts.push(sql`conversations_locked as materialized (select c.merchant_id, c.id from conversations c
          where ${keysProbed('c', rows)} order by c.id for update of c)`)
      }
      const locked = held ? sql`` : sql`, conversations_locked l`
      const lockedMatch = held ? sql`` : sql` and l.merchant_id = c.merchant_id and l.id = c.id`
      // Last: the rows are spent by it (their keys read above first).
      const touches = json(rows)
      parts.push(sql`conversations_touched as (update conversations as c set
          last_inbound_at = coalesce(v.last_inbound_at, c.last_inbound_at),
          last_message_at = v.last_message_at,
          updated_at = v.updated_at,
          status = case when v.escalated then (case when c.status = 'assigned' then 'assigned' else 'waiting' end)
            when v.reopen then 'bot' else c.status end,
          queue = case when v.escalated then v.queue else c.queue end,
          escalation = case when v.escalated then v.escalation else c.escalation end,
          escalated_at = case when v.escalated then v.updated_at else c.escalated_at end,
          first_staff_reply_at = case when v.escalated then null else c.first_staff_reply_at end,
          unclaimed_at = case when v.escalated then null else c.unclaimed_at end,
          resolved_at = case when v.reopen or v.escalated then null else c.resolved_at end
        from jsonb_to_recordset(${touches}) as v(merchant_id uuid, id uuid, last_inbound_at timestamptz,
          last_message_at timestamptz, updated_at timestamptz, reopen boolean, escalated boolean, queue text,
          escalation jsonb)${locked}
        where c.merchant_id = v.merchant_id and c.id = v.id${lockedMatch})`)
    }
    // Other replicas' relays hear of queued rows when this commits (delivery/relay-wake.ts), and listeners of the
    // realtime channel of the step's changes (realtime/pg-realtime.ts): no extra round trip. A volatile CTE runs whole.
    const notice = this.#outbox.length > 0 ? options.outboxNotice : null
    const relayWake = notice ? sql`pg_notify(${notice.channel}, ${notice.payload})` : sql`1`
    const realtime = parts.length > 0 ? options.realtimeNotices : null
    if (realtime) {
      parts.push(sql`realtime_notified as (${realtime})`)
    }
    const result = realtime
      ? sql`select ${relayWake}, (select count(*) from realtime_notified)`
      : sql`select ${relayWake}`
    const written = parts.length > 0
    if (written) await sql`with ${sql.join(parts)} ${result}`.execute(trx)
    this.#runs.clear()
    this.#timers.clear()
    this.#visits.length = 0
    this.#messages.length = 0
    this.#outbox.length = 0
    this.#conversations.clear()
    return written
  }
}

/** `lockConversations`' statement: the conversations of `keys`, locked in id order. */
const lockConversationKeys = keyedStatement<{ id: string }>(
  'c',
  (where) => sql`select c.id from conversations c where ${where} order by c.id for update of c`,
)

/** Rows in id order, so two batches updating overlapping rows take their locks in the same order. */
function byId<T extends { id: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
