// The outbox relay: claims due rows (pending → sending, with a lease), re-checks policy just before sending,
// calls the channel adapters after the claim committed, and records what the providers said. Only `retry`
// (proof that nothing was sent) is retried, with backoff; `unknown` is never resent. A lease that runs out
// while `sending` (the process died mid-call) settles as `unknown`, except on channels whose delivery is
// idempotent on the message id (web chat), where the send is simply made again. A batch costs a few statements
// whatever its size: the claim reads every target at once, and each channel's answers are recorded in one.
import type { Channel, ChannelKind, Database, OutboxEntry } from '@parley/db'
import { type ExpressionBuilder, sql } from 'kysely'
import type { ChannelSend, SendResult } from '../channels/types.ts'
import type { RuntimeDeps } from '../deps.ts'
import { type HttpJob, performHttpRequest } from '../effects/http-request.ts'
import type { MessageJob } from '../effects/send.ts'
import { buildSendFacts, loadSendTargets, readChannel, type SendTarget } from '../policy/send-facts.ts'
import { recheckBeforeSend } from '../policy/send-policy.ts'
import { deliverEvent } from './event-step.ts'
import { failMalformedJob, parseOutboxJob, readOutboxJob } from './outbox-jobs.ts'
import { decideOutcome, recordSendOutcomes, type SendOutcome } from './outbox-outcomes.ts'
import {
  afterCommit,
  type Db,
  isRetryableDbError,
  newStepContext,
  type StepContext,
} from './step-transaction.ts'

export { MAX_SEND_ATTEMPTS, retryDelayMs } from './outbox-outcomes.ts'

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

interface ClaimedSend extends Claimed {
  job: MessageJob
}

/** Attempts at recording a batch's outcomes when Postgres reports a deadlock or serialisation failure. */
const RECORD_ATTEMPTS = 4

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
  const sends = new Map<ChannelKind, ClaimedSend[]>()
  const httpJobs: Claimed[] = []
  for (const c of claimed) {
    const job = parseOutboxJob(c.row.payload)
    if (job.kind === 'http.request') {
      httpJobs.push(c)
      continue
    }
    const ofKind = sends.get(c.channel.kind) ?? []
    ofKind.push({ ...c, job })
    sends.set(c.channel.kind, ofKind)
  }
  // Each channel's answers are recorded as soon as that channel answered: web chat never waits on a provider.
  await Promise.all([
    ...[...sends.values()].map((batch) => sendAndRecord(deps, batch, result)),
    ...httpJobs.map((c) => performHttpJobLogged(deps, c.row, result)),
  ])
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
  const targets = await loadTargets(
    trx,
    rows.filter((row) => readOutboxJob(row.payload)?.kind === 'message'),
  )
  const claimed: Claimed[] = []
  for (const row of rows) {
    const job = readOutboxJob(row.payload)
    if (!job) {
      await failMalformedJob(trx, row, ctx.now)
      result.failed += 1
      continue
    }
    if (job.kind === 'message') {
      const target = targets.get(`${row.merchant_id}:${row.conversation_id}`)
      if (!target) continue
      // The send itself was counted when it was queued and the recheck does not apply the cap again, so the
      // contact's marketing sends are not counted here (0).
      const facts = buildSendFacts(
        target,
        {
          purpose: job.purpose,
          exemption: job.exemption,
          hasTemplate: job.template !== undefined,
          now: ctx.now,
        },
        0,
      )
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
      claimed.push({ row, channel: await readChannel(trx, row.merchant_id, row.channel_id) })
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

/** The send targets of the rows' conversations, a few reads per merchant, keyed by `merchantId:conversationId`. */
async function loadTargets(trx: Db, rows: readonly OutboxEntry[]): Promise<Map<string, SendTarget>> {
  const conversationsByMerchant = new Map<string, string[]>()
  for (const row of rows) {
    const ids = conversationsByMerchant.get(row.merchant_id) ?? []
    ids.push(row.conversation_id)
    conversationsByMerchant.set(row.merchant_id, ids)
  }
  const targets = new Map<string, SendTarget>()
  for (const [merchantId, conversationIds] of conversationsByMerchant) {
    for (const [conversationId, target] of await loadSendTargets(trx, merchantId, conversationIds)) {
      targets.set(`${merchantId}:${conversationId}`, target)
    }
  }
  return targets
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

/**
 * Sends one channel's claimed messages (in one call when its adapter has `sendMany`, else one call per message,
 * concurrently) and records all their answers in one statement.
 */
async function sendAndRecord(deps: RuntimeDeps, batch: readonly ClaimedSend[], result: RelayResult) {
  const answers = await callAdapter(deps, batch)
  const now = deps.clock.now()
  const outcomes = batch.map((c, i) => decideOutcome(c.row, answers[i]!, now))
  try {
    const changed = await recordWithRetry(deps, outcomes, now)
    const channel = { channel: batch[0]!.channel.kind }
    for (const { result: outcome } of outcomes) {
      if (outcome.status === 'sent') {
        deps.metrics.outboxSent.inc(channel)
        result.sent += 1
      } else if (outcome.status === 'retry') {
        result.retried += 1
      } else if (outcome.status === 'failed') {
        deps.metrics.outboxFailed.inc(channel)
        result.failed += 1
      } else {
        deps.metrics.outboxUnknown.inc(channel)
        result.unknown += 1
      }
    }
    // Only rows whose status changed: web chat's adapter already announced its delivered ones.
    const ctx = newStepContext(deps, now)
    for (const message of changed) {
      ctx.notifications.push({
        merchantId: message.merchant_id,
        conversationId: message.conversation_id,
        kind: 'message',
        id: message.id,
      })
    }
    await afterCommit(ctx)
  } catch (error) {
    // Recording the outcomes failed (database gone): the leases run out and the rows settle as unknown.
    deps.logger.error('outbox outcomes not recorded', { outboxIds: batch.map((c) => c.row.id), error })
  }
}

async function recordWithRetry(deps: RuntimeDeps, outcomes: readonly SendOutcome[], now: number) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await recordSendOutcomes(deps.db, outcomes, now)
    } catch (error) {
      // One statement: a deadlock rolled all of it back, so writing it again cannot apply anything twice.
      if (attempt < RECORD_ATTEMPTS && isRetryableDbError(error)) continue
      throw error
    }
  }
}

/** The adapter's answer for each send, in order. */
async function callAdapter(deps: RuntimeDeps, batch: readonly ClaimedSend[]): Promise<SendResult[]> {
  const kind = batch[0]!.channel.kind
  const adapter = deps.channels[kind]
  if (!adapter) return batch.map(() => ({ status: 'failed', error: `No adapter for ${kind}` }))
  const sends: ChannelSend[] = batch.map(({ channel, job }) => ({
    channel,
    payload: {
      to: job.to,
      message: job.message,
      ...(job.template ? { template: job.template } : {}),
      messageId: job.messageId,
    },
  }))
  if (adapter.sendMany) {
    let answers: SendResult[]
    try {
      answers = await adapter.sendMany(sends)
    } catch (error) {
      return sends.map(() => threw(error))
    }
    return sends.map(
      (_, i) => answers[i] ?? { status: 'unknown', error: 'The adapter gave no answer for it' },
    )
  }
  return Promise.all(
    sends.map(async ({ channel, payload }) => {
      try {
        return await adapter.send(channel, payload)
      } catch (error) {
        return threw(error)
      }
    }),
  )
}

/** An adapter that throws may have written the request: never resend blindly. */
function threw(error: unknown): SendResult {
  return { status: 'unknown', error: error instanceof Error ? error.message : String(error) }
}

async function performHttpJobLogged(deps: RuntimeDeps, row: OutboxEntry, result: RelayResult) {
  try {
    const job = parseOutboxJob(row.payload)
    if (job.kind === 'http.request') await performHttpJob(deps, row, job, result)
  } catch (error) {
    // Recording the outcome failed (database gone): the lease runs out and the row settles as unknown.
    deps.logger.error('outbox outcome not recorded', { outboxId: row.id, error })
  }
}

async function performHttpJob(deps: RuntimeDeps, row: OutboxEntry, job: HttpJob, result: RelayResult) {
  const answer = await performHttpRequest(deps, job.effect)
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
  const idempotentKinds = Object.values(deps.channels).flatMap((adapter) =>
    adapter?.idempotentDelivery ? [adapter.kind] : [],
  )
  await requeueIdempotentSends(deps, idempotentKinds)
  // Rows of idempotent channels are never settled here, even if their lease ran out after the requeue just
  // above: the next poll requeues them.
  const expired = await deps.db
    .updateTable('outbox')
    .set({ status: 'unknown', last_error: 'Lease expired while sending', locked_until: null })
    .where('status', '=', 'sending')
    .where('locked_until', '<', sql<Date>`now()`)
    .where((eb) => eb.not(idempotentSend(eb, idempotentKinds)))
    .returning(['merchant_id', 'message_id', 'conversation_id', 'payload'])
    .execute()
  const ctx = newStepContext(deps)
  const messages = expired.flatMap((row) => (row.message_id ? [{ ...row, message_id: row.message_id }] : []))
  if (messages.length > 0) {
    await deps.db
      .updateTable('messages')
      .set({ status: 'unknown', error: 'Lease expired while sending', updated_at: new Date(ctx.now) })
      .where(({ eb, refTuple, tuple }) =>
        eb(
          refTuple('merchant_id', 'id'),
          'in',
          messages.map((row) => tuple(row.merchant_id, row.message_id)),
        ),
      )
      .where('status', '=', 'queued')
      .execute()
  }
  for (const row of messages) {
    ctx.notifications.push({
      merchantId: row.merchant_id,
      conversationId: row.conversation_id,
      kind: 'message',
      id: row.message_id,
    })
  }
  deps.metrics.outboxUnknown.inc({ reason: 'lease_expired' }, expired.length)
  await afterCommit(ctx)
  return expired.length
}

/** Expired `sending` message rows of idempotent channels back to `pending`, for the claim that follows. */
async function requeueIdempotentSends(deps: RuntimeDeps, kinds: ChannelKind[]): Promise<void> {
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
    .where((eb) => idempotentSend(eb, kinds))
    .executeTakeFirst()
  const count = Number(requeued.numUpdatedRows)
  if (count > 0) deps.logger.warn('sends whose lease expired are sent again', { count, channels: kinds })
}

/**
 * An outbox row that is a message send on a channel of one of these kinds (an http.request effect is not
 * idempotent: it still settles as unknown).
 */
function idempotentSend(eb: ExpressionBuilder<Database, 'outbox'>, kinds: ChannelKind[]) {
  if (kinds.length === 0) return eb.val(false)
  return eb.and([
    eb(sql<string>`payload->>'kind'`, '=', 'message'),
    eb.exists(
      eb
        .selectFrom('channels')
        .select('channels.id')
        .whereRef('channels.merchant_id', '=', 'outbox.merchant_id')
        .whereRef('channels.id', '=', 'outbox.channel_id')
        .where('channels.kind', 'in', kinds),
    ),
  ])
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
