// Run rows: locking runs for a step, finding the active ones an event concerns, and the columns a step decides
// (written by the batch's write set, `StepWrites`).
import type { Run } from '@parley/db'
import type { StepResult } from '@parley/flow'
import { type RawBuilder, sql } from 'kysely'
import { anyUuid } from '../sql/sql-any.ts'
import type { LoadedFlowVersion } from './flow-versions.ts'
import { waitingFor } from './flow-versions.ts'
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

/**
 * A run waits for the shopper's reply: it is active and rests on a node that asks (flow-versions.ts
 * `waitingFor`). The one rule, said twice side by side: on a run in memory here, and on `runs` in SQL below.
 */
export function waitsForReply(run: Pick<Run, 'status' | 'waiting_for'>): boolean {
  return run.status === 'active' && run.waiting_for === 'reply'
}

/**
 * `waitsForReply` as a condition on `runs` (or its alias). Literals, not parameters: the partial indexes on
 * status = 'active' (runs_correlation_active_key, runs_flow_version_active_idx) are usable by a prepared statement's generic plan
 * (packages/db prepared-statements.ts) only when the value is in the text.
 * @example trx.selectFrom('runs').selectAll().where(waitsForReplySql())
 */
export function waitsForReplySql(alias?: string): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(alias ? `${alias}.${name}` : name)
  return sql<boolean>`(${column('status')} = ${sql.lit('active')} and ${column('waiting_for')} = ${sql.lit('reply')})`
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
    snapshot: result.snapshot,
    status: done ? ('done' as const) : ('active' as const),
    waiting_for: done ? null : waitingFor(version, result.activeNodeIds),
    outcome: done ? result.outcome : null,
    ended_at: done ? new Date(now) : null,
    updated_at: new Date(now),
  }
}
