// One database transaction per durable step, with what happened in it collected for after the commit:
// realtime notifications (published only once the change is visible) and step counts for metrics.
// Deadlocks and serialisation failures are retried from the start; the transaction rolled back whole.
import type { Database } from '@parley/db'
import type { Kysely } from 'kysely'
import type { RuntimeDeps } from '../deps.ts'
import type { RealtimeEvent } from '../realtime/realtime.ts'
import { type BackoffPolicy, withRetries } from '../time/backoff.ts'

export type Db = Kysely<Database>

export interface StepContext {
  deps: RuntimeDeps
  /** The clock at the start of the transaction: every row written in it carries this time. */
  now: number
  notifications: RealtimeEvent[]
  /**
   * How many of `notifications` a write statement of this transaction carried as NOTIFYs (heard on commit,
   * engine/step-batch.ts `flush`): only the rest are published after the commit.
   */
  notificationsCarried: number
  /** Steps taken, by what triggered them (event, timer, start). */
  steps: Map<string, number>
  /** Outbox rows written: the relay can be woken when there are any. */
  queued: number
  /** Of those, HTTP-request jobs (the HTTP lane's); the rest are sends (the relay's). */
  queuedHttp: number
  /** Sends delivered in the step itself, by channel kind (delivery/in-step-delivery.ts): counted as sent. */
  deliveredInStep: Map<string, number>
}

const RETRYABLE = new Set(['40P01', '40001'])
const MAX_ATTEMPTS = 4
/** Deadlock/serialisation retries wait a few jittered milliseconds, so the transactions that collided part ways. */
export const DB_CONFLICT_BACKOFF: BackoffPolicy = { baseMs: 10, maxMs: 200 }

export function isRetryableDbError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && RETRYABLE.has(code)
}

export function newStepContext(deps: RuntimeDeps, now = deps.clock.now()): StepContext {
  return {
    deps,
    now,
    notifications: [],
    notificationsCarried: 0,
    steps: new Map(),
    queued: 0,
    queuedHttp: 0,
    deliveredInStep: new Map(),
  }
}

export function countStep(ctx: StepContext, trigger: string): void {
  ctx.steps.set(trigger, (ctx.steps.get(trigger) ?? 0) + 1)
}

/**
 * Runs `fn` in one transaction; after commit publishes its notifications and counts its steps.
 * @example const result = await inStepTransaction(deps, (trx, ctx) => stepRun(trx, ctx, run, event))
 */
export async function inStepTransaction<T>(
  deps: RuntimeDeps,
  fn: (trx: Db, ctx: StepContext) => Promise<T>,
): Promise<T> {
  return withRetries(
    async () => {
      const ctx = newStepContext(deps)
      try {
        const result = await deps.db.transaction().execute((trx) => fn(trx, ctx))
        await afterCommit(ctx)
        return result
      } catch (error) {
        deps.metrics.stepFailures.inc()
        throw error
      }
    },
    {
      attempts: MAX_ATTEMPTS,
      backoff: DB_CONFLICT_BACKOFF,
      retryable: isRetryableDbError,
      onRetry: (error, attempt, delayMs) =>
        deps.logger.warn('step transaction retried', {
          attempt,
          delayMs,
          code: (error as { code: string }).code,
        }),
    },
  )
}

/**
 * The step's realtime events no write carried yet, each change once (by kind and id, the first kept: a listener
 * reads the row when it hears of it, after the commit, so it sees the last change anyway), in the order made.
 */
export function unpublishedEvents(ctx: StepContext): RealtimeEvent[] {
  const key = (event: RealtimeEvent) => `${event.kind}:${event.id}`
  const seen = new Set(ctx.notifications.slice(0, ctx.notificationsCarried).map(key))
  return ctx.notifications.slice(ctx.notificationsCarried).filter((event) => {
    if (seen.has(key(event))) return false
    seen.add(key(event))
    return true
  })
}

/** Publishes what a committed transaction changed and records its steps. */
export async function afterCommit(ctx: StepContext): Promise<void> {
  for (const [trigger, n] of ctx.steps) ctx.deps.metrics.steps.inc({ trigger }, n)
  for (const [channel, n] of ctx.deliveredInStep) ctx.deps.metrics.outboxSent.inc({ channel }, n)
  if (ctx.queued > 0)
    ctx.deps.relayWake?.notify({ messages: ctx.queued > ctx.queuedHttp, httpJobs: ctx.queuedHttp > 0 })
  const events = unpublishedEvents(ctx)
  if (events.length === 0) return
  try {
    // One round trip for the whole step, in the order the step made its changes.
    await ctx.deps.realtime.publishMany(events)
  } catch (error) {
    // The change is committed; a missed live update is repaired when the client re-reads the transcript.
    ctx.deps.logger.warn('realtime publish failed', { error })
  }
}
