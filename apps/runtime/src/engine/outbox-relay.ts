// The outbox relay: claims due rows (pending → sending, with a lease), re-checks policy just before sending,
// calls the channel adapter after the claim committed, and records what the provider said. Only `retry`
// (proof that nothing was sent) is retried, with backoff; `unknown` is never resent. A lease that runs out
// while `sending` (the process died mid-call) settles as `unknown`, except on channels whose delivery is
// idempotent on the message id (web chat), where the send is simply made again.
import type { Channel, OutboxEntry } from '@parley/db'
import { sql } from 'kysely'
import type { SendResult } from '../channels/types.ts'
import type { RuntimeDeps } from '../deps.ts'
import { type HttpJob, performHttpRequest } from '../effects/http-request.ts'
import type { MessageJob } from '../effects/send.ts'
import { loadSendTarget, sendFactsFor } from '../policy/send-facts.ts'
import { recheckBeforeSend } from '../policy/send-policy.ts'
import { deliverEvent } from './event-step.ts'
import { afterCommit, type Db, newStepContext, type StepContext } from './step-transaction.ts'

export const MAX_SEND_ATTEMPTS = 8

export interface RelayResult {
  claimed: number
  sent: number
  retried: number
  failed: number
  unknown: number
  skipped: number
  deferred: number
}

interface Claimed {
  row: OutboxEntry
  channel: Channel
}

/** Backoff before retry n (1-based): 1 s, 2 s, 4 s ... capped at 5 minutes; a provider's retry-after wins if longer. */
export function retryDelayMs(attempts: number, retryAfterMs?: number): number {
  const backoff = Math.min(5 * 60_000, 1000 * 2 ** Math.max(0, attempts - 1))
  return Math.max(backoff, retryAfterMs ?? 0)
}

/**
 * Sends up to `limit` due outbox rows. Returns what happened to them.
 * @example await relayOutbox(deps) // { claimed: 3, sent: 3, ... }
 */
export async function relayOutbox(
  deps: RuntimeDeps,
  limit = deps.config.OUTBOX_BATCH_SIZE,
): Promise<RelayResult> {
  const result: RelayResult = {
    claimed: 0,
    sent: 0,
    retried: 0,
    failed: 0,
    unknown: 0,
    skipped: 0,
    deferred: 0,
  }
  result.unknown += await settleExpiredLeases(deps)
  const ctx = newStepContext(deps)
  const claimed = await deps.db.transaction().execute((trx) => claimDue(trx, ctx, limit, result))
  await afterCommit(ctx)
  result.claimed = claimed.length
  await Promise.all(claimed.map((c) => perform(deps, c, result)))
  return result
}

async function claimDue(trx: Db, ctx: StepContext, limit: number, result: RelayResult): Promise<Claimed[]> {
  const rows = await trx
    .selectFrom('outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', new Date(ctx.now))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
  const claimed: Claimed[] = []
  for (const row of rows) {
    const job = row.payload as unknown as MessageJob | HttpJob
    if (job.kind === 'message') {
      const target = await loadSendTarget(trx, row.merchant_id, row.conversation_id)
      if (!target) continue
      const facts = await sendFactsFor(trx, target, {
        purpose: job.purpose,
        exemption: job.exemption,
        hasTemplate: job.template !== undefined,
        now: ctx.now,
      })
      // The send itself was counted when it was queued: the cap is not applied twice.
      const check = recheckBeforeSend({ ...facts, mode: job.mode })
      if (check.kind === 'skip') {
        await settleSkipped(trx, ctx, row, check.reason)
        result.skipped += 1
        continue
      }
      if (check.kind === 'defer') {
        await trx
          .updateTable('outbox')
          .set({ next_attempt_at: new Date(check.until), updated_at: new Date(ctx.now) })
          .where('merchant_id', '=', row.merchant_id)
          .where('id', '=', row.id)
          .execute()
        result.deferred += 1
        continue
      }
      claimed.push({ row, channel: target.channel })
    } else {
      const channel = await trx
        .selectFrom('channels')
        .selectAll()
        .where('merchant_id', '=', row.merchant_id)
        .where('id', '=', row.channel_id)
        .executeTakeFirstOrThrow()
      claimed.push({ row, channel })
    }
  }
  if (claimed.length > 0) {
    await trx
      .updateTable('outbox')
      .set({
        status: 'sending',
        attempts: sql`attempts + 1`,
        locked_until: sql`now() + make_interval(secs => ${ctx.deps.config.OUTBOX_LEASE_SECONDS})`,
        locked_by: ctx.deps.instanceId,
        updated_at: new Date(ctx.now),
      })
      .where(
        'id',
        'in',
        claimed.map((c) => c.row.id),
      )
      .execute()
  }
  return claimed.map((c) => ({ ...c, row: { ...c.row, attempts: c.row.attempts + 1 } }))
}

async function settleSkipped(trx: Db, ctx: StepContext, row: OutboxEntry, reason: string): Promise<void> {
  const now = new Date(ctx.now)
  await trx
    .updateTable('outbox')
    .set({ status: 'failed', last_error: `skipped: ${reason}`, updated_at: now })
    .where('merchant_id', '=', row.merchant_id)
    .where('id', '=', row.id)
    .execute()
  if (!row.message_id) return
  await trx
    .updateTable('messages')
    .set({ status: 'skipped', skip_reason: reason, cost: null, updated_at: now })
    .where('merchant_id', '=', row.merchant_id)
    .where('id', '=', row.message_id)
    .execute()
  ctx.notifications.push({
    merchantId: row.merchant_id,
    conversationId: row.conversation_id,
    kind: 'message',
    id: row.message_id,
  })
}

async function perform(deps: RuntimeDeps, claimed: Claimed, result: RelayResult): Promise<void> {
  const job = claimed.row.payload as unknown as MessageJob | HttpJob
  try {
    if (job.kind === 'http.request') await performHttpJob(deps, claimed.row, job, result)
    else await performSend(deps, claimed, job, result)
  } catch (error) {
    // Recording the outcome failed (database gone): the lease runs out and the row settles as unknown.
    deps.logger.error('outbox outcome not recorded', { outboxId: claimed.row.id, error })
  }
}

async function callAdapter(deps: RuntimeDeps, claimed: Claimed, job: MessageJob): Promise<SendResult> {
  const adapter = deps.channels[claimed.channel.kind]
  if (!adapter) return { status: 'failed', error: `No adapter for ${claimed.channel.kind}` }
  try {
    return await adapter.send(claimed.channel, {
      to: job.to,
      message: job.message,
      ...(job.template ? { template: job.template } : {}),
      messageId: job.messageId,
    })
  } catch (error) {
    // An adapter that throws may have written the request: never resend blindly.
    return { status: 'unknown', error: error instanceof Error ? error.message : String(error) }
  }
}

async function performSend(deps: RuntimeDeps, claimed: Claimed, job: MessageJob, result: RelayResult) {
  const sendResult = await callAdapter(deps, claimed, job)
  const { row } = claimed
  const ctx = newStepContext(deps)
  const now = new Date(ctx.now)
  let outcome = sendResult
  if (outcome.status === 'retry' && row.attempts >= MAX_SEND_ATTEMPTS) {
    outcome = { status: 'failed', error: `Gave up after ${row.attempts} attempts: ${outcome.error}` }
  }
  await deps.db.transaction().execute(async (trx) => {
    const mine = trx
      .updateTable('outbox')
      .where('merchant_id', '=', row.merchant_id)
      .where('id', '=', row.id)
      .where('status', 'in', ['sending', 'unknown'])
    switch (outcome.status) {
      case 'sent':
        await mine
          .set({
            status: 'sent',
            provider_message_id: outcome.providerMessageId,
            sent_at: now,
            locked_until: null,
            updated_at: now,
          })
          .execute()
        await setMessage(trx, row, {
          status: 'sent',
          provider_message_id: outcome.providerMessageId,
          sent_at: now,
        })
        await trx
          .updateTable('conversations')
          .set({ last_message_at: now })
          .where('merchant_id', '=', row.merchant_id)
          .where('id', '=', row.conversation_id)
          .execute()
        deps.metrics.outboxSent.inc({ channel: claimed.channel.kind })
        result.sent += 1
        break
      case 'retry':
        await mine
          .set({
            status: 'pending',
            last_error: outcome.error,
            next_attempt_at: new Date(ctx.now + retryDelayMs(row.attempts, outcome.retryAfterMs)),
            locked_until: null,
            locked_by: null,
            updated_at: now,
          })
          .execute()
        result.retried += 1
        return
      case 'failed':
        await mine
          .set({ status: 'failed', last_error: outcome.error, locked_until: null, updated_at: now })
          .execute()
        await setMessage(trx, row, { status: 'failed', error: outcome.error })
        deps.metrics.outboxFailed.inc({ channel: claimed.channel.kind })
        result.failed += 1
        break
      case 'unknown':
        await mine
          .set({ status: 'unknown', last_error: outcome.error, locked_until: null, updated_at: now })
          .execute()
        await setMessage(trx, row, { status: 'unknown', error: outcome.error })
        deps.metrics.outboxUnknown.inc({ channel: claimed.channel.kind })
        result.unknown += 1
        break
    }
    if (row.message_id) {
      ctx.notifications.push({
        merchantId: row.merchant_id,
        conversationId: row.conversation_id,
        kind: 'message',
        id: row.message_id,
      })
    }
  })
  await afterCommit(ctx)
}

async function setMessage(
  trx: Db,
  row: OutboxEntry,
  values: {
    status: 'sent' | 'failed' | 'unknown'
    provider_message_id?: string
    sent_at?: Date
    error?: string
  },
) {
  if (!row.message_id) return
  await trx
    .updateTable('messages')
    .set({ ...values, updated_at: values.sent_at ?? new Date() })
    .where('merchant_id', '=', row.merchant_id)
    .where('id', '=', row.message_id)
    // A delivery receipt may already have moved it on (delivered, read).
    .where('status', 'in', ['queued', 'unknown'])
    .execute()
}

async function performHttpJob(deps: RuntimeDeps, row: OutboxEntry, job: HttpJob, result: RelayResult) {
  const answer = await performHttpRequest(job.effect)
  await deliverEvent(deps, {
    merchantId: row.merchant_id,
    receipt: { source: 'outbox', externalId: row.id },
    event: { type: 'effect.result', nodeId: job.effect.nodeId, ok: answer.ok, data: answer.data },
    selectRuns: async () => [job.runId],
  })
  const now = new Date(deps.clock.now())
  await deps.db
    .updateTable('outbox')
    .set({ status: answer.ok ? 'sent' : 'failed', sent_at: now, locked_until: null, updated_at: now })
    .where('merchant_id', '=', row.merchant_id)
    .where('id', '=', row.id)
    .execute()
  if (answer.ok) result.sent += 1
  else result.failed += 1
}

/**
 * Rows still `sending` after their lease: the process died between the claim and recording the provider's
 * answer. The request may have gone out, so they become `unknown` (never resent). Returns how many.
 * Message sends on a channel whose adapter declares `idempotentDelivery` go back to `pending` instead: sending
 * the same message id again cannot reach the shopper twice (web chat's "provider" is our own transcript row,
 * and marking it delivered twice is harmless), so exactly-once holds across a crash there.
 */
export async function settleExpiredLeases(deps: RuntimeDeps): Promise<number> {
  await requeueIdempotentSends(deps)
  const expired = await deps.db
    .updateTable('outbox')
    .set({ status: 'unknown', last_error: 'Lease expired while sending', locked_until: null })
    .where('status', '=', 'sending')
    .where('locked_until', '<', sql<Date>`now()`)
    .returning(['merchant_id', 'message_id', 'conversation_id', 'payload'])
    .execute()
  const ctx = newStepContext(deps)
  for (const row of expired) {
    if (row.message_id) {
      await deps.db
        .updateTable('messages')
        .set({ status: 'unknown', error: 'Lease expired while sending', updated_at: new Date(ctx.now) })
        .where('merchant_id', '=', row.merchant_id)
        .where('id', '=', row.message_id)
        .where('status', '=', 'queued')
        .execute()
      ctx.notifications.push({
        merchantId: row.merchant_id,
        conversationId: row.conversation_id,
        kind: 'message',
        id: row.message_id,
      })
    }
  }
  deps.metrics.outboxUnknown.inc({ reason: 'lease_expired' }, expired.length)
  await afterCommit(ctx)
  return expired.length
}

/** Expired `sending` message rows of idempotent channels back to `pending`, for the claim that follows. */
async function requeueIdempotentSends(deps: RuntimeDeps): Promise<void> {
  const kinds = Object.values(deps.channels).flatMap((adapter) =>
    adapter?.idempotentDelivery ? [adapter.kind] : [],
  )
  if (kinds.length === 0) return
  const requeued = await deps.db
    .updateTable('outbox')
    .set({
      status: 'pending',
      last_error: 'Lease expired while sending; sent again (idempotent channel)',
      locked_until: null,
      locked_by: null,
    })
    .where('status', '=', 'sending')
    .where('locked_until', '<', sql<Date>`now()`)
    // Only message sends: an http.request effect is not idempotent and still settles as unknown.
    .where(sql<string>`payload->>'kind'`, '=', 'message')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('channels')
          .select('channels.id')
          .whereRef('channels.merchant_id', '=', 'outbox.merchant_id')
          .whereRef('channels.id', '=', 'outbox.channel_id')
          .where('channels.kind', 'in', kinds),
      ),
    )
    .executeTakeFirst()
  const count = Number(requeued.numUpdatedRows)
  if (count > 0) deps.logger.warn('sends whose lease expired are sent again', { count, channels: kinds })
}

/** Outbox rows waiting to be sent (the parley_outbox_pending gauge). */
export async function countPendingOutbox(db: Db): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}
