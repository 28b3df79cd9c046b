// The timer poller: claims due timers with FOR UPDATE SKIP LOCKED (so replicas never fire the same one), locks
// their runs in id order (skipping runs a step elsewhere holds), steps them through one StepBatch with each
// timer's due time, and deletes each timer in the same transaction as its step: a timer fires exactly once or
// not at all. A timer whose revision no longer matches its run (the run moved on) is dropped. A batch that
// fails is fired again run by run, each in its own transaction; a run that fails alone is ended. A wait for a
// reply that runs out while the shopper's answer is held in a burst (engine/burst-merge.ts) was answered: its
// timer moves to just after the burst's deadline, so the answer is stepped first and cancels it.
import type { NewTimer, Run } from '@parley/db'
import type { FlowEventInput } from '@parley/flow'
import { sql } from 'kysely'
import type { RuntimeDeps } from '../deps.ts'
import { fireUnclaimed, isUnclaimedTimer } from '../handoff/unclaimed-timeout.ts'
import { heldBurstDeadlines } from './burst-merge.ts'
import { lockRuns, waitsForReply } from './run-store.ts'
import { inStepBatch, type StepBatch } from './step-batch.ts'
import { type Db, isRetryableDbError } from './step-transaction.ts'

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
  event: Record<string, unknown>
}

type RunKey = { merchantId: string; runId: string }

/**
 * Fires up to `limit` due timers in one transaction. Call until it returns fewer than `limit` claimed.
 * @example while ((await fireDueTimers(deps)).claimed === deps.config.TIMER_BATCH_SIZE) {}
 */
export async function fireDueTimers(
  deps: RuntimeDeps,
  limit = deps.config.TIMER_BATCH_SIZE,
): Promise<TimerBatchResult> {
  let claimedRuns: RunKey[] = []
  let result: TimerBatchResult
  try {
    result = await fireClaimed(deps, limit, null, (runs) => {
      claimedRuns = runs
    })
  } catch (error) {
    if (isRetryableDbError(error) || claimedRuns.length === 0) throw error
    // One bad run sank the batch (rolled back whole): fire its runs one at a time.
    deps.logger.warn('timer batch failed; firing its runs one at a time', { error })
    result = { claimed: 0, fired: 0, dropped: 0, deferred: 0 }
    for (const run of claimedRuns) {
      const alone = await fireRunAlone(deps, limit, run)
      result = {
        claimed: result.claimed + alone.claimed,
        fired: result.fired + alone.fired,
        dropped: result.dropped + alone.dropped,
        deferred: result.deferred + alone.deferred,
      }
    }
  }
  deps.metrics.timersFired.inc({}, result.fired)
  deps.metrics.timersDropped.inc({}, result.dropped)
  return result
}

export interface TimerDrainResult {
  claimed: number
  fired: number
  /** A lane stopped at `maxBatches` with its last batch full: more is due, go again. */
  more: boolean
}

/**
 * `lanes` batches side by side (each its own transaction; SKIP LOCKED keeps their claims apart, as between
 * replicas), each lane claiming its next batch as soon as its last one committed while that one came back full,
 * up to `maxBatches` batches a lane. Lanes that waited for the slowest of a round of batches before any claimed
 * again left the process idle ~25 % of a drain (profile, BENCHMARKS.md session 11). `onFired` after every batch
 * that fired, so the relay sends what it queued without waiting for the other lanes; `stopping` ends the lanes
 * before their next batch.
 * @example const { more } = await drainDueTimers(deps, 4, 8, { onFired: () => outbox.wake() })
 */
export async function drainDueTimers(
  deps: RuntimeDeps,
  lanes: number,
  maxBatches: number,
  hooks: { onFired?: () => void; stopping?: () => boolean } = {},
): Promise<TimerDrainResult> {
  const limit = deps.config.TIMER_BATCH_SIZE
  const total: TimerDrainResult = { claimed: 0, fired: 0, more: false }
  const lane = async () => {
    for (let i = 0; i < maxBatches; i++) {
      // Shutting down: what is left stays due for the next poll (or another replica).
      if (hooks.stopping?.()) return
      const batch = await fireDueTimers(deps, limit)
      total.claimed += batch.claimed
      total.fired += batch.fired
      if (batch.fired > 0) hooks.onFired?.()
      if (batch.claimed < limit) return
    }
    total.more = true
  }
  // Every lane settled before this returns (a failed one throws then): none outlives the tick, so stop() waits for all.
  const settled = await Promise.allSettled(Array.from({ length: lanes }, lane))
  for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason
  return total
}

/** One run's due timers in their own transaction; a run whose step throws would throw at every poll: it ends. */
async function fireRunAlone(deps: RuntimeDeps, limit: number, key: RunKey): Promise<TimerBatchResult> {
  try {
    return await fireClaimed(deps, limit, key, () => {})
  } catch (error) {
    if (isRetryableDbError(error)) return { claimed: 0, fired: 0, dropped: 0, deferred: 1 }
    deps.logger.error('timer step failed; run ended', { runId: key.runId, error })
    await inStepBatch(deps, async (batch) => {
      const [run] = await lockRuns(batch.trx, key.merchantId, [key.runId])
      if (run?.status === 'active') batch.fail(run, String(error))
    })
    return { claimed: 1, fired: 0, dropped: 0, deferred: 1 }
  }
}

async function fireClaimed(
  deps: RuntimeDeps,
  limit: number,
  only: RunKey | null,
  onClaimed: (runs: RunKey[]) => void,
): Promise<TimerBatchResult> {
  const lateness: number[] = []
  const result = await inStepBatch(deps, async (batch) => {
    const due = await claimDueTimers(batch.trx, batch.ctx.now, limit, only)
    const counts: TimerBatchResult = { claimed: due.length, fired: 0, dropped: 0, deferred: 0 }
    const byRun = new Map<string, DueTimer[]>()
    for (const timer of due) {
      const key = `${timer.merchant_id}:${timer.run_id}`
      const timers = byRun.get(key)
      if (timers) timers.push(timer)
      else byRun.set(key, [timer])
    }
    onClaimed([...byRun.values()].map(([t]) => ({ merchantId: t!.merchant_id, runId: t!.run_id })))
    const { locked, heldUntil } = await lockClaimedRuns(batch, due)
    for (const [key, timers] of byRun) {
      const outcome = await fireRunTimers(batch, locked.get(key), timers, lateness, heldUntil)
      counts.fired += outcome.fired
      counts.dropped += outcome.dropped
      counts.deferred += outcome.deferred
    }
    return counts
  })
  for (const seconds of lateness) deps.metrics.timerLateness.observe(seconds)
  return result
}

/**
 * The due timers, oldest first, locked (`skip locked`: another lane's or replica's claim is passed over). Written so
 * Postgres keeps one generic plan for it instead of planning it at every call (~0.1 ms a plan, 220 plans in a
 * 10,000-timer drain): the limit is a literal (a config integer; as a parameter the generic plan assumes it takes a
 * tenth of the rows and costs 1,439 against ~230 for a custom plan), and the due time is read through a scalar
 * subquery, which the planner estimates the same way (a third of the rows) with or without its value. With `<= $1`
 * a custom plan saw the value: when the statistics say nothing is due yet (the rows came due after the last
 * analyze), it cost ~8 and the generic plan (62, the same walk of `timers_due_order_idx`) never won.
 */
export async function claimDueTimers(
  trx: Db,
  now: number,
  limit: number,
  only: RunKey | null,
): Promise<DueTimer[]> {
  let query = trx
    .selectFrom('timers')
    .select(['merchant_id', 'run_id', 'timer_id', 'due_at', 'revision', 'event'])
    .where('due_at', '<=', sql<Date>`(select ${new Date(now)}::timestamptz)`)
  if (only) query = query.where('merchant_id', '=', only.merchantId).where('run_id', '=', only.runId)
  return query
    .orderBy('due_at')
    .orderBy('run_id')
    .orderBy('timer_id')
    .limit(sql.lit(limit))
    .forUpdate()
    .skipLocked()
    .execute()
}

/**
 * Locks the runs of the claimed timers, one statement per merchant (in id order, skipping runs a step elsewhere
 * holds), and reads their send targets at once. Keyed `merchant:run`. Also the deadlines of the bursts held in
 * the conversations of runs waiting for a reply, keyed by conversation.
 */
async function lockClaimedRuns(
  batch: StepBatch,
  due: DueTimer[],
): Promise<{ locked: Map<string, Run>; heldUntil: Map<string, number> }> {
  const runIdsByMerchant = new Map<string, string[]>()
  for (const timer of due) {
    const runIds = runIdsByMerchant.get(timer.merchant_id)
    if (runIds) runIds.push(timer.run_id)
    else runIdsByMerchant.set(timer.merchant_id, [timer.run_id])
  }
  const locked = new Map<string, Run>()
  const heldUntil = new Map<string, number>()
  for (const [merchantId, runIds] of [...runIdsByMerchant].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const runs = await lockRuns(batch.trx, merchantId, runIds, { skipLocked: true })
    for (const run of runs) locked.set(`${merchantId}:${run.id}`, run)
    const waiting = runs.flatMap((r) => (waitsForReply(r) && r.conversation_id ? [r.conversation_id] : []))
    for (const [conversationId, at] of await heldBurstDeadlines(batch.trx, merchantId, waiting)) {
      heldUntil.set(conversationId, at)
    }
    await batch.prefetchTargets(
      merchantId,
      runs.flatMap((r) => (r.status === 'active' && r.conversation_id ? [r.conversation_id] : [])),
    )
  }
  return { locked, heldUntil }
}

/** A run's due timers in due order; a firing may cancel, re-arm or re-stamp the ones after it. */
async function fireRunTimers(
  batch: StepBatch,
  locked: Run | undefined,
  timers: DueTimer[],
  lateness: number[],
  heldUntil: ReadonlyMap<string, number>,
): Promise<{ fired: number; dropped: number; deferred: number }> {
  const first = timers[0] as DueTimer
  if (!locked) {
    const exists = await batch.trx
      .selectFrom('runs')
      .select('id')
      .where('merchant_id', '=', first.merchant_id)
      .where('id', '=', first.run_id)
      .executeTakeFirst()
    // Locked by a step elsewhere: leave the timers for the next poll.
    if (exists) return { fired: 0, dropped: 0, deferred: timers.length }
  }
  let run = locked
  let fired = 0
  let dropped = 0
  let deferred = 0
  const now = batch.ctx.now
  for (const claimed of timers) {
    const timer = timerAsLeft(batch, locked, run, claimed)
    if (!timer) {
      dropped += 1
      continue
    }
    if (timer.due_at.getTime() > now) continue
    batch.deleteTimer(claimed.merchant_id, claimed.run_id, claimed.timer_id)
    if (run && isUnclaimedTimer(claimed)) {
      // Valid while the conversation still waits for a person, whatever the run's revision (handoff/).
      const stepped = await fireUnclaimed(batch, run, timer.due_at.getTime())
      if (stepped) {
        run = stepped
        fired += 1
      } else dropped += 1
      continue
    }
    if (run?.status !== 'active' || run.revision !== timer.revision) {
      dropped += 1
      continue
    }
    const answeredAt =
      waitsForReply(run) && run.conversation_id ? heldUntil.get(run.conversation_id) : undefined
    // Every timer of a run waiting with an answer held moves (none steps it here); a run stepped later in the
    // batch anyway would carry the moved timer to its new revision at flush (step-writes.ts).
    if (answeredAt !== undefined) {
      const { merchant_id, run_id, timer_id } = claimed
      const due_at = new Date(Math.max(answeredAt, now) + 1)
      batch.setTimer({ merchant_id, run_id, timer_id, due_at, revision: timer.revision, event: timer.event })
      deferred += 1
      continue
    }
    lateness.push(Math.max(0, now - timer.due_at.getTime()) / 1000)
    run = await batch.step(run, timer.event as FlowEventInput, {
      trigger: 'timer',
      machineNow: timer.due_at.getTime(),
    })
    fired += 1
  }
  return { fired, dropped, deferred }
}

/**
 * The claimed timer as the batch has left it: deleted (null), set again by an earlier firing, or untouched —
 * then re-stamped with the run's new revision if the run was stepped (a pending timer stays valid).
 */
function timerAsLeft(
  batch: StepBatch,
  locked: Run | undefined,
  run: Run | undefined,
  claimed: DueTimer,
): { due_at: Date; revision: number; event: NewTimer['event'] } | null {
  const state = batch.timerState(claimed.run_id, claimed.timer_id)
  if (state === null) return null
  if (state) return { due_at: new Date(state.due_at), revision: state.revision, event: state.event }
  const restamped = run && run !== locked && claimed.revision < run.revision ? run.revision : claimed.revision
  return { ...claimed, revision: restamped }
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

/**
 * When the next timer comes due (ms since epoch), null when none is set: the poller sleeps until then rather than
 * a whole poll interval, so a timer fires at its due time, not up to an interval after it. One index probe.
 */
export async function nextTimerDueAt(db: Db): Promise<number | null> {
  const row = await db.selectFrom('timers').select('due_at').orderBy('due_at').limit(1).executeTakeFirst()
  return row ? row.due_at.getTime() : null
}
