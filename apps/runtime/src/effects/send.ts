// The `send` effect: policy first, then a transcript row (queued, or skipped with the reason) and, when
// queued, an outbox row the relay sends after commit — or, on a channel that delivers in the step (web chat),
// the row written delivered with no outbox row (delivery/in-step-delivery.ts). Never a network call here.
import type { JsonObject, MessageAuthor, NewMessage, NewOutboxEntry, Run, TemplateCategory } from '@parley/db'
import {
  type Effect,
  type OutboundMessage,
  type SendPurpose,
  type TemplateRef,
  toJsonValue,
} from '@parley/flow'
import type { OutboundPayload } from '../channels/types.ts'
import { StepBatch } from '../engine/step-batch.ts'
import type { Db, StepContext } from '../engine/step-transaction.ts'
import { monthStart } from '../policy/local-time.ts'
import type { SendTarget } from '../policy/send-facts.ts'
import {
  decideSend,
  type SendDecision,
  type SendExemption,
  type SendFacts,
  type SkipReason,
} from '../policy/send-policy.ts'
import { spendTemplateBudget } from '../policy/template-budget.ts'
import { templatePrice } from '../policy/template-pricing.ts'
import { timeOrderedId } from '../sql/time-ordered-id.ts'

export interface SendRequest {
  merchantId: string
  conversationId: string
  runId: string | null
  nodeId: string | null
  message: OutboundMessage
  purpose: SendPurpose
  template?: TemplateRef | undefined
  exemption: SendExemption
  author?: MessageAuthor
}

/** The send a run's `send` effect asks for, in the run's conversation. */
export function runSendRequest(
  run: Pick<Run, 'merchant_id' | 'id'>,
  conversationId: string,
  effect: Extract<Effect, { type: 'send' }>,
  exemption: SendExemption,
): SendRequest {
  return {
    merchantId: run.merchant_id,
    conversationId,
    runId: run.id,
    nodeId: effect.nodeId,
    message: effect.message,
    purpose: effect.purpose,
    template: effect.template,
    exemption,
  }
}

/** What an outbox row of kind 'message' carries; the relay hands `to`, `message`, `template`, `messageId` on. */
export interface MessageJob extends OutboundPayload {
  kind: 'message'
  purpose: SendPurpose
  exemption: SendExemption
  mode: 'free_form' | 'template'
  /**
   * The step's template when the send went out free-form: sent instead if WhatsApp answers that the window is
   * closed after all (131047, delivery/send-consequences.ts).
   */
  fallbackTemplate?: TemplateRef
}

export type SendOutcome =
  | { status: 'queued'; messageId: string; sendAt: number }
  /** Marketing paused while staff have the chat (outbox `held`). */
  | { status: 'held'; messageId: string }
  | { status: 'skipped'; messageId: string | null; reason: SkipReason }

/** The message as its JSON column holds it (a copy as JSON data, without writing and parsing the text). */
export function messageBody(message: OutboundMessage, template?: TemplateRef): JsonObject {
  return toJsonValue(template ? { ...message, template } : message) as JsonObject
}

/**
 * Applies policy to a send and records it in the step's transaction (a write set of one, flushed at once).
 * @example await queueSend(trx, ctx, { merchantId, conversationId, runId, nodeId, message, purpose: 'marketing', exemption: 'none' })
 */
export async function queueSend(trx: Db, ctx: StepContext, req: SendRequest): Promise<SendOutcome> {
  const batch = new StepBatch(trx, ctx)
  const outcome = await batch.send(req)
  await batch.flush()
  return outcome
}

/**
 * The policy's decision for a send to a loaded target; a WhatsApp template send is charged to the month's
 * budget here (a row lock), and skipped when the budget refuses it.
 */
export async function decideAndCharge(
  trx: Db,
  target: SendTarget,
  req: SendRequest,
  facts: SendFacts,
  now: number,
): Promise<{ decision: SendDecision; cost: SendCost | null }> {
  const decision = decideTargetSend(target, facts)
  if (!needsTemplateSpend(target, req, decision)) return { decision, cost: null }
  const cost = templatePrice(
    req.template.category,
    target.merchant.budget_currency,
    target.merchant.template_prices,
  )
  const allowed = await spendTemplateBudget(trx, {
    merchantId: req.merchantId,
    month: monthStart(now, target.merchant.timezone),
    category: req.template.category,
    amount: cost.amount,
    currency: cost.currency,
    budget: target.merchant.monthly_template_budget,
    at: now,
  })
  return allowed ? { decision, cost } : { decision: { kind: 'skip', reason: 'template_budget' }, cost: null }
}

type SendCost = { amount: number; currency: string }

/** The policy's decision, plus what the target itself rules out (no id on the channel, channel disabled). */
export function decideTargetSend(target: SendTarget, facts: SendFacts): SendDecision {
  const decision = decideSend(facts)
  if (decision.kind !== 'skip' && (target.recipient === null || !target.channel.enabled)) {
    return { kind: 'skip', reason: target.recipient === null ? 'no_channel' : 'channel_disabled' }
  }
  return decision
}

/** A WhatsApp template send costs money: the merchant's monthly budget must allow it (a row lock). */
function needsTemplateSpend(
  target: SendTarget,
  req: SendRequest,
  decision: SendDecision,
): req is SendRequest & { template: TemplateRef } {
  return (
    decision.kind !== 'skip' &&
    decision.mode === 'template' &&
    target.channel.kind === 'whatsapp' &&
    req.template !== undefined
  )
}

export interface SendRows {
  messageId: string
  message: NewMessage & { id: string }
  /** The outbox row when the send is queued (null once delivered in the step). */
  outbox: NewOutboxEntry | null
  /** What the send carries when it is not skipped (the outbox row's payload). */
  job: MessageJob | null
  decision: SendDecision
}

/**
 * The transcript row (queued, or skipped with the reason) and, when queued, the outbox row of a decided send.
 * `templateCost` is what a template send was charged (null when none was, or the budget refused it).
 */
export function sendRows(
  target: SendTarget,
  req: SendRequest,
  decision: SendDecision,
  templateCost: SendCost | null,
  now: number,
): SendRows {
  let cost: SendCost | null = null
  let category: TemplateCategory | null = null
  if (decision.kind !== 'skip' && target.channel.kind === 'whatsapp') {
    const template = decision.mode === 'template' ? req.template : undefined
    category = template ? template.category : 'service'
    cost = template ? templateCost : { amount: 0, currency: target.merchant.budget_currency }
  }
  const messageId = timeOrderedId()
  const useTemplate = decision.kind !== 'skip' && decision.mode === 'template'
  const message: NewMessage & { id: string } = {
    merchant_id: req.merchantId,
    id: messageId,
    conversation_id: req.conversationId,
    contact_id: target.contact.id,
    direction: 'out',
    author: req.author ?? 'bot',
    body: messageBody(req.message, useTemplate ? req.template : undefined),
    // A held send is queued as far as the transcript goes: it waits in the outbox for staff to hand back.
    status: decision.kind === 'skip' ? 'skipped' : 'queued',
    is_marketing: req.purpose === 'marketing',
    template_name: useTemplate ? (req.template?.name ?? null) : null,
    template_category: decision.kind === 'skip' ? null : category,
    cost: cost ? cost.amount : null,
    cost_currency: cost ? cost.currency : null,
    skip_reason: decision.kind === 'skip' ? decision.reason : null,
    run_id: req.runId,
    node_id: req.nodeId,
    created_at: new Date(now),
    updated_at: new Date(now),
  }
  if (decision.kind === 'skip') return { messageId, message, outbox: null, job: null, decision }
  const job: MessageJob = {
    kind: 'message',
    to: target.recipient ?? '',
    message: req.message,
    ...(useTemplate && req.template ? { template: req.template } : {}),
    ...(!useTemplate && req.template && target.channel.kind === 'whatsapp'
      ? { fallbackTemplate: req.template }
      : {}),
    messageId,
    purpose: req.purpose,
    exemption: req.exemption,
    mode: decision.mode,
  }
  const outbox: NewOutboxEntry = {
    merchant_id: req.merchantId,
    run_id: req.runId,
    message_id: messageId,
    conversation_id: req.conversationId,
    channel_id: target.channel.id,
    payload: toJsonValue(job) as JsonObject,
    ...(decision.kind === 'hold' ? { status: 'held' as const } : {}),
    next_attempt_at: new Date(decision.kind === 'hold' ? now : decision.sendAt),
    created_at: new Date(now),
    updated_at: new Date(now),
  }
  return { messageId, message, outbox, job, decision }
}

/** After a send's rows are written (or buffered for the step's batch write): notification, log, metrics. */
export function recordSendRows(ctx: StepContext, req: SendRequest, rows: SendRows): SendOutcome {
  ctx.notifications.push({
    merchantId: req.merchantId,
    conversationId: req.conversationId,
    kind: 'message',
    id: rows.messageId,
  })
  const { decision } = rows
  if (decision.kind === 'skip') {
    ctx.deps.logger.info('send skipped', {
      merchantId: req.merchantId,
      runId: req.runId,
      reason: decision.reason,
    })
    return { status: 'skipped', messageId: rows.messageId, reason: decision.reason }
  }
  if (decision.kind === 'hold') {
    ctx.deps.logger.info('send held for staff', { merchantId: req.merchantId, runId: req.runId })
    return { status: 'held', messageId: rows.messageId }
  }
  // Delivered in the step: nothing for the relay.
  if (rows.outbox) ctx.queued += 1
  return { status: 'queued', messageId: rows.messageId, sendAt: decision.sendAt }
}
