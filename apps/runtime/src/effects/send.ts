// The `send` effect: policy first, then a transcript row (queued, or skipped with the reason) and, when
// queued, an outbox row the relay sends after commit. Never a network call here.
import { randomUUID } from 'node:crypto'
import type { JsonObject, MessageAuthor, TemplateCategory } from '@parley/db'
import type { OutboundMessage, SendPurpose, TemplateRef } from '@parley/flow'
import type { OutboundPayload } from '../channels/types.ts'
import type { Db, StepContext } from '../engine/step-transaction.ts'
import { monthStart } from '../policy/local-time.ts'
import { loadSendTarget, sendFactsFor } from '../policy/send-facts.ts'
import { decideSend, type SendExemption, type SkipReason } from '../policy/send-policy.ts'
import { spendTemplateBudget } from '../policy/template-budget.ts'
import { templatePrice } from '../policy/template-pricing.ts'

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

/** What an outbox row of kind 'message' carries; the relay hands `to`, `message`, `template`, `messageId` on. */
export interface MessageJob extends OutboundPayload {
  kind: 'message'
  purpose: SendPurpose
  exemption: SendExemption
  mode: 'free_form' | 'template'
}

export type SendOutcome =
  | { status: 'queued'; messageId: string; sendAt: number }
  | { status: 'skipped'; messageId: string | null; reason: SkipReason }

export function messageBody(message: OutboundMessage, template?: TemplateRef): JsonObject {
  return JSON.parse(JSON.stringify(template ? { ...message, template } : message)) as JsonObject
}

/**
 * Applies policy to a bot send and records it in the step's transaction.
 * @example await queueSend(trx, ctx, { merchantId, conversationId, runId, nodeId, message, purpose: 'marketing', exemption: 'none' })
 */
export async function queueSend(trx: Db, ctx: StepContext, req: SendRequest): Promise<SendOutcome> {
  const target = await loadSendTarget(trx, req.merchantId, req.conversationId)
  if (!target) return { status: 'skipped', messageId: null, reason: 'no_channel' }
  const now = ctx.now
  const facts = await sendFactsFor(trx, target, {
    purpose: req.purpose,
    exemption: req.exemption,
    hasTemplate: req.template !== undefined,
    now,
  })
  let decision = decideSend(facts)
  if (decision.kind === 'queue' && (target.recipient === null || !target.channel.enabled)) {
    decision = { kind: 'skip', reason: target.recipient === null ? 'no_channel' : 'channel_disabled' }
  }

  let cost: { amount: number; currency: string } | null = null
  let category: TemplateCategory | null = null
  if (decision.kind === 'queue' && target.channel.kind === 'whatsapp') {
    category = decision.mode === 'template' && req.template ? req.template.category : 'service'
    if (decision.mode === 'template' && req.template) {
      cost = templatePrice(req.template.category, target.merchant.budget_currency)
      const allowed = await spendTemplateBudget(trx, {
        merchantId: req.merchantId,
        month: monthStart(now, target.merchant.timezone),
        category: req.template.category,
        amount: cost.amount,
        currency: cost.currency,
        budget: target.merchant.monthly_template_budget,
        at: now,
      })
      if (!allowed) {
        decision = { kind: 'skip', reason: 'template_budget' }
        cost = null
      }
    } else {
      cost = { amount: 0, currency: target.merchant.budget_currency }
    }
  }

  const messageId = randomUUID()
  const useTemplate = decision.kind === 'queue' && decision.mode === 'template'
  await trx
    .insertInto('messages')
    .values({
      merchant_id: req.merchantId,
      id: messageId,
      conversation_id: req.conversationId,
      contact_id: target.contact.id,
      direction: 'out',
      author: req.author ?? 'bot',
      body: messageBody(req.message, useTemplate ? req.template : undefined),
      status: decision.kind === 'queue' ? 'queued' : 'skipped',
      is_marketing: req.purpose === 'marketing',
      template_name: useTemplate ? (req.template?.name ?? null) : null,
      template_category: decision.kind === 'queue' ? category : null,
      cost: cost ? cost.amount : null,
      cost_currency: cost ? cost.currency : null,
      skip_reason: decision.kind === 'skip' ? decision.reason : null,
      run_id: req.runId,
      node_id: req.nodeId,
      created_at: new Date(now),
      updated_at: new Date(now),
    })
    .execute()
  ctx.notifications.push({
    merchantId: req.merchantId,
    conversationId: req.conversationId,
    kind: 'message',
    id: messageId,
  })
  if (decision.kind === 'skip') {
    ctx.deps.logger.info('send skipped', {
      merchantId: req.merchantId,
      runId: req.runId,
      reason: decision.reason,
    })
    return { status: 'skipped', messageId, reason: decision.reason }
  }

  const job: MessageJob = {
    kind: 'message',
    to: target.recipient ?? '',
    message: req.message,
    ...(useTemplate && req.template ? { template: req.template } : {}),
    messageId,
    purpose: req.purpose,
    exemption: req.exemption,
    mode: decision.mode,
  }
  await trx
    .insertInto('outbox')
    .values({
      merchant_id: req.merchantId,
      run_id: req.runId,
      message_id: messageId,
      conversation_id: req.conversationId,
      channel_id: target.channel.id,
      payload: JSON.parse(JSON.stringify(job)) as JsonObject,
      next_attempt_at: new Date(decision.sendAt),
      created_at: new Date(now),
      updated_at: new Date(now),
    })
    .execute()
  ctx.queued += 1
  return { status: 'queued', messageId, sendAt: decision.sendAt }
}
