// The writes of many runs' steps, gathered in memory and made with one statement at the end of a batch (inbound
// messages, timer firings): on this kind of workload the database round trip is the cost, so a batch of N steps
// writes with one statement instead of ~10 per step. Same rows, same order, same transaction as the
// one-step-at-a-time path (`saveRunStep`, `queueSend`); each run appears at most once per batch, so the per-run
// order (cancel timers, re-stamp, set) holds when all cancels go first, then re-stamps, then sets.
import type { JsonObject, NewMessage, NewNodeVisit, NewOutboxEntry, NewTimer, Run } from '@parley/db'
import type { StepResult } from '@parley/flow'
import { type RawBuilder, sql } from 'kysely'
import type { LoadedFlowVersion } from './flow-versions.ts'
import { runFieldsOf } from './run-store.ts'
import type { Db } from './step-transaction.ts'

/** A conversation the batch touched: an inbound message opens the window; `reopen` hands a resolved one back to the bot. */
export interface ConversationTouch {
  merchant_id: string
  id: string
  last_inbound_at: Date | null
  last_message_at: Date
  updated_at: Date
  reopen: boolean
}

interface TimerDelete {
  merchant_id: string
  run_id: string
  /** Null: every timer of the run (it ended). */
  timer_id: string | null
}

export class StepWrites {
  readonly #runs: Run[] = []
  readonly #timerDeletes: TimerDelete[] = []
  readonly #restamps: { merchant_id: string; run_id: string; revision: number }[] = []
  readonly #timerSets: NewTimer[] = []
  readonly #visits: NewNodeVisit[] = []
  readonly #messages: (NewMessage & { id: string })[] = []
  readonly #outbox: NewOutboxEntry[] = []
  readonly #conversations: ConversationTouch[] = []

  get size(): number {
    return this.#runs.length + this.#messages.length + this.#conversations.length + this.#timerDeletes.length
  }

  /** What `saveRunStep` writes, kept for the flush; returns the run as it will be stored. */
  saveRunStep(run: Run, version: LoadedFlowVersion, result: StepResult, now: number): Run {
    const updated: Run = { ...run, ...runFieldsOf(version, result, now), revision: run.revision + 1 }
    this.#runs.push(updated)
    const key = { merchant_id: run.merchant_id, run_id: run.id }
    if (updated.status !== 'active') {
      this.#timerDeletes.push({ ...key, timer_id: null })
    } else {
      for (const timerId of result.timers.cancel) this.#timerDeletes.push({ ...key, timer_id: timerId })
      this.#restamps.push({ ...key, revision: updated.revision })
      for (const timer of result.timers.set) {
        this.#timerSets.push({
          ...key,
          timer_id: timer.id,
          due_at: new Date(timer.dueAt),
          revision: updated.revision,
          event: timer.event as unknown as JsonObject,
        })
      }
    }
    for (const nodeId of result.visited) {
      this.#visits.push({
        ...key,
        flow_version_id: run.flow_version_id,
        node_id: nodeId,
        at: new Date(now),
      })
    }
    return updated
  }

  /** A timer that fired (or was dropped): deleted before anything the step sets. */
  deleteTimer(merchantId: string, runId: string, timerId: string): void {
    this.#timerDeletes.push({ merchant_id: merchantId, run_id: runId, timer_id: timerId })
  }

  /** A transcript row; rows are inserted in the order added, so `seq` follows it. */
  addMessage(message: NewMessage & { id: string }): void {
    this.#messages.push(message)
  }

  addOutbox(entry: NewOutboxEntry): void {
    this.#outbox.push(entry)
  }

  touchConversation(touch: ConversationTouch): void {
    this.#conversations.push(touch)
  }

  /**
   * Makes every gathered write in `trx` with one statement (data-modifying CTEs, each table's rows as one JSON
   * parameter), then forgets them. No row is written twice in it: a timer the batch sets is neither deleted
   * nor re-stamped by it, and one it deletes is not re-stamped (the state is what cancel, re-stamp, set in
   * that order would leave). Foreign keys are checked at the end of the statement, so an outbox row may name
   * a transcript row inserted beside it.
   */
  async flush(trx: Db): Promise<void> {
    const parts: RawBuilder<unknown>[] = []
    const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`
    if (this.#runs.length > 0) {
      const rows = byId(this.#runs).map((r) => ({
        merchant_id: r.merchant_id,
        id: r.id,
        snapshot: r.snapshot,
        revision: r.revision,
        status: r.status,
        waiting_for: r.waiting_for,
        outcome: r.outcome,
        ended_at: r.ended_at,
        updated_at: r.updated_at,
      }))
      parts.push(sql`runs_written as (update runs as r set snapshot = v.snapshot, revision = v.revision,
          status = v.status, waiting_for = v.waiting_for, outcome = v.outcome, ended_at = v.ended_at,
          updated_at = v.updated_at
        from jsonb_to_recordset(${json(rows)}) as v(merchant_id uuid, id uuid, snapshot jsonb, revision integer,
          status text, waiting_for text, outcome text, ended_at timestamptz, updated_at timestamptz)
        where r.merchant_id = v.merchant_id and r.id = v.id)`)
    }
    const setIds = new Set(this.#timerSets.map((t) => `${t.run_id}:${t.timer_id}`))
    const deletes = this.#timerDeletes.filter(
      (d) => d.timer_id === null || !setIds.has(`${d.run_id}:${d.timer_id}`),
    )
    if (deletes.length > 0) {
      parts.push(sql`timers_deleted as (delete from timers as t
        using jsonb_to_recordset(${json(deletes)}) as v(merchant_id uuid, run_id uuid, timer_id text)
        where t.merchant_id = v.merchant_id and t.run_id = v.run_id
          and (v.timer_id is null or t.timer_id = v.timer_id))`)
    }
    if (this.#restamps.length > 0) {
      // A timer the step did not cancel is still pending in the machine: it stays valid at the new revision.
      const touched = new Map<string, string[]>()
      for (const t of [...this.#timerDeletes, ...this.#timerSets]) {
        if (t.timer_id) touched.set(t.run_id, [...(touched.get(t.run_id) ?? []), t.timer_id])
      }
      const rows = this.#restamps.map((r) => ({ ...r, skip: touched.get(r.run_id) ?? [] }))
      parts.push(sql`timers_restamped as (update timers as t set revision = v.revision
        from jsonb_to_recordset(${json(rows)}) as v(merchant_id uuid, run_id uuid, revision integer, skip jsonb)
        where t.merchant_id = v.merchant_id and t.run_id = v.run_id and t.revision < v.revision
          and not (v.skip ? t.timer_id))`)
    }
    if (this.#timerSets.length > 0) {
      parts.push(sql`timers_set as (insert into timers (merchant_id, run_id, timer_id, due_at, revision, event)
        select v.merchant_id, v.run_id, v.timer_id, v.due_at, v.revision, v.event
        from jsonb_to_recordset(${json(this.#timerSets)}) as v(merchant_id uuid, run_id uuid, timer_id text,
          due_at timestamptz, revision integer, event jsonb)
        on conflict (merchant_id, run_id, timer_id) do update set due_at = excluded.due_at,
          revision = excluded.revision, event = excluded.event, locked_until = null, locked_by = null)`)
    }
    if (this.#visits.length > 0) {
      parts.push(sql`visits as (insert into node_visits (merchant_id, run_id, flow_version_id, node_id, at)
        select v.merchant_id, v.run_id, v.flow_version_id, v.node_id, v.at
        from jsonb_to_recordset(${json(this.#visits)}) as v(merchant_id uuid, run_id uuid, flow_version_id uuid,
          node_id text, at timestamptz))`)
    }
    if (this.#messages.length > 0) {
      // In the order added: `seq` is assigned as the rows are inserted.
      const rows = this.#messages.map((m, ord) => ({ ...m, ord }))
      parts.push(sql`messages_written as (insert into messages (merchant_id, id, conversation_id, contact_id,
          direction, author, body, status, is_marketing, provider_message_id, template_name, template_category,
          cost, cost_currency, skip_reason, run_id, node_id, created_at, updated_at)
        select v.merchant_id, v.id, v.conversation_id, v.contact_id, v.direction, v.author, v.body, v.status,
          coalesce(v.is_marketing, false), v.provider_message_id, v.template_name, v.template_category, v.cost,
          v.cost_currency, v.skip_reason, v.run_id, v.node_id, v.created_at, v.updated_at
        from jsonb_to_recordset(${json(rows)}) as v(merchant_id uuid, id uuid, conversation_id uuid,
          contact_id uuid, direction text, author text, body jsonb, status text, is_marketing boolean,
          provider_message_id text, template_name text, template_category text, cost numeric,
          cost_currency text, skip_reason text, run_id uuid, node_id text, created_at timestamptz,
          updated_at timestamptz, ord integer)
        order by v.ord)`)
    }
    if (this.#outbox.length > 0) {
      parts.push(sql`outbox_written as (insert into outbox (merchant_id, run_id, message_id, conversation_id,
          channel_id, payload, next_attempt_at, created_at, updated_at)
        select v.merchant_id, v.run_id, v.message_id, v.conversation_id, v.channel_id, v.payload,
          v.next_attempt_at, v.created_at, v.updated_at
        from jsonb_to_recordset(${json(this.#outbox)}) as v(merchant_id uuid, run_id uuid, message_id uuid,
          conversation_id uuid, channel_id uuid, payload jsonb, next_attempt_at timestamptz,
          created_at timestamptz, updated_at timestamptz))`)
    }
    if (this.#conversations.length > 0) {
      const touches = json(byId(this.#conversations))
      // Locked in id order first, as the outbox relay's outcome write does: the two never deadlock.
      parts.push(sql`conversations_locked as materialized (select c.merchant_id, c.id from conversations c
        where (c.merchant_id, c.id) in (select v.merchant_id, v.id from jsonb_to_recordset(${touches})
          as v(merchant_id uuid, id uuid))
        order by c.id for update of c)`)
      parts.push(sql`conversations_touched as (update conversations as c set
          last_inbound_at = coalesce(v.last_inbound_at, c.last_inbound_at),
          last_message_at = v.last_message_at,
          updated_at = v.updated_at,
          status = case when v.reopen then 'bot' else c.status end,
          resolved_at = case when v.reopen then null else c.resolved_at end
        from jsonb_to_recordset(${touches}) as v(merchant_id uuid, id uuid, last_inbound_at timestamptz,
          last_message_at timestamptz, updated_at timestamptz, reopen boolean), conversations_locked l
        where c.merchant_id = v.merchant_id and c.id = v.id and l.merchant_id = c.merchant_id and l.id = c.id)`)
    }
    if (parts.length > 0) await sql`with ${sql.join(parts)} select 1`.execute(trx)
    for (const list of [
      this.#runs,
      this.#timerDeletes,
      this.#restamps,
      this.#timerSets,
      this.#visits,
      this.#messages,
      this.#outbox,
      this.#conversations,
    ]) {
      list.length = 0
    }
  }
}

/** Rows in id order, so two batches updating overlapping rows take their locks in the same order. */
function byId<T extends { id: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
