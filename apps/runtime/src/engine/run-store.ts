// Run rows and what hangs off them: locking runs for a step, inserting a started run, and writing a step's
// result (snapshot, revision, status, timers, node visits) in the caller's transaction.
import type { JsonObject, Run } from '@parley/db'
import type { StepResult } from '@parley/flow'
import { sql } from 'kysely'
import type { LoadedFlowVersion } from './flow-versions.ts'
import { waitingFor } from './flow-versions.ts'
import { anyUuid } from './sql-any.ts'
import type { Db } from './step-transaction.ts'

/**
 * Locks the runs (FOR UPDATE) in id order, so two steps touching the same runs never deadlock; returns the
 * active ones. `skipLocked` is for the timer poller: a run being stepped elsewhere is left for the next poll.
 */
export async function lockRuns(
  trx: Db,
  merchantId: string,
  runIds: readonly string[],
  options: { skipLocked?: boolean } = {},
): Promise<Run[]> {
  if (runIds.length === 0) return []
  const query = trx
    .selectFrom('runs')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('id', '=', anyUuid([...new Set(runIds)]))
    .orderBy('id')
    .forUpdate()
  return options.skipLocked ? query.skipLocked().execute() : query.execute()
}

export interface ActiveRunFilter {
  contactId?: string
  conversationId?: string
  correlationKey?: string
  waitingFor?: string
}

/** Ids of the active runs matching the filter, most recently stepped first. */
export async function findActiveRunIds(
  db: Db,
  merchantId: string,
  filter: ActiveRunFilter,
): Promise<string[]> {
  let query = db
    .selectFrom('runs')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('status', '=', 'active')
  if (filter.contactId) query = query.where('contact_id', '=', filter.contactId)
  if (filter.conversationId) query = query.where('conversation_id', '=', filter.conversationId)
  if (filter.correlationKey) query = query.where('correlation_key', '=', filter.correlationKey)
  if (filter.waitingFor) query = query.where('waiting_for', '=', filter.waitingFor)
  const rows = await query.orderBy('updated_at', 'desc').orderBy('id').execute()
  return rows.map((r) => r.id)
}

/** The run columns a step result decides. */
export function runFieldsOf(version: LoadedFlowVersion, result: StepResult, now: number) {
  const done = result.status === 'done'
  return {
    snapshot: result.snapshot as unknown as JsonObject,
    status: done ? ('done' as const) : ('active' as const),
    waiting_for: done ? null : waitingFor(version, result.activeNodeIds),
    outcome: done ? result.outcome : null,
    ended_at: done ? new Date(now) : null,
    updated_at: new Date(now),
  }
}

/**
 * Writes a step of an existing run: new snapshot and revision + 1, then timers (cancels deleted, timers
 * still pending re-stamped with the new revision, sets upserted) and node visits. Returns the updated row.
 */
export async function saveRunStep(
  trx: Db,
  run: Run,
  version: LoadedFlowVersion,
  result: StepResult,
  now: number,
): Promise<Run> {
  const revision = run.revision + 1
  const updated = await trx
    .updateTable('runs')
    .set({ ...runFieldsOf(version, result, now), revision })
    .where('merchant_id', '=', run.merchant_id)
    .where('id', '=', run.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  await writeTimers(trx, updated, result, { restampPending: true })
  await recordVisits(trx, updated, result.visited, now)
  return updated
}

/** Timer rows for a step: all gone when the run ended; otherwise cancels, re-stamps, then sets. */
export async function writeTimers(
  trx: Db,
  run: Run,
  result: StepResult,
  options: { restampPending: boolean },
): Promise<void> {
  const byRun = trx
    .deleteFrom('timers')
    .where('merchant_id', '=', run.merchant_id)
    .where('run_id', '=', run.id)
  if (run.status !== 'active') {
    await byRun.execute()
    return
  }
  if (result.timers.cancel.length > 0) await byRun.where('timer_id', 'in', result.timers.cancel).execute()
  if (options.restampPending) {
    // A timer the step did not cancel is still pending in the machine: it stays valid at the new revision.
    await trx
      .updateTable('timers')
      .set({ revision: run.revision })
      .where('merchant_id', '=', run.merchant_id)
      .where('run_id', '=', run.id)
      .where('revision', '<', run.revision)
      .execute()
  }
  if (result.timers.set.length === 0) return
  await trx
    .insertInto('timers')
    .values(
      result.timers.set.map((timer) => ({
        merchant_id: run.merchant_id,
        run_id: run.id,
        timer_id: timer.id,
        due_at: new Date(timer.dueAt),
        revision: run.revision,
        event: timer.event as unknown as JsonObject,
      })),
    )
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

export async function recordVisits(trx: Db, run: Run, nodeIds: string[], now: number): Promise<void> {
  if (nodeIds.length === 0) return
  await trx
    .insertInto('node_visits')
    .values(
      nodeIds.map((nodeId) => ({
        merchant_id: run.merchant_id,
        run_id: run.id,
        flow_version_id: run.flow_version_id,
        node_id: nodeId,
        at: new Date(now),
      })),
    )
    .execute()
}

/** Ends a run that cannot go on (its version no longer loads, a step keeps throwing). */
export async function failRun(trx: Db, run: Pick<Run, 'merchant_id' | 'id'>, error: string, now: number) {
  await trx
    .updateTable('runs')
    .set({
      status: 'failed',
      error: error.slice(0, 2000),
      waiting_for: null,
      ended_at: new Date(now),
      updated_at: new Date(now),
      revision: sql`revision + 1`,
    })
    .where('merchant_id', '=', run.merchant_id)
    .where('id', '=', run.id)
    .execute()
  await trx
    .deleteFrom('timers')
    .where('merchant_id', '=', run.merchant_id)
    .where('run_id', '=', run.id)
    .execute()
}
