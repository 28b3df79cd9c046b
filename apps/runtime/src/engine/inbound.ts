// Inbound chat routing (DESIGN.md "Policy", issue 3): every verified message from a channel adapter comes
// here. Messages arriving together are one batch (group commit) and one StepBatch: receipts claimed with one
// statement; per message the contact, identity and conversation; the transcript row and the 24-hour window;
// then opt-out / opt-in keywords first; staff takeover (inbox only); else the run waiting for this shopper's
// reply; else a flow triggered by keyword or by any message; else nothing (the message stays in the
// transcript, recorded as unrouted). Every row the steps decide is written with one statement at the end.
import type { Contact, Conversation, JsonObject, Merchant, Run } from '@parley/db'
import { messageTriggerVars, toJsonValue } from '@parley/flow'
import { sql } from 'kysely'
import type { InboundMessage } from '../channels/types.ts'
import type { RuntimeConfig } from '../config.ts'
import { markReachable } from '../contacts/contact-reachability.ts'
import { applyProfile, openConversation, upsertContactByIdentity } from '../contacts/contact-repository.ts'
import type { RuntimeDeps } from '../deps.ts'
import { NotFoundError } from '../domain-errors.ts'
import { withLlmReplyIntents } from '../llm/reply-intent-llm.ts'
import {
  optInConfirmationOf,
  optInKeywordsOf,
  optOutConfirmationOf,
  optOutKeywordsOf,
} from '../policy/keyword-packs.ts'
import { isOptInMessage, isOptOutMessage } from '../policy/keywords.ts'
import {
  channelKey,
  channelWithMerchantSelection,
  readChannel,
  readMerchant,
  type SendTarget,
  sendTargetOf,
  takeChannelsWithMerchants,
} from '../policy/send-facts.ts'
import type { RateLimitCheck, RateLimitRefusal } from '../security/rate-limits.ts'
import { fixedStatement } from '../sql/fixed-statement.ts'
import { keysProbedFixed } from '../sql/sql-any.ts'
import { timeOrderedId } from '../sql/time-ordered-id.ts'
import { settleInBurst } from './burst-merge.ts'
import { stepRuns } from './event-step.ts'
import { GroupCommit } from './group-commit.ts'
import { type InboundFacts, readInboundFacts, senderKey, waitingRunFor } from './inbound-facts.ts'
import { replyIntentOf } from './reply-intent.ts'
import { findActiveRunIds } from './run-store.ts'
import { startWelcomeFlow } from './start-command.ts'
import { startTriggeredRuns } from './start-runs.ts'
import { StepBatch } from './step-batch.ts'
import { type Db, inStepTransaction, type StepContext } from './step-transaction.ts'
import { contactVars, storeVarsOf } from './vars.ts'

/** `held`: waiting in its conversation's burst for the shopper's next words (engine/burst-merge.ts). */
export type InboundRoute = 'duplicate' | 'opt_out' | 'opt_in' | 'staff' | 'run' | 'flow' | 'none' | 'held'

export interface InboundResult {
  duplicate: boolean
  route: InboundRoute
  contactId?: string
  conversationId?: string
  /** The transcript row of the inbound message. */
  messageId?: string
  /** Runs stepped or started. */
  runIds: string[]
}

export { OPT_IN_CONFIRMATION, OPT_OUT_CONFIRMATION } from '../policy/keyword-packs.ts'

/** The receipts source for a channel's inbound messages. */
export function inboundReceiptSource(channelId: string): string {
  return `channel:${channelId}`
}

/**
 * Processes one inbound message exactly once (per channel and provider id). Messages arriving together are
 * processed together: one transaction and one write set per batch (group commit); a batch that fails is
 * retried message by message, so one bad message fails alone. With `limits` (web chat), the message is first
 * counted against them with its batch, and refused (the limiter's RateLimitedError: nothing written, its receipt
 * not claimed) when over one.
 * @example await processInboundMessage(deps, { merchantId, channelId, externalId: wamid, sender: { externalId: waId }, text })
 */
export async function processInboundMessage(
  deps: RuntimeDeps,
  msg: InboundMessage,
  limits?: readonly RateLimitCheck[],
): Promise<InboundResult> {
  // Over budget already: refused before it waits for a batch (a flood costs no statement). Synchronous up to
  // the submit, so one shopper's messages reach the batcher in the order they came.
  const early = limits?.length ? deps.rateLimits.refusedFromMemory(limits) : null
  if (early) throw early
  const outcome = await deps.inbound.submit(limits?.length ? { message: msg, limits } : { message: msg })
  if ('refused' in outcome) throw outcome.refused
  return outcome.result
}

/** A message for the inbound batcher, with the rate limits it is counted against first (web chat), if any. */
export interface InboundSubmission {
  message: InboundMessage
  limits?: readonly RateLimitCheck[]
}

/** A message's result, or its refusal by its rate limits (nothing processed). */
export type InboundOutcome = { result: InboundResult } | { refused: RateLimitRefusal }

/** The process's group commit for inbound messages (deps.inbound). */
export type InboundBatcher = GroupCommit<InboundSubmission, InboundOutcome>

/** Batches with these deps' settings; `deps` is read when a batch runs (the deps hold the batcher). */
export function createInboundBatcher(config: RuntimeConfig, deps: () => RuntimeDeps): InboundBatcher {
  return new GroupCommit<InboundSubmission, InboundOutcome>({
    // One shopper's messages are processed one after another, in the order they came.
    keyOf: ({ message: m }) => `${m.merchantId}:${m.channelId}:${m.sender.externalId}`,
    // Issue 9: the batch counts its messages' limits with one statement, where each request counting its own
    // gathered ~3.6 per statement. In autocommit, outside the step transaction (there the address row would stay
    // locked until the step commits, serializing the batches in flight), and once per batch: the screen does not
    // run again when a failed batch is retried message by message, so no message is counted twice.
    screen: (submissions) => refusalsOf(deps(), submissions),
    process: async (submissions) => {
      // The optional LLM's reading of replies the rules cannot place: per batch, in order, before the step
      // transaction (no network inside it); submission stays synchronous, so one shopper's messages keep their order.
      const classified = await withLlmReplyIntents(
        deps(),
        submissions.map((s) => s.message),
      )
      const results = await inStepTransaction(deps(), (trx, ctx) => processInboundBatch(trx, ctx, classified))
      return results.map((result) => ({ result }))
    },
    maxBatch: config.INBOUND_BATCH_SIZE,
    maxInFlight: config.INBOUND_BATCHES_IN_FLIGHT,
    minExtraBatch: config.INBOUND_EXTRA_BATCH_MIN,
  })
}

/** Per submission its refusal by its limits, or undefined to process it; the limited ones counted at once. */
async function refusalsOf(
  deps: RuntimeDeps,
  submissions: InboundSubmission[],
): Promise<(InboundOutcome | undefined)[]> {
  const limited = submissions.flatMap((s, index) => (s.limits?.length ? [{ index, limits: s.limits }] : []))
  const answers: (InboundOutcome | undefined)[] = submissions.map(() => undefined)
  if (limited.length === 0) return answers
  const refusals = await deps.rateLimits.hitAll(limited.map((l) => l.limits))
  for (const [i, { index }] of limited.entries()) {
    const refused = refusals[i]
    if (refused) answers[index] = { refused }
  }
  return answers
}

/** Inbound messages of different shoppers in one transaction: receipts first, then each fresh message, one write. */
export async function processInboundBatch(
  trx: Db,
  ctx: StepContext,
  msgs: InboundMessage[],
): Promise<InboundResult[]> {
  const fresh = await claimReceiptsOnOpenChannels(trx, msgs, ctx.now)
  const batch = new StepBatch(trx, ctx)
  const freshMsgs = msgs.filter((_, index) => fresh.has(index))
  const known = await readKnownSenders(batch, freshMsgs)
  const results: InboundResult[] = []
  for (const [index, msg] of msgs.entries()) {
    results.push(
      fresh.has(index)
        ? await routeFreshMessage(batch, msg, known)
        : { duplicate: true, route: 'duplicate', runIds: [] },
    )
  }
  await batch.flush()
  return results
}

/**
 * Claims the batch's receipts and reads its channels with their merchants, in one statement; returns the indexes of
 * the messages seen for the first time. Every channel the messages came in on must exist for their merchant and
 * be enabled, else NotFoundError (the transaction rolls back, claims included: nothing is written). Web chat checks
 * the channel only here: the visitor token names merchant and channel, signed, so a message costs no channel read
 * of its own (issue 9); the routing and the replies reuse both rows (`takeChannelsWithMerchants` fills the
 * transaction's rows `readChannel` and `readMerchant` answer from).
 *
 * One statement, not a channel read and then the claim: one round trip and one statement's fixed cost fewer per
 * batch. Neither part locks a row the other reads, and both read as of the statement's start, as the two statements
 * did (the channel read took no lock the claim could wait behind).
 */
async function claimReceiptsOnOpenChannels(
  trx: Db,
  msgs: InboundMessage[],
  now: number,
): Promise<Set<number>> {
  const keyOf = (merchantId: string, source: string, externalId: string) =>
    JSON.stringify([merchantId, source, externalId])
  const merchantIds = msgs.map((msg) => msg.merchantId)
  const sources = msgs.map((msg) => inboundReceiptSource(msg.channelId))
  const externalIds = msgs.map((msg) => msg.externalId)
  const pairs = new Map(msgs.map((msg) => [channelKey(msg.merchantId, msg.channelId), msg]))
  const channelMerchantIds = [...pairs.values()].map((msg) => msg.merchantId)
  const channelIds = [...pairs.values()].map((msg) => msg.channelId)
  const rows = await claimReceiptsReadingChannels.execute(
    trx,
    new Date(now),
    merchantIds,
    sources,
    externalIds,
    // The channels' keys twice: probed by index, then matched as exact pairs (sql-any.ts `keysProbedFixed`).
    channelMerchantIds,
    channelIds,
    channelMerchantIds,
    channelIds,
  )
  const claimed = (rows[0]?.[CLAIMED] ?? []) as [string, string, string][]
  const open = await takeChannelsWithMerchants(
    trx,
    rows.map(({ [CLAIMED]: _claimed, ...channelRow }) => channelRow),
  )
  for (const key of pairs.keys()) if (!open.get(key)?.channel.enabled) throw new NotFoundError('Channel')
  const unclaimed = new Set(
    claimed.map(([merchantId, source, externalId]) => keyOf(merchantId, source, externalId)),
  )
  const fresh = new Set<number>()
  msgs.forEach((msg, index) => {
    // The same message twice in one batch: the first is fresh, the second a duplicate.
    if (unclaimed.delete(keyOf(merchantIds[index] as string, sources[index] as string, msg.externalId)))
      fresh.add(index)
  })
  return fresh
}

/**
 * The column of `claimReceiptsReadingChannels` that holds the claimed receipts' keys: a name no merchants column
 * has (as `channel.` prefixes the channel's columns).
 */
const CLAIMED = 'receipts.claimed'

/**
 * The receipts claim (rows as one array per column, `unnest`: the same text for every batch size, so one prepared
 * statement and one generic plan) as a CTE, and the channels with their merchants (`channelWithMerchantSelection`).
 * One row per channel found, each with the claimed keys as a JSON array of [merchant_id, source, external_id]; one
 * row with null channel columns when none is (the outer join), so the claims are always read. Built with the query
 * builder, so tests that record inserts (testing/insert-recorder.ts) see the claim.
 */
const claimReceiptsReadingChannels = fixedStatement<
  [Date, string[], string[], string[], string[], string[], string[], string[]],
  Record<string, unknown>
>(
  8,
  (
    db,
    now,
    merchantIds,
    sources,
    externalIds,
    channelMerchantIds,
    channelIds,
    keyMerchantIds,
    keyChannelIds,
  ) =>
    db
      .with('claimed', (qb) =>
        qb
          .insertInto('receipts')
          .columns(['merchant_id', 'source', 'external_id', 'received_at'])
          .expression(
            sql<never>`select r.merchant_id, r.source, r.external_id, ${now}::timestamptz
            from unnest(${merchantIds}::uuid[], ${sources}::text[], ${externalIds}::text[])
              as r(merchant_id, source, external_id)`,
          )
          .onConflict((oc) => oc.columns(['merchant_id', 'source', 'external_id']).doNothing())
          .returning(['merchant_id', 'source', 'external_id']),
      )
      .selectFrom(
        sql<
          Record<string, unknown>
        >`(select coalesce(json_agg(json_build_array(merchant_id, source, external_id)),
        '[]'::json) as ${sql.id(CLAIMED)} from claimed)`.as('c'),
      )
      .leftJoinLateral(
        sql<Record<string, unknown>>`(select ${channelWithMerchantSelection}
        from channels ch join merchants m on m.id = ch.merchant_id
        where ${keysProbedFixed('ch', channelMerchantIds, channelIds, keyMerchantIds, keyChannelIds)})`.as(
          'o',
        ),
        (join) => join.onTrue(),
      )
      .selectAll(),
)

/** What the batch read at once about its senders, and the runs it has stepped so far (by id, as left). */
interface KnownSenders {
  facts: InboundFacts
  stepped: Map<string, Run>
}

/**
 * The batch's known shoppers, their conversations and waiting runs in a few statements for all messages, then
 * every send target the replies will need (issue 9: no per-message reads for the common case).
 */
async function readKnownSenders(batch: StepBatch, msgs: InboundMessage[]): Promise<KnownSenders> {
  const facts = await readInboundFacts(
    batch.trx,
    msgs.map((m) => ({ merchantId: m.merchantId, channelId: m.channelId, externalId: m.sender.externalId })),
  )
  // The facts hold every row a reply's send target is made of (merchant and channel are read once per
  // transaction anyway): no second read of the same conversations, contacts and identities.
  const targets: SendTarget[] = []
  for (const { contact, conversation, recipient, withStaff, sendsWaiting } of facts.shoppers.values()) {
    if (!conversation) continue
    const merchant = await readMerchant(batch.trx, contact.merchant_id)
    const channel = await readChannel(batch.trx, contact.merchant_id, conversation.channel_id)
    targets.push(sendTargetOf(merchant, channel, conversation, contact, recipient, withStaff, sendsWaiting))
  }
  batch.seedTargets(targets)
  return { facts, stepped: new Map() }
}

/** One fresh message: contact, conversation, transcript row, then routing. */
async function routeFreshMessage(
  batch: StepBatch,
  msg: InboundMessage,
  known: KnownSenders,
): Promise<InboundResult> {
  const { trx, ctx } = batch
  // Read once per transaction: the reply queued below reuses both rows.
  const merchant = await readMerchant(trx, msg.merchantId)
  const channel = await readChannel(trx, msg.merchantId, msg.channelId)
  const profile = {
    name: msg.sender.name,
    phone: msg.sender.phone,
    locale: msg.sender.locale,
    timezone: msg.sender.timezone,
  }
  const shopper = known.facts.shoppers.get(
    senderKey({ merchantId: msg.merchantId, channelId: channel.id, externalId: msg.sender.externalId }),
  )
  // A known shopper's contact is locked already; one seen for the first time is created (or adopted) here.
  const contact = shopper
    ? await applyProfile(trx, shopper.contact, profile, ctx.now)
    : await upsertContactByIdentity(trx, msg.merchantId, channel.id, msg.sender.externalId, profile, ctx.now)
  const conversation =
    shopper?.conversation ?? (await openConversation(trx, msg.merchantId, contact.id, channel.id, ctx.now))
  const messageId = timeOrderedId()
  batch.addMessage({
    merchant_id: msg.merchantId,
    id: messageId,
    conversation_id: conversation.id,
    contact_id: contact.id,
    direction: 'in',
    author: 'shopper',
    // JSON's copy without the text round trip (undefined fields dropped, as the jsonb column would).
    body: toJsonValue({ text: msg.text, buttonId: msg.buttonId, media: msg.media }) as JsonObject,
    status: 'delivered',
    provider_message_id: msg.externalId,
    created_at: new Date(ctx.now),
    updated_at: new Date(ctx.now),
  })
  // The window opens now for the sends below; the conversation row is written with the batch, after every
  // run lock (every step takes run locks before conversation locks, so an inbound message and a timer never
  // deadlock).
  batch.noteInbound(conversation)
  // Writing to us proves they can be reached here again (they had blocked the bot). The batch read tells a known
  // shopper's mark, so only a marked one (or one this batch could not read) costs a statement.
  if (!shopper || shopper.unreachable) {
    await markReachable(trx, {
      merchantId: msg.merchantId,
      channelId: channel.id,
      externalId: msg.sender.externalId,
    })
  }
  // Typed text may wait for the shopper's next words; a message that may not ends the burst and carries its texts.
  const burst = await settleInBurst(trx, merchant, conversation, msg, messageId, ctx.now)
  if (burst.held) {
    return {
      duplicate: false,
      contactId: contact.id,
      conversationId: conversation.id,
      messageId,
      route: 'held',
      runIds: [],
    }
  }
  const routed = await route(batch, merchant, contact, conversation, burst.message, shopper ? known : null)
  if (routed.route === 'none')
    ctx.deps.logger.info('inbound message not routed', { messageId, conversationId: conversation.id })
  return { duplicate: false, contactId: contact.id, conversationId: conversation.id, messageId, ...routed }
}

/** Routes one message (or a burst's texts as one, engine/burst-poller.ts) whose transcript rows are written. */
export async function route(
  batch: StepBatch,
  merchant: Merchant,
  contact: Contact,
  conversation: Conversation,
  msg: InboundMessage,
  /** What the batch read for a known shopper; null for one seen for the first time. */
  known: KnownSenders | null,
): Promise<{ route: InboundRoute; runIds: string[] }> {
  const { trx, ctx } = batch
  const now = ctx.now
  if (isOptOutMessage(msg.text, optOutKeywordsOf(merchant))) {
    const runIds = await optOut(batch, contact)
    if (contact.opted_out_at === null) await confirm(batch, conversation, optOutConfirmationOf(merchant))
    return { route: 'opt_out', runIds }
  }
  if (isOptInMessage(msg.text, optInKeywordsOf(merchant))) {
    if (contact.opted_out_at !== null) {
      await trx
        .updateTable('contacts')
        .set({ opted_out_at: null, updated_at: new Date(now) })
        .where('merchant_id', '=', contact.merchant_id)
        .where('id', '=', contact.id)
        .execute()
      batch.patchContact(contact.id, { opted_out_at: null })
      await confirm(batch, conversation, optInConfirmationOf(merchant))
    }
    return { route: 'opt_in', runIds: [] }
  }
  // Opening the chat starts the welcome flow, never the staff queue (policy still holds its sends while staff
  // have the conversation).
  if (msg.command?.name === 'start') {
    return startWelcomeFlow(batch, merchant, contact, conversation, { ...msg, command: msg.command })
  }
  if (conversation.status === 'assigned' || conversation.status === 'waiting')
    return { route: 'staff', runIds: [] }

  const event = {
    type: 'message.received' as const,
    text: msg.text,
    ...(msg.buttonId ? { buttonId: msg.buttonId } : {}),
    ...(msg.media ? { media: msg.media } : {}),
    intent: replyIntentOf(merchant, msg),
  }
  // The run waiting for this shopper's reply here, else anywhere: the most recently active one answers.
  if (known) {
    const run = waitingRunFor(known.facts, contact.id, conversation.id, (r) => known.stepped.get(r.id) ?? r)
    if (run) {
      const after = await batch.step(run, event, { trigger: 'event' })
      known.stepped.set(after.id, after)
      return { route: 'run', runIds: [after.id] }
    }
  } else {
    const waiting =
      (
        await findActiveRunIds(trx, contact.merchant_id, {
          conversationId: conversation.id,
          waitingFor: 'reply',
        })
      )[0] ??
      (await findActiveRunIds(trx, contact.merchant_id, { contactId: contact.id, waitingFor: 'reply' }))[0]
    if (waiting) {
      const stepped = await stepRuns(batch, contact.merchant_id, [waiting], event)
      if (stepped.length > 0) return { route: 'run', runIds: stepped.map((r) => r.id) }
    }
  }

  const started = await startTriggeredRuns(batch, {
    merchantId: contact.merchant_id,
    trigger: 'message.received',
    contactId: contact.id,
    conversationId: conversation.id,
    correlationKey: `conversation:${conversation.id}`,
    vars: {
      contact: contactVars(contact),
      store: storeVarsOf(merchant),
      trigger: messageTriggerVars(msg.text, msg.buttonId ?? null),
    },
    text: msg.text,
    mode: 'first',
  })
  if (started.length > 0) return { route: 'flow', runIds: started.map((r) => r.id) }
  return { route: 'none', runIds: [] }
}

/** Marks the contact opted out and ends every active run of theirs with `contact.opted_out`. */
async function optOut(batch: StepBatch, contact: Contact): Promise<string[]> {
  const now = new Date(batch.ctx.now)
  if (contact.opted_out_at === null) {
    await batch.trx
      .updateTable('contacts')
      .set({ opted_out_at: now, updated_at: now })
      .where('merchant_id', '=', contact.merchant_id)
      .where('id', '=', contact.id)
      .execute()
    batch.patchContact(contact.id, { opted_out_at: now })
  }
  const runIds = await findActiveRunIds(batch.trx, contact.merchant_id, { contactId: contact.id })
  const stepped = await stepRuns(batch, contact.merchant_id, runIds, { type: 'contact.opted_out' })
  return stepped.map((r) => r.id)
}

async function confirm(batch: StepBatch, conversation: Conversation, text: string): Promise<void> {
  await batch.send({
    merchantId: conversation.merchant_id,
    conversationId: conversation.id,
    runId: null,
    nodeId: null,
    message: { text },
    purpose: 'service',
    exemption: 'compliance',
    author: 'system',
  })
}
