// The `escalate` effect: the conversation goes to a staff queue ('waiting') with the bot's summary, shown in
// the inbox as a system note in the transcript. The run waits for staff to hand back.
import { randomUUID } from 'node:crypto'
import type { EscalateEffect } from '@parley/flow'
import type { Db, StepContext } from '../engine/step-transaction.ts'

export async function escalateConversation(
  trx: Db,
  ctx: StepContext,
  run: { merchant_id: string; id: string; contact_id: string; conversation_id: string | null },
  effect: EscalateEffect,
): Promise<void> {
  if (!run.conversation_id) {
    ctx.deps.logger.warn('escalation without a conversation', { runId: run.id })
    return
  }
  const now = new Date(ctx.now)
  const conversation = await trx
    .updateTable('conversations')
    .set((eb) => ({
      // Already with a person: keep them; otherwise it waits in the queue.
      status: eb
        .case()
        .when('status', '=', 'assigned')
        .then('assigned' as const)
        .else('waiting' as const)
        .end(),
      queue: effect.queue,
      escalation: { summary: effect.summary, fields: effect.fields, runId: run.id, nodeId: effect.nodeId },
      escalated_at: now,
      resolved_at: null,
      last_message_at: now,
      updated_at: now,
    }))
    .where('merchant_id', '=', run.merchant_id)
    .where('id', '=', run.conversation_id)
    .returning('id')
    .executeTakeFirst()
  if (!conversation) return
  const messageId = randomUUID()
  await trx
    .insertInto('messages')
    .values({
      merchant_id: run.merchant_id,
      id: messageId,
      conversation_id: run.conversation_id,
      contact_id: run.contact_id,
      direction: 'out',
      // A note for staff, never sent to the shopper (no outbox row).
      author: 'system',
      body: {
        text: `Handed to ${effect.queue}${effect.summary ? `\n${effect.summary}` : ''}`,
        escalation: { queue: effect.queue, summary: effect.summary, fields: effect.fields },
      },
      status: 'sent',
      run_id: run.id,
      node_id: effect.nodeId,
      created_at: now,
      updated_at: now,
    })
    .execute()
  const base = { merchantId: run.merchant_id, conversationId: run.conversation_id }
  ctx.notifications.push({ ...base, kind: 'conversation', id: run.conversation_id })
  ctx.notifications.push({ ...base, kind: 'message', id: messageId })
}
