// The outbox relay's message lane: claims due sends (pending → sending, with a lease) fairly across merchants'
// channels, one at a time per conversation in queue order, paced to each channel's limits (outbox-claim.ts);
// re-checks policy just before sending, calls the channel adapters after the claim committed, and records what
// the providers said. Only `retry` (proof that nothing was sent) is retried, with backoff; `unknown` is never
// resent. A lease that runs out while `sending` (the process died mid-call) settles as `unknown`, except on
// channels whose delivery is idempotent on the message id (web chat), where the send is simply made again.
// Merchants' HTTP-request jobs are not claimed here: they run on their own lane (http-lane.ts), so a slow
// endpoint never holds up a send. A batch costs a few statements whatever its size.
import type { Channel, ChannelKind, Database, OutboxEntry } from '@parley/db'
import { type ExpressionBuilder, sql } from 'kysely'
import { channelPacing, type Rate } from '../channels/pacing-config.ts'
import type { ChannelSend, SendResult } from '../channels/types.ts'
import { applySendConsequences, type RefusedSend } from '../delivery/send-consequences.ts'
import { settleSkipped } from '../delivery/skipped-send.ts'
import type { RuntimeDeps } from '../deps.ts'
import type { MessageJob } from '../effects/send.ts'
import {
  afterCommit,
  DB_CONFLICT_BACKOFF,
  type Db,
  isRetryableDbError,
  newStepContext,
  type StepContext,
} from '../engine/step-transaction.ts'
import { saidBeforeHandover } from '../handoff/said-before-handover.ts'
import { buildSendFacts, loadSendTargets, type SendTarget } from '../policy/send-facts.ts'
import { recheckBeforeSend } from '../policy/send-policy.ts'
import { withRetries } from '../time/backoff.ts'
import { admissible, advance, readyAt, toleranceMs } from './gcra.ts'
import { applyLinkRedirects } from './message-links.ts'
import {
  type BucketRef,
  channelBucketKey,
  chatBucketKey,
  claimLaneRows,
  findMessageLanes,
  type LaneTake,
  lockBuckets,
  readBuckets,
  writeBuckets,
} from './outbox-claim.ts'
import { failMalformedJob, readOutboxJob } from './outbox-jobs.ts'
import { decideOutcome, recordSendOutcomes, type SendOutcome } from './outbox-outcomes.ts'

export { MAX_SEND_ATTEMPTS, retryDelayMs } from './outbox-outcomes.ts'

export interface RelayResult {
  claimed: number
  sent: number
  retried: number
  failed: number
  unknown: number
  skipped: number
  deferred: number
  /** Some lane had more due than its share of this batch: claim again at once. */
  more: boolean
  /** The earliest time (clock ms) a lane held back by its pacing may send again; null when none is. */
  wakeAt: number | null
}

interface ClaimedSend {
  row: OutboxEntry
  channel: Channel
  job: MessageJob
}

interface Claim {
  sends: ClaimedSend[]
  more: boolean
  wakeAt: number | null
}

/** Attempts at recording a batch's outcomes when Postgres reports a deadlock or serialisation failure. */
const RECORD_ATTEMPTS = 4

/**
 * Sends up to about `limit` due outbox messages (each lane with due sends gets at least one). Returns what
 * happened to them.
 * @example await relayOutbox(deps) // { claimed: 3, sent: 3, ... }
 */
export async function relayOutbox(
  deps: RuntimeDeps,
  limit = deps.config.OUTBOX_BATCH_SIZE,
  /** Settle expired leases first (two statements); the relay loop does it about once a second, not every batch. */
  options: { settleLeases?: boolean } = {},
): Promise<RelayResult> {
  const result: RelayResult = {
    claimed: 0,
    sent: 0,
    retried: 0,
    failed: 0,
    unknown: 0,
    skipped: 0,
    deferred: 0,
    more: false,
    wakeAt: null,
  }
  if (options.settleLeases ?? true) result.unknown += await settleExpiredLeases(deps)
  const ctx = newStepContext(deps)
  const claim = await deps.db.transaction().execute((trx) => claimDue(trx, ctx, limit, result))
  await afterCommit(ctx)
  result.claimed = claim.sends.length
  result.more = claim.more
  result.wakeAt = claim.wakeAt
  const byKind = new Map<ChannelKind, ClaimedSend[]>()
  for (const c of claim.sends) {
    const ofKind = byKind.get(c.channel.kind) ?? []
    ofKind.push(c)
    byKind.set(c.channel.kind, ofKind)
  }
  // Each channel's answers are recorded as soon as that channel answered: web chat never waits on a provider.
  await Promise.all([...byKind.values()].map((batch) => sendAndRecord(deps, batch, result)))
  return result
}

interface LanePlan {
  take: LaneTake
  rate: Rate | null
  chatRate: Rate | null
  bucket: BucketRef
  tat: number
}

async function claimDue(trx: Db, ctx: StepContext, limit: number, result: RelayResult): Promise<Claim> {
  const lanes = await findMessageLanes(trx)
  if (lanes.length === 0) return { sends: [], more: false, wakeAt: null }
  const plans: LanePlan[] = lanes.map((lane) => {
    const pacing = channelPacing(lane)
    return {
      take: {
        merchantId: lane.merchantId,
        channelId: lane.channelId,
        limit: 0,
        chatToleranceMs: pacing.chat ? toleranceMs(pacing.chat) : null,
      },
      rate: pacing.channel,
      chatRate: pacing.chat,
      bucket: { merchantId: lane.merchantId, key: channelBucketKey(lane.channelId) },
      tat: 0,
    }
  })
  const tats = await lockBuckets(
    trx,
    plans.flatMap((p) => (p.rate ? [p.bucket] : [])),
  )
  // Fair across merchants: every lane gets an equal share of the batch (at least one), whatever its backlog.
  const share = Math.max(1, Math.floor(limit / lanes.length))
  for (const plan of plans) {
    plan.tat = tats.get(`${plan.bucket.merchantId}:${plan.bucket.key}`) ?? 0
    plan.take.limit = plan.rate ? Math.min(share, admissible(plan.rate, plan.tat, ctx.now)) : share
  }
  const rows = await claimLaneRows(
    trx,
    plans.map((p) => p.take),
    ctx.now,
  )
  const targets = await loadTargets(trx, rows)
  const claimed: ClaimedSend[] = []
  for (const row of rows) {
    const job = readOutboxJob(row.payload)
    if (job?.kind !== 'message') {
      await failMalformedJob(trx, row, ctx.now)
      result.failed += 1
      continue
    }
    const target = targets.get(`${row.merchant_id}:${row.conversation_id}`)
    if (!target) continue
    // The send itself was counted when it was queued and the recheck does not apply the cap again, so the
    // contact's marketing sends are not counted here (0).
    const facts = buildSendFacts(
      target,
      {
        purpose: job.purpose,
        // A service message queued with the hand-over is the bot's last word, not the bot talking over staff.
        exemption:
          job.exemption === 'none' &&
          job.purpose !== 'marketing' &&
          saidBeforeHandover(row, target.conversation)
            ? 'handoff'
            : job.exemption,
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
    if (check.kind === 'hold') {
      // Staff took the chat after this marketing send was queued: it waits for the hand-back (handoff/held-sends.ts).
      await trx
        .updateTable('outbox')
        .set({ status: 'held', updated_at: new Date(ctx.now) })
        .where('merchant_id', '=', row.merchant_id)
        .where('id', '=', row.id)
        .execute()
      result.deferred += 1
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
    claimed.push({ row, channel: target.channel, job })
  }
  // Links become /r/<id> redirects that count clicks, in what is sent and in the transcript (message-links.ts).
  await applyLinkRedirects(
    trx,
    { publicUrl: ctx.deps.config.PUBLIC_URL, secret: ctx.deps.config.secret, now: ctx.now },
    claimed.map((c) => ({ merchantId: c.row.merchant_id, runId: c.row.run_id, job: c.job })),
  )
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
  const wakeAt = await spendTokens(trx, ctx.now, plans, rows, claimed)
  return {
    sends: claimed.map((c) => ({ ...c, row: { ...c.row, attempts: c.row.attempts + 1 } })),
    // A lane that filled its share may have more due; one held back by pacing is woken at `wakeAt` instead.
    more: plans.some((p) => p.take.limit === share && countOf(rows, p.take) === share),
    wakeAt,
  }
}

/**
 * Advances the buckets by the sends actually claimed (not the skipped or deferred ones). Returns when the
 * earliest lane that pacing held back may send again.
 */
async function spendTokens(
  trx: Db,
  now: number,
  plans: readonly LanePlan[],
  rows: readonly OutboxEntry[],
  claimed: readonly ClaimedSend[],
): Promise<number | null> {
  const sentPerLane = new Map<string, number>()
  for (const c of claimed) {
    const key = `${c.row.merchant_id}:${c.row.channel_id}`
    sentPerLane.set(key, (sentPerLane.get(key) ?? 0) + 1)
  }
  const writes: (BucketRef & { tat: number })[] = []
  let wakeAt: number | null = null
  for (const plan of plans) {
    if (!plan.rate) continue
    const sent = sentPerLane.get(`${plan.take.merchantId}:${plan.take.channelId}`) ?? 0
    const tat = sent > 0 ? advance(plan.rate, plan.tat, now, sent) : plan.tat
    if (sent > 0) writes.push({ ...plan.bucket, tat })
    const heldBack = plan.take.limit === 0 || countOf(rows, plan.take) === plan.take.limit
    if (heldBack && admissible(plan.rate, tat, now) === 0) {
      const ready = readyAt(plan.rate, tat)
      wakeAt = wakeAt === null ? ready : Math.min(wakeAt, ready)
    }
  }
  const chatRates = new Map(plans.map((p) => [`${p.take.merchantId}:${p.take.channelId}`, p.chatRate]))
  const chats = claimed.flatMap((c) => {
    const rate = chatRates.get(`${c.row.merchant_id}:${c.row.channel_id}`)
    return rate ? [{ merchantId: c.row.merchant_id, key: chatBucketKey(c.row.conversation_id), rate }] : []
  })
  const chatTats = await readBuckets(trx, chats)
  for (const chat of chats) {
    const tat = chatTats.get(`${chat.merchantId}:${chat.key}`) ?? 0
    writes.push({ merchantId: chat.merchantId, key: chat.key, tat: advance(chat.rate, tat, now, 1) })
  }
  await writeBuckets(trx, writes)
  return wakeAt
}

function countOf(rows: readonly OutboxEntry[], take: LaneTake): number {
  return rows.filter((r) => r.merchant_id === take.merchantId && r.channel_id === take.channelId).length
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

/**
 * Sends one channel's claimed messages (in one call when its adapter has `sendMany`, else one call per message,
 * concurrently) and records all their answers in one statement.
 */
async function sendAndRecord(deps: RuntimeDeps, batch: readonly ClaimedSend[], result: RelayResult) {
  const answers = await callAdapter(deps, batch)
  const now = deps.clock.now()
  // Refusals that say something about the shopper (blocked the bot, window closed, marketing stopped) are acted
  // on apart from the others (delivery/send-consequences.ts).
  const refused: RefusedSend[] = []
  const outcomes: SendOutcome[] = []
  batch.forEach((c, i) => {
    const answer = answers[i]!
    if (answer.status === 'failed' && answer.consequence) {
      refused.push({ ...c, consequence: answer.consequence, error: answer.error })
    } else outcomes.push(decideOutcome(c.row, answer, now))
  })
  try {
    for (const outcome of await applySendConsequences(deps, refused)) {
      if (outcome === 'skipped') result.skipped += 1
      else result.retried += 1
    }
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
  // One statement: a deadlock rolled all of it back, so writing it again cannot apply anything twice.
  return withRetries(() => recordSendOutcomes(deps.db, outcomes, now), {
    attempts: RECORD_ATTEMPTS,
    backoff: DB_CONFLICT_BACKOFF,
    retryable: isRetryableDbError,
  })
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
