// An escalation nobody takes within its queue's timeout: a durable timer on the escalating run (the timers
// table, fired by the timer poller in its batch like every other timer), which sends the queue's fallback,
// gives the conversation back to the bot (recorded in `conversations.unclaimed_at` for analytics), releases
// the marketing held for the contact, and steps the run with `staff.unclaimed` (its "No one answered" path, or
// the end). Taking the conversation, handing it back or resolving it first deletes the timer.
import type { NewTimer, Run } from '@parley/db'
import type { StepBatch } from '../engine/step-batch.ts'
import type { Db } from '../engine/step-transaction.ts'
import { timeOrderedId } from '../sql/time-ordered-id.ts'
import { fallbackText } from './acknowledgement.ts'
import { queueSettings } from './escalation-queues.ts'
import { releaseHeldSends } from './held-sends.ts'

export const UNCLAIMED_TIMER_ID = 'handoff.unclaimed'
export const UNCLAIMED_EVENT = 'staff.unclaimed'

/** The timer row an escalation sets on its run. */
export function unclaimedTimer(run: Pick<Run, 'merchant_id' | 'id' | 'revision'>, dueAt: number): NewTimer {
  return {
    merchant_id: run.merchant_id,
    run_id: run.id,
    timer_id: UNCLAIMED_TIMER_ID,
    due_at: new Date(dueAt),
    revision: run.revision,
    event: { type: UNCLAIMED_EVENT },
  }
}

export function isUnclaimedTimer(timer: { timer_id: string }): boolean {
  return timer.timer_id === UNCLAIMED_TIMER_ID
}

/** Someone took (or handed back, or resolved) the conversation: its runs' unclaimed timers go. */
export async function cancelUnclaimedTimers(
  db: Db,
  merchantId: string,
  runIds: readonly string[],
): Promise<void> {
  if (runIds.length === 0) return
  await db
    .deleteFrom('timers')
    .where('merchant_id', '=', merchantId)
    .where('run_id', 'in', [...runIds])
    .where('timer_id', '=', UNCLAIMED_TIMER_ID)
    .execute()
}

/**
 * Fires a run's unclaimed timer inside the poller's batch (the run is locked). The timer's validity is the
 * conversation's state, not the run's revision: still waiting for a person → it fires; anything else → dropped.
 * Returns the run as stepped, or null when dropped.
 */
export async function fireUnclaimed(batch: StepBatch, run: Run, dueAt: number): Promise<Run | null> {
  if (run.status !== 'active' || run.waiting_for !== 'handback' || !run.conversation_id) return null
  const target = await batch.target(run.merchant_id, run.conversation_id)
  if (target?.conversation.status !== 'waiting') return null
  const { trx, ctx } = batch
  const { conversation } = target
  const queue = await queueSettings(trx, run.merchant_id, conversation.queue ?? 'support')
  const now = new Date(ctx.now)
  await trx
    .updateTable('conversations')
    .set({ status: 'bot', assigned_user_id: null, unclaimed_at: now, updated_at: now, last_message_at: now })
    .where('merchant_id', '=', run.merchant_id)
    .where('id', '=', conversation.id)
    .where('status', '=', 'waiting')
    .execute()
  batch.returnToBot(conversation.id)
  ctx.notifications.push({
    merchantId: run.merchant_id,
    conversationId: conversation.id,
    kind: 'conversation',
    id: conversation.id,
  })
  batch.addMessage({
    merchant_id: run.merchant_id,
    id: timeOrderedId(),
    conversation_id: conversation.id,
    contact_id: conversation.contact_id,
    direction: 'out',
    // For staff only (no outbox row): why the conversation left the queue.
    author: 'system',
    body: {
      text: `Nobody took the conversation within ${queue.unclaimedTimeoutMinutes} minutes: the shopper got the fallback message and the bot has it again`,
      unclaimed: { queue: queue.key },
    },
    status: 'sent',
    run_id: run.id,
    created_at: now,
    updated_at: now,
  })
  // A service reply in a conversation the shopper started: it follows the usual rules (opt-out, the window).
  await batch.send({
    merchantId: run.merchant_id,
    conversationId: conversation.id,
    runId: run.id,
    nodeId: null,
    message: { text: fallbackText(queue) },
    purpose: 'service',
    exemption: 'none',
  })
  // Behind the fallback and whatever the run says next: released once the batch's rows are written.
  batch.afterFlush(() => releaseHeldSends(trx, ctx, run.merchant_id, conversation.contact_id))
  return batch.step(run, { type: UNCLAIMED_EVENT }, { trigger: 'timer', machineNow: dueAt })
}
