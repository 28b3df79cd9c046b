// The writes of many runs' steps, gathered in memory and made with a few multi-row statements at the end of a
// batch (inbound messages, timer firings): on this kind of workload the database round trip is the cost, so a
// batch of N steps writes in ~8 statements instead of ~10 per step. Same rows, same order, same transaction as
// the one-step-at-a-time path (`saveRunStep`, `queueSend`); each run appears at most once per batch, so the
// per-run order (cancel timers, re-stamp, set) holds when all cancels go first, then re-stamps, then sets.
import type { JsonObject, NewMessage, NewNodeVisit, NewOutboxEntry, NewTimer, Run } from '@parley/db'
import type { StepResult } from '@parley/flow'
import { sql } from 'kysely'
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
  readonly #messages: NewMessage[] = []
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
  addMessage(message: NewMessage): void {
    this.#messages.push(message)
  }

  addOutbox(entry: NewOutboxEntry): void {
    this.#outbox.push(entry)
  }

  touchConversation(touch: ConversationTouch): void {
    this.#conversations.push(touch)
  }

  /** Makes every gathered write in `trx`, then forgets them. */
  async flush(trx: Db): Promise<void> {
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
      await sql`update runs as r set snapshot = v.snapshot, revision = v.revision, status = v.status,
          waiting_for = v.waiting_for, outcome = v.outcome, ended_at = v.ended_at, updated_at = v.updated_at
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(merchant_id uuid, id uuid, snapshot jsonb,
          revision integer, status text, waiting_for text, outcome text, ended_at timestamptz, updated_at timestamptz)
        where r.merchant_id = v.merchant_id and r.id = v.id`.execute(trx)
    }
    if (this.#timerDeletes.length > 0) {
      await sql`delete from timers as t
        using jsonb_to_recordset(${JSON.stringify(this.#timerDeletes)}::jsonb) as v(merchant_id uuid, run_id uuid, timer_id text)
        where t.merchant_id = v.merchant_id and t.run_id = v.run_id
          and (v.timer_id is null or t.timer_id = v.timer_id)`.execute(trx)
    }
    if (this.#restamps.length > 0) {
      // A timer the step did not cancel is still pending in the machine: it stays valid at the new revision.
      await sql`update timers as t set revision = v.revision
        from jsonb_to_recordset(${JSON.stringify(this.#restamps)}::jsonb) as v(merchant_id uuid, run_id uuid, revision integer)
        where t.merchant_id = v.merchant_id and t.run_id = v.run_id and t.revision < v.revision`.execute(trx)
    }
    if (this.#timerSets.length > 0) {
      await trx
        .insertInto('timers')
        .values(this.#timerSets)
        .onConflict((oc) =>
          oc.columns(['merchant_id', 'run_id', 'timer_id']).doUpdateSet((eb) => ({
            due_at: eb.ref('excluded.due_at'),
            revision: eb.ref('excluded.revision'),
            event: eb.ref('excluded.event'),
            locked_until: null,
            locked_by: null,
          })),
        )
        .execute()
    }
    if (this.#visits.length > 0) await trx.insertInto('node_visits').values(this.#visits).execute()
    if (this.#messages.length > 0) await trx.insertInto('messages').values(this.#messages).execute()
    if (this.#outbox.length > 0) await trx.insertInto('outbox').values(this.#outbox).execute()
    if (this.#conversations.length > 0) {
      await sql`update conversations as c set
          last_inbound_at = coalesce(v.last_inbound_at, c.last_inbound_at),
          last_message_at = v.last_message_at,
          updated_at = v.updated_at,
          status = case when v.reopen then 'bot' else c.status end,
          resolved_at = case when v.reopen then null else c.resolved_at end
        from jsonb_to_recordset(${JSON.stringify(byId(this.#conversations))}::jsonb) as v(merchant_id uuid, id uuid,
          last_inbound_at timestamptz, last_message_at timestamptz, updated_at timestamptz, reopen boolean)
        where c.merchant_id = v.merchant_id and c.id = v.id`.execute(trx)
    }
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
