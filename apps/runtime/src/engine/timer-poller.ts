// The timer poller: claims due timers with FOR UPDATE SKIP LOCKED (so replicas never fire the same one),
// steps their runs in one transaction with a savepoint per run (one bad run cannot sink the batch), and
// deletes each timer in the same transaction as its step: a timer fires exactly once or not at all.
// A timer whose revision no longer matches its run (the run moved on) is dropped.
import type { Run } from '@parley/db'
import type { FlowEventInput } from '@parley/flow'
import { sql } from 'kysely'
import type { RuntimeDeps } from '../deps.ts'
import { stepLockedRun } from './event-step.ts'
import { failRun, lockRuns } from './run-store.ts'
import {
  afterCommit,
  type Db,
  isRetryableDbError,
  newStepContext,
  type StepContext,
} from './step-transaction.ts'
import { fireTimersInBatch, type SingleDueTimer, type TimerBatchOutcome } from './timer-batch.ts'

export interface TimerBatchResult {
  claimed: number
  fired: number
  dropped: number
  /** Timers left for a later poll because their run was locked by another step. */
  deferred: number
}

export interface DueTimer {
  merchant_id: string
  run_id: string
  timer_id: string
  due_at: Date
  revision: number
  event: unknown
}

/**
 * Fires up to `limit` due timers in one transaction. Call until it returns fewer than `limit` claimed.
 * @example while ((await fireDueTimers(deps)).claimed === deps.config.TIMER_BATCH_SIZE) {}
 */
export async function fireDueTimers(
  deps: RuntimeDeps,
  limit = deps.config.TIMER_BATCH_SIZE,
): Promise<TimerBatchResult> {
  const ctx = newStepContext(deps)
  const result = await deps.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('timers')
      .select(['merchant_id', 'run_id', 'timer_id', 'due_at', 'revision', 'event'])
      .where('due_at', '<=', new Date(ctx.now))
      .orderBy('due_at')
      .orderBy('run_id')
      .orderBy('timer_id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute()
    const counts: TimerBatchResult = { claimed: due.length, fired: 0, dropped: 0, deferred: 0 }
    if (due.length === 0) return counts
    const byRun = new Map<string, DueTimer[]>()
    for (const timer of due) {
      const key = `${timer.merchant_id}:${timer.run_id}`
      byRun.set(key, [...(byRun.get(key) ?? []), timer])
    }
    const locked = await lockClaimedRuns(trx, due)
    // Runs with one due timer go through the batch path; what it leaves, and runs with several, one at a time.
    const single = [...byRun].flatMap(([key, timers]) => {
      const run = locked.get(key)
      return timers.length === 1 && run ? [{ key, run, timer: timers[0] as DueTimer }] : []
    })
    if (single.length > 0) {
      const batch = await fireInSavepoint(trx, ctx, single)
      counts.fired += batch.fired
      counts.dropped += batch.dropped
      for (const { key } of single) if (!batch.left.has(key)) byRun.delete(key)
    }
    let savepoint = 0
    for (const [key, timers] of byRun) {
      const first = timers[0] as DueTimer
      const name = sql.raw(`timer_run_${++savepoint}`)
      await sql`savepoint ${name}`.execute(trx)
      try {
        const outcome = await fireRunTimers(
          trx,
          ctx,
          first.merchant_id,
          first.run_id,
          locked.get(key),
          timers,
        )
        counts.fired += outcome.fired
        counts.dropped += outcome.dropped
        counts.deferred += outcome.deferred
        await sql`release savepoint ${name}`.execute(trx)
      } catch (error) {
        await sql`rollback to savepoint ${name}`.execute(trx)
        counts.deferred += timers.length
        if (isRetryableDbError(error)) continue
        // A run whose step throws would throw again at every poll: end it, visibly.
        deps.logger.error('timer step failed; run ended', { runId: first.run_id, error })
        await failRun(trx, { merchant_id: first.merchant_id, id: first.run_id }, String(error), ctx.now)
      }
    }
    return counts
  })
  deps.metrics.timersFired.inc({}, result.fired)
  deps.metrics.timersDropped.inc({}, result.dropped)
  await afterCommit(ctx)
  return result
}

/**
 * The batch path in a savepoint: a batch write that fails (one bad run) falls back to the one-at-a-time path,
 * which isolates the run, rather than failing this poll and every poll after it.
 */
async function fireInSavepoint(
  trx: Db,
  ctx: StepContext,
  single: SingleDueTimer[],
): Promise<TimerBatchOutcome> {
  await sql`savepoint timer_batch`.execute(trx)
  const before = { notifications: ctx.notifications.length, steps: new Map(ctx.steps), queued: ctx.queued }
  try {
    const outcome = await fireTimersInBatch(trx, ctx, single)
    await sql`release savepoint timer_batch`.execute(trx)
    return outcome
  } catch (error) {
    await sql`rollback to savepoint timer_batch`.execute(trx)
    // What the batch recorded for after the commit was rolled back with it.
    ctx.notifications.length = before.notifications
    ctx.steps.clear()
    for (const [trigger, n] of before.steps) ctx.steps.set(trigger, n)
    ctx.queued = before.queued
    if (isRetryableDbError(error)) throw error
    ctx.deps.logger.warn('timer batch write failed; firing its runs one at a time', { error })
    return { fired: 0, dropped: 0, left: new Set(single.map((s) => s.key)) }
  }
}

/**
 * Locks the runs of the claimed timers up front, one statement per merchant instead of one per run (in id order,
 * skipping runs a step elsewhere holds). Keyed `merchant:run`.
 */
async function lockClaimedRuns(trx: Db, due: DueTimer[]): Promise<Map<string, Run>> {
  const runIdsByMerchant = new Map<string, string[]>()
  for (const timer of due) {
    runIdsByMerchant.set(timer.merchant_id, [
      ...(runIdsByMerchant.get(timer.merchant_id) ?? []),
      timer.run_id,
    ])
  }
  const locked = new Map<string, Run>()
  for (const [merchantId, runIds] of [...runIdsByMerchant].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const run of await lockRuns(trx, merchantId, runIds, { skipLocked: true })) {
      locked.set(`${merchantId}:${run.id}`, run)
    }
  }
  return locked
}

async function fireRunTimers(
  trx: Db,
  ctx: StepContext,
  merchantId: string,
  runId: string,
  locked: Run | undefined,
  timers: DueTimer[],
): Promise<{ fired: number; dropped: number; deferred: number }> {
  if (!locked) {
    const exists = await trx
      .selectFrom('runs')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('id', '=', runId)
      .executeTakeFirst()
    // Locked by a step elsewhere: leave the timers for the next poll.
    if (exists) return { fired: 0, dropped: 0, deferred: timers.length }
  }
  let run = locked
  let fired = 0
  let dropped = 0
  for (const claimed of timers) {
    // An earlier firing in this batch may have cancelled, re-armed or re-stamped this timer: read it again.
    const timer =
      claimed === timers[0]
        ? claimed
        : await trx
            .selectFrom('timers')
            .select(['merchant_id', 'run_id', 'timer_id', 'due_at', 'revision', 'event'])
            .where('merchant_id', '=', merchantId)
            .where('run_id', '=', runId)
            .where('timer_id', '=', claimed.timer_id)
            .executeTakeFirst()
    if (!timer) {
      dropped += 1
      continue
    }
    if (timer.due_at.getTime() > ctx.now) continue
    await trx
      .deleteFrom('timers')
      .where('merchant_id', '=', merchantId)
      .where('run_id', '=', runId)
      .where('timer_id', '=', timer.timer_id)
      .execute()
    if (run?.status !== 'active' || run.revision !== timer.revision) {
      dropped += 1
      continue
    }
    ctx.deps.metrics.timerLateness.observe(Math.max(0, ctx.now - timer.due_at.getTime()) / 1000)
    run = await stepLockedRun(trx, ctx, run, timer.event as FlowEventInput, {
      trigger: 'timer',
      machineNow: timer.due_at.getTime(),
    })
    fired += 1
  }
  return { fired, dropped, deferred: 0 }
}

/** Timers due now and not fired yet (the parley_timers_due gauge). */
export async function countDueTimers(db: Db, now: number): Promise<number> {
  const row = await db
    .selectFrom('timers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('due_at', '<=', new Date(now))
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}
