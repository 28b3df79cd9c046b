// What the relay does when a provider's refusal says something about the shopper (SendResult.consequence):
//   unreachable        → the identity is marked unreachable; the send is skipped (reason `unreachable`)
//   marketing_stopped  → the contact's marketing consent ends; the send is skipped (reason `no_consent`)
//   outside_window     → WhatsApp's window was closed after all (131047): the step's template fallback goes out
//                        instead (charged to the template budget), else the send is skipped
//                        (`outside_window_no_template`), as if policy had seen the closed window when queueing.
// One transaction per send: each is independent, and these refusals are rare.
import type { Channel, JsonObject, OutboxEntry } from '@parley/db'
import type { SendConsequence } from '../channels/types.ts'
import { markUnreachable } from '../contacts/contact-reachability.ts'
import { stopMarketingByIdentity } from '../contacts/marketing-stop.ts'
import type { RuntimeDeps } from '../deps.ts'
import { type MessageJob, messageBody } from '../effects/send.ts'
import { afterCommit, type Db, newStepContext, type StepContext } from '../engine/step-transaction.ts'
import { monthStart } from '../policy/local-time.ts'
import { readMerchant } from '../policy/send-facts.ts'
import { spendTemplateBudget } from '../policy/template-budget.ts'
import { templatePrice } from '../policy/template-pricing.ts'
import { settleSkipped } from './skipped-send.ts'

export interface RefusedSend {
  row: Pick<OutboxEntry, 'merchant_id' | 'id' | 'message_id' | 'conversation_id' | 'channel_id'>
  channel: Channel
  job: MessageJob
  consequence: SendConsequence
  error: string
}

export type ConsequenceOutcome = 'skipped' | 'requeued'

/** Acts on each refused send; returns what became of each, in order. */
export async function applySendConsequences(
  deps: RuntimeDeps,
  sends: readonly RefusedSend[],
): Promise<ConsequenceOutcome[]> {
  const outcomes: ConsequenceOutcome[] = []
  for (const send of sends) {
    const ctx = newStepContext(deps)
    const outcome = await deps.db.transaction().execute((trx) => applyOne(trx, ctx, send))
    await afterCommit(ctx)
    deps.logger.info('provider refusal acted on', {
      merchantId: send.row.merchant_id,
      outboxId: send.row.id,
      consequence: send.consequence,
      outcome,
      error: send.error,
    })
    outcomes.push(outcome)
  }
  return outcomes
}

async function applyOne(trx: Db, ctx: StepContext, send: RefusedSend): Promise<ConsequenceOutcome> {
  const identity = {
    merchantId: send.row.merchant_id,
    channelId: send.row.channel_id,
    externalId: send.job.to,
  }
  switch (send.consequence) {
    case 'unreachable':
      await markUnreachable(trx, identity, ctx.now)
      await settleSkipped(trx, ctx, send.row, 'unreachable')
      return 'skipped'
    case 'marketing_stopped':
      await stopMarketingByIdentity(trx, identity, ctx.now)
      await settleSkipped(trx, ctx, send.row, 'no_consent')
      return 'skipped'
    case 'outside_window':
      return sendTemplateInstead(trx, ctx, send)
  }
}

/**
 * Puts the send back in the queue as the step's approved template, charged to the month's budget; skipped when
 * there is no template to fall back on (or it already was the template), or the budget refuses it.
 */
async function sendTemplateInstead(
  trx: Db,
  ctx: StepContext,
  send: RefusedSend,
): Promise<ConsequenceOutcome> {
  const template = send.job.fallbackTemplate
  if (send.job.mode === 'template' || !template) {
    await settleSkipped(trx, ctx, send.row, 'outside_window_no_template')
    return 'skipped'
  }
  const merchant = await readMerchant(trx, send.row.merchant_id)
  const price = templatePrice(template.category, merchant.budget_currency)
  const allowed = await spendTemplateBudget(trx, {
    merchantId: merchant.id,
    month: monthStart(ctx.now, merchant.timezone),
    category: template.category,
    amount: price.amount,
    currency: price.currency,
    budget: merchant.monthly_template_budget,
    at: ctx.now,
  })
  if (!allowed) {
    await settleSkipped(trx, ctx, send.row, 'template_budget')
    return 'skipped'
  }
  const { fallbackTemplate: _, ...rest } = send.job
  const job: MessageJob = { ...rest, mode: 'template', template }
  const now = new Date(ctx.now)
  await trx
    .updateTable('outbox')
    .set({
      status: 'pending',
      payload: JSON.parse(JSON.stringify(job)) as JsonObject,
      last_error: send.error,
      next_attempt_at: now,
      locked_until: null,
      locked_by: null,
      updated_at: now,
    })
    .where('merchant_id', '=', send.row.merchant_id)
    .where('id', '=', send.row.id)
    .execute()
  if (send.row.message_id) {
    await trx
      .updateTable('messages')
      .set({
        body: messageBody(send.job.message, template),
        template_name: template.name,
        template_category: template.category,
        cost: price.amount,
        cost_currency: price.currency,
        updated_at: now,
      })
      .where('merchant_id', '=', send.row.merchant_id)
      .where('id', '=', send.row.message_id)
      .execute()
    ctx.notifications.push({
      merchantId: send.row.merchant_id,
      conversationId: send.row.conversation_id,
      kind: 'message',
      id: send.row.message_id,
    })
  }
  ctx.queued += 1
  return 'requeued'
}
