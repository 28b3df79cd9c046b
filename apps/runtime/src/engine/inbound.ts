// Inbound chat routing (DESIGN.md "Policy", issue 3): every verified message from a channel adapter comes
// here. In one transaction: dedupe on the provider's id; the contact, identity and conversation; the
// transcript row and the 24-hour window; then opt-out / opt-in keywords first; staff takeover (inbox only);
// else the run waiting for this shopper's reply; else a flow triggered by keyword or by any message;
// else nothing (the message stays in the transcript, recorded as unrouted).
import { randomUUID } from 'node:crypto'
import type { Contact, Conversation, Merchant } from '@parley/db'
import type { InboundMessage } from '../channels/types.ts'
import type { RuntimeDeps } from '../deps.ts'
import { queueSend } from '../effects/send.ts'
import { isOptInMessage, isOptOutMessage } from '../policy/keywords.ts'
import { readChannel, readMerchant } from '../policy/send-facts.ts'
import { openConversation, upsertContactByIdentity } from './contacts.ts'
import { stepRuns } from './event-step.ts'
import { GroupCommit } from './group-commit.ts'
import { stepWaitingRunsInBatch } from './inbound-batch.ts'
import { findActiveRunIds } from './run-store.ts'
import { startTriggeredRuns } from './start-runs.ts'
import { type Db, inStepTransaction, type StepContext } from './step-transaction.ts'
import { contactVars } from './vars.ts'

export type InboundRoute = 'duplicate' | 'opt_out' | 'opt_in' | 'staff' | 'run' | 'flow' | 'none'

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

export const OPT_OUT_CONFIRMATION =
  "You're unsubscribed and won't get more messages from us. Reply START to subscribe again."
export const OPT_IN_CONFIRMATION = "You're subscribed again. Reply STOP at any time to unsubscribe."

/** The receipts source for a channel's inbound messages. */
export function inboundReceiptSource(channelId: string): string {
  return `channel:${channelId}`
}

/**
 * Processes one inbound message exactly once (per channel and provider id). Messages arriving together are
 * processed together: one transaction per batch (group commit), the common case read once and written with one statement.
 * @example await processInboundMessage(deps, { merchantId, channelId, externalId: wamid, sender: { externalId: waId }, text })
 */
export function processInboundMessage(deps: RuntimeDeps, msg: InboundMessage): Promise<InboundResult> {
  let batcher = batchers.get(deps)
  if (!batcher) {
    batcher = new GroupCommit({
      // One shopper's messages are processed one after another, in the order they came.
      keyOf: (m) => `${m.merchantId}:${m.channelId}:${m.sender.externalId}`,
      process: (msgs) => inStepTransaction(deps, (trx, ctx) => processInboundBatch(trx, ctx, msgs)),
      maxBatch: deps.config.INBOUND_BATCH_SIZE,
      maxInFlight: deps.config.INBOUND_BATCHES_IN_FLIGHT,
    })
    batchers.set(deps, batcher)
  }
  return batcher.submit(msg)
}

const batchers = new WeakMap<RuntimeDeps, GroupCommit<InboundMessage, InboundResult>>()

/** Inbound messages of different shoppers in one transaction: receipts first, then the fast path, then the rest. */
export async function processInboundBatch(
  trx: Db,
  ctx: StepContext,
  msgs: InboundMessage[],
): Promise<InboundResult[]> {
  const fresh = await claimInboundReceipts(trx, msgs, ctx.now)
  const results: (InboundResult | undefined)[] = msgs.map((_, i) =>
    fresh.has(i) ? undefined : { duplicate: true, route: 'duplicate', runIds: [] },
  )
  const byMerchant = new Map<string, { index: number; msg: InboundMessage }[]>()
  for (const index of fresh) {
    const msg = msgs[index] as InboundMessage
    byMerchant.set(msg.merchantId, [...(byMerchant.get(msg.merchantId) ?? []), { index, msg }])
  }
  for (const [merchantId, group] of byMerchant) {
    for (const [index, fast] of await stepWaitingRunsInBatch(trx, ctx, merchantId, group)) {
      const { runId, ...rest } = fast
      results[index] = { duplicate: false, route: 'run', ...rest, runIds: [runId] }
    }
  }
  for (const index of fresh) {
    results[index] ??= await routeFreshMessage(trx, ctx, msgs[index] as InboundMessage)
  }
  return results as InboundResult[]
}

/** Claims the receipts of a batch in one statement; returns the indexes of the messages seen for the first time. */
async function claimInboundReceipts(trx: Db, msgs: InboundMessage[], now: number): Promise<Set<number>> {
  const keyOf = (merchantId: string, source: string, externalId: string) =>
    JSON.stringify([merchantId, source, externalId])
  const rows = msgs.map((msg) => ({
    merchant_id: msg.merchantId,
    source: inboundReceiptSource(msg.channelId),
    external_id: msg.externalId,
    received_at: new Date(now),
  }))
  const claimed = await trx
    .insertInto('receipts')
    .values(rows)
    .onConflict((oc) => oc.columns(['merchant_id', 'source', 'external_id']).doNothing())
    .returning(['merchant_id', 'source', 'external_id'])
    .execute()
  const unclaimed = new Set(claimed.map((r) => keyOf(r.merchant_id, r.source, r.external_id)))
  const fresh = new Set<number>()
  rows.forEach((row, index) => {
    // The same message twice in one batch: the first is fresh, the second a duplicate.
    if (unclaimed.delete(keyOf(row.merchant_id, row.source, row.external_id))) fresh.add(index)
  })
  return fresh
}

/** One fresh message the batch's fast path did not take: contact, conversation, transcript row, then routing. */
async function routeFreshMessage(trx: Db, ctx: StepContext, msg: InboundMessage): Promise<InboundResult> {
  const deps = ctx.deps
  // Read once per transaction: the reply queued below reuses both rows.
  const merchant = await readMerchant(trx, msg.merchantId)
  const channel = await readChannel(trx, msg.merchantId, msg.channelId)
  const contact = await upsertContactByIdentity(
    trx,
    msg.merchantId,
    channel.id,
    msg.sender.externalId,
    {
      name: msg.sender.name,
      phone: msg.sender.phone,
      locale: msg.sender.locale,
      timezone: msg.sender.timezone,
    },
    ctx.now,
  )
  const conversation = await openConversation(trx, msg.merchantId, contact.id, channel.id, ctx.now)
  const messageId = randomUUID()
  await trx
    .insertInto('messages')
    .values({
      merchant_id: msg.merchantId,
      id: messageId,
      conversation_id: conversation.id,
      contact_id: contact.id,
      direction: 'in',
      author: 'shopper',
      body: JSON.parse(
        JSON.stringify({ text: msg.text, buttonId: msg.buttonId, media: msg.media }),
      ) as Record<string, never>,
      status: 'delivered',
      provider_message_id: msg.externalId,
      created_at: new Date(ctx.now),
      updated_at: new Date(ctx.now),
    })
    .execute()
  ctx.notifications.push({
    merchantId: msg.merchantId,
    conversationId: conversation.id,
    kind: 'message',
    id: messageId,
  })
  const base = { duplicate: false, contactId: contact.id, conversationId: conversation.id, messageId }
  ctx.inboundConversations.add(conversation.id)
  const routed = await route(trx, ctx, merchant, contact, conversation, msg)
  // The window opens (and the conversation rows are touched) after the runs were locked: every step
  // takes run locks before conversation locks, so an inbound message and a timer never deadlock.
  const reopened = conversation.status === 'resolved' && routed.route !== 'staff'
  await trx
    .updateTable('conversations')
    .set({
      last_inbound_at: new Date(ctx.now),
      last_message_at: new Date(ctx.now),
      updated_at: new Date(ctx.now),
      ...(reopened ? { status: 'bot' as const, resolved_at: null } : {}),
    })
    .where('merchant_id', '=', msg.merchantId)
    .where('id', '=', conversation.id)
    .execute()
  if (routed.route === 'none')
    deps.logger.info('inbound message not routed', { messageId, conversationId: conversation.id })
  return { ...base, ...routed }
}

async function route(
  trx: Db,
  ctx: StepContext,
  merchant: Merchant,
  contact: Contact,
  conversation: Conversation,
  msg: InboundMessage,
): Promise<{ route: InboundRoute; runIds: string[] }> {
  const now = ctx.now
  if (isOptOutMessage(msg.text, merchant.opt_out_keywords)) {
    const runIds = await optOut(trx, ctx, contact, now)
    if (contact.opted_out_at === null) await confirm(trx, ctx, conversation, OPT_OUT_CONFIRMATION)
    return { route: 'opt_out', runIds }
  }
  if (isOptInMessage(msg.text, merchant.opt_in_keywords)) {
    if (contact.opted_out_at !== null) {
      await trx
        .updateTable('contacts')
        .set({ opted_out_at: null, updated_at: new Date(now) })
        .where('merchant_id', '=', contact.merchant_id)
        .where('id', '=', contact.id)
        .execute()
      await confirm(trx, ctx, conversation, OPT_IN_CONFIRMATION)
    }
    return { route: 'opt_in', runIds: [] }
  }
  if (conversation.status === 'assigned' || conversation.status === 'waiting')
    return { route: 'staff', runIds: [] }

  const event = {
    type: 'message.received' as const,
    text: msg.text,
    ...(msg.buttonId ? { buttonId: msg.buttonId } : {}),
    ...(msg.media ? { media: msg.media } : {}),
  }
  // The run waiting for this shopper's reply here, else anywhere: the most recently active one answers.
  const waiting =
    (
      await findActiveRunIds(trx, contact.merchant_id, {
        conversationId: conversation.id,
        waitingFor: 'reply',
      })
    )[0] ??
    (await findActiveRunIds(trx, contact.merchant_id, { contactId: contact.id, waitingFor: 'reply' }))[0]
  if (waiting) {
    const stepped = await stepRuns(trx, ctx, contact.merchant_id, [waiting], event)
    if (stepped.length > 0) return { route: 'run', runIds: stepped.map((r) => r.id) }
  }

  const started = await startTriggeredRuns(trx, ctx, {
    merchantId: contact.merchant_id,
    trigger: 'message.received',
    contactId: contact.id,
    conversationId: conversation.id,
    correlationKey: `conversation:${conversation.id}`,
    vars: {
      contact: contactVars(contact),
      store: { name: merchant.name },
      trigger: { type: 'message.received', text: msg.text, buttonId: msg.buttonId ?? null },
    },
    text: msg.text,
    mode: 'first',
  })
  if (started.length > 0) return { route: 'flow', runIds: started.map((r) => r.id) }
  return { route: 'none', runIds: [] }
}

/** Marks the contact opted out and ends every active run of theirs with `contact.opted_out`. */
export async function optOut(trx: Db, ctx: StepContext, contact: Contact, now: number): Promise<string[]> {
  if (contact.opted_out_at === null) {
    await trx
      .updateTable('contacts')
      .set({ opted_out_at: new Date(now), updated_at: new Date(now) })
      .where('merchant_id', '=', contact.merchant_id)
      .where('id', '=', contact.id)
      .execute()
  }
  const runIds = await findActiveRunIds(trx, contact.merchant_id, { contactId: contact.id })
  const stepped = await stepRuns(trx, ctx, contact.merchant_id, runIds, { type: 'contact.opted_out' })
  return stepped.map((r) => r.id)
}

async function confirm(trx: Db, ctx: StepContext, conversation: Conversation, text: string): Promise<void> {
  await queueSend(trx, ctx, {
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
