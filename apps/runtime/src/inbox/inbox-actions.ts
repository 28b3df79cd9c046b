// What staff do in the inbox, each one step transaction (engine/step-transaction.ts), realtime published
// after commit:
//   take over  → status assigned to me: the policy pauses every bot send to the conversation
//   reply      → a staff transcript row + outbox row on the conversation's channel (policy still applies:
//                opt-out, the WhatsApp 24-hour window)
//   hand back  → status bot, and `staff.handback` to the run waiting on the escalation
//   resolve    → status resolved, and `conversation.resolved` to that run
// Lock order follows the engine's: runs first, then the conversation, so a timer step never deadlocks with us.
import { randomUUID } from 'node:crypto'
import type { Conversation, ConversationStatus, JsonObject } from '@parley/db'
import type { FlowEventInput } from '@parley/flow'
import type { RuntimeDeps } from '../deps.ts'
import { ConflictError, NotFoundError } from '../domain-errors.ts'
import { queueSend } from '../effects/send.ts'
import { stepRuns } from '../engine/event-step.ts'
import { claimReceipt } from '../engine/receipts.ts'
import { findActiveRunIds, lockRuns } from '../engine/run-store.ts'
import { StepBatch } from '../engine/step-batch.ts'
import { type Db, inStepTransaction, type StepContext } from '../engine/step-transaction.ts'
import { announceBackToAssistant, announceStaffJoined } from './handoff-notices.ts'

export interface StaffActor {
  merchantId: string
  userId: string
}

export async function lockConversation(
  trx: Db,
  merchantId: string,
  conversationId: string,
): Promise<Conversation> {
  const conversation = await trx
    .selectFrom('conversations')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('id', '=', conversationId)
    .forUpdate()
    .executeTakeFirst()
  if (!conversation) throw new NotFoundError('Conversation')
  return conversation
}

export async function staffName(trx: Db, actor: StaffActor): Promise<string> {
  const user = await trx
    .selectFrom('users')
    .select(['name', 'email'])
    .where('merchant_id', '=', actor.merchantId)
    .where('id', '=', actor.userId)
    .executeTakeFirst()
  return user?.name || user?.email || 'Staff'
}

/** A note in the transcript for staff (never sent to the shopper: no outbox row). */
export async function addSystemNote(
  trx: Db,
  ctx: StepContext,
  conversation: Conversation,
  actor: StaffActor,
  text: string,
  extra: JsonObject = {},
): Promise<string> {
  const id = randomUUID()
  await trx
    .insertInto('messages')
    .values({
      merchant_id: conversation.merchant_id,
      id,
      conversation_id: conversation.id,
      contact_id: conversation.contact_id,
      direction: 'out',
      author: 'system',
      author_user_id: actor.userId,
      body: { text, ...extra },
      status: 'sent',
      created_at: new Date(ctx.now),
      updated_at: new Date(ctx.now),
    })
    .execute()
  ctx.notifications.push({
    merchantId: conversation.merchant_id,
    conversationId: conversation.id,
    kind: 'message',
    id,
  })
  return id
}

export async function setStatus(
  trx: Db,
  ctx: StepContext,
  conversation: Conversation,
  values: { status: ConversationStatus; assigned_user_id?: string | null; resolved_at?: Date | null },
): Promise<void> {
  await trx
    .updateTable('conversations')
    .set({ ...values, updated_at: new Date(ctx.now) })
    .where('merchant_id', '=', conversation.merchant_id)
    .where('id', '=', conversation.id)
    .execute()
  ctx.notifications.push({
    merchantId: conversation.merchant_id,
    conversationId: conversation.id,
    kind: 'conversation',
    id: conversation.id,
  })
}

/** Assigns the conversation to the caller. Taking it from another staff member needs `force`. */
export async function takeOverConversation(
  deps: RuntimeDeps,
  actor: StaffActor,
  conversationId: string,
  options: { force?: boolean } = {},
): Promise<void> {
  await inStepTransaction(deps, async (trx, ctx) => {
    const conversation = await lockConversation(trx, actor.merchantId, conversationId)
    if (conversation.status === 'assigned' && conversation.assigned_user_id === actor.userId) return
    if (conversation.status === 'assigned' && conversation.assigned_user_id !== null && !options.force) {
      throw new ConflictError('Another staff member has this conversation; take it over with force: true')
    }
    await setStatus(trx, ctx, conversation, {
      status: 'assigned',
      assigned_user_id: actor.userId,
      resolved_at: null,
    })
    await addSystemNote(
      trx,
      ctx,
      conversation,
      actor,
      `${await staffName(trx, actor)} took over the conversation`,
    )
    // The shopper learns who joined (widget, WhatsApp, Telegram alike).
    await announceStaffJoined(trx, ctx, conversation, actor.userId)
  })
}

export interface StaffReplyResult {
  duplicate: boolean
  status: 'queued' | 'skipped' | null
  skipReason: string | null
  messageId: string | null
}

/** Queues a staff reply on the conversation's channel. Only the assignee replies (take over first). */
export async function replyAsStaff(
  deps: RuntimeDeps,
  actor: StaffActor,
  conversationId: string,
  reply: { text: string; clientMessageId?: string | undefined },
): Promise<StaffReplyResult> {
  return inStepTransaction(deps, async (trx, ctx) => {
    const conversation = await lockConversation(trx, actor.merchantId, conversationId)
    if (conversation.status !== 'assigned' || conversation.assigned_user_id !== actor.userId) {
      throw new ConflictError('Take over the conversation before replying')
    }
    if (
      reply.clientMessageId &&
      !(await claimReceipt(trx, actor.merchantId, `staff:${actor.userId}`, reply.clientMessageId, ctx.now))
    ) {
      return { duplicate: true, status: null, skipReason: null, messageId: null }
    }
    const outcome = await queueSend(trx, ctx, {
      merchantId: actor.merchantId,
      conversationId: conversation.id,
      runId: null,
      nodeId: null,
      message: { text: reply.text },
      purpose: 'service',
      // The takeover pause holds the bot, not the staff member who took over.
      exemption: 'handoff',
      author: 'staff',
    })
    if (outcome.messageId) {
      await trx
        .updateTable('messages')
        .set({ author_user_id: actor.userId })
        .where('merchant_id', '=', actor.merchantId)
        .where('id', '=', outcome.messageId)
        .execute()
    }
    await trx
      .updateTable('conversations')
      .set({ last_message_at: new Date(ctx.now), updated_at: new Date(ctx.now) })
      .where('merchant_id', '=', actor.merchantId)
      .where('id', '=', conversation.id)
      .execute()
    return {
      duplicate: false,
      status: outcome.status,
      skipReason: outcome.status === 'skipped' ? outcome.reason : null,
      messageId: outcome.messageId,
    }
  })
}

/** Returns the conversation to the bot and resumes the run waiting on the escalation. */
export async function handBackConversation(
  deps: RuntimeDeps,
  actor: StaffActor,
  conversationId: string,
  note?: string,
): Promise<string[]> {
  return endStaffTurn(
    deps,
    actor,
    conversationId,
    { type: 'staff.handback', ...(note ? { note } : {}) },
    'bot',
  )
}

/** Closes the conversation; the run waiting on the escalation ends as resolved by staff. */
export async function resolveConversation(
  deps: RuntimeDeps,
  actor: StaffActor,
  conversationId: string,
): Promise<string[]> {
  return endStaffTurn(deps, actor, conversationId, { type: 'conversation.resolved' }, 'resolved')
}

async function endStaffTurn(
  deps: RuntimeDeps,
  actor: StaffActor,
  conversationId: string,
  event: FlowEventInput,
  status: 'bot' | 'resolved',
): Promise<string[]> {
  return inStepTransaction(deps, async (trx, ctx) => {
    const runIds = await findActiveRunIds(trx, actor.merchantId, { conversationId, waitingFor: 'handback' })
    // Runs before the conversation (the engine's lock order).
    await lockRuns(trx, actor.merchantId, runIds)
    const conversation = await lockConversation(trx, actor.merchantId, conversationId)
    if (status === 'bot' && conversation.status !== 'assigned' && conversation.status !== 'waiting') {
      throw new ConflictError('Only a conversation with staff can be handed back')
    }
    if (status === 'resolved' && conversation.status === 'resolved') return []
    const name = await staffName(trx, actor)
    await setStatus(trx, ctx, conversation, {
      status,
      ...(status === 'bot' ? { assigned_user_id: null } : {}),
      resolved_at: status === 'resolved' ? new Date(ctx.now) : null,
    })
    await addSystemNote(
      trx,
      ctx,
      conversation,
      actor,
      status === 'bot'
        ? `${name} handed the conversation back to the bot`
        : `${name} resolved the conversation`,
    )
    // Told before the resumed run speaks, so the transcript reads in that order.
    if (status === 'bot') await announceBackToAssistant(trx, ctx, conversation, actor.userId)
    // The status is already 'bot' here, so what the resumed run sends is not held by the takeover pause.
    const batch = new StepBatch(trx, ctx)
    const stepped = await stepRuns(batch, actor.merchantId, runIds, event)
    await batch.flush()
    return stepped.map((run) => run.id)
  })
}
