// What staff do in the inbox, each one step transaction (engine/step-transaction.ts), realtime published
// after commit:
//   take over  → status assigned to me: the policy pauses every bot send to the conversation; the
//                escalation's unclaimed timeout is cancelled; a second agent racing for it gets who has it
//   reply      → a staff transcript row + outbox row on the conversation's channel (policy still applies:
//                opt-out; on WhatsApp outside the 24-hour window only an approved template, with its cost);
//                the first one after an escalation is recorded (conversations.first_staff_reply_at)
//   hand back  → status bot, and `staff.handback` to the run waiting on the escalation
//   resolve    → status resolved, and `conversation.resolved` to that run
// Hand-back and resolve release the marketing held while staff had the contact (handoff/held-sends.ts).
// Lock order follows the engine's: runs first, then the conversation, so a timer step never deadlocks with us.
import type { WhatsAppTemplate } from '@parley/api'
import type { Channel, Conversation, ConversationStatus, JsonObject } from '@parley/db'
import type { FlowEventInput, TemplateRef } from '@parley/flow'
import { openChannelConfig } from '../channels/channel-secrets.ts'
import type { RuntimeDeps } from '../deps.ts'
import {
  ConflictError,
  ConversationTakenError,
  NotFoundError,
  OutsideWindowError,
  ValidationError,
} from '../domain-errors.ts'
import { queueSend } from '../effects/send.ts'
import { stepRuns } from '../engine/event-step.ts'
import { claimReceipt } from '../engine/receipts.ts'
import { findActiveRunIds, lockRuns } from '../engine/run-store.ts'
import { StepBatch } from '../engine/step-batch.ts'
import { type Db, inStepTransaction, type StepContext } from '../engine/step-transaction.ts'
import { releaseHeldSends } from '../handoff/held-sends.ts'
import { cancelUnclaimedTimers } from '../handoff/unclaimed-timeout.ts'
import { readChannel } from '../policy/send-facts.ts'
import { isInsideServiceWindow } from '../policy/whatsapp-window.ts'
import { timeOrderedId } from '../sql/time-ordered-id.ts'
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

/** The runs waiting on this conversation's escalation, locked (runs before the conversation: the engine's order). */
async function lockEscalatedRuns(trx: Db, merchantId: string, conversationId: string): Promise<string[]> {
  const runIds = await findActiveRunIds(trx, merchantId, { conversationId, waitingFor: 'handback' })
  await lockRuns(trx, merchantId, runIds)
  return runIds
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
  const id = timeOrderedId()
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

/**
 * Assigns the conversation to the caller. Two agents at once: the conversation row lock orders them, the first
 * wins and the second is told who has it (`taken`). Taking it from a colleague on purpose needs `force`.
 */
export async function takeOverConversation(
  deps: RuntimeDeps,
  actor: StaffActor,
  conversationId: string,
  options: { force?: boolean } = {},
): Promise<void> {
  await inStepTransaction(deps, async (trx, ctx) => {
    const runIds = await lockEscalatedRuns(trx, actor.merchantId, conversationId)
    const conversation = await lockConversation(trx, actor.merchantId, conversationId)
    if (conversation.status === 'assigned' && conversation.assigned_user_id === actor.userId) return
    if (conversation.status === 'assigned' && conversation.assigned_user_id !== null && !options.force) {
      throw new ConversationTakenError(
        await staffName(trx, { merchantId: actor.merchantId, userId: conversation.assigned_user_id }),
      )
    }
    await setStatus(trx, ctx, conversation, {
      status: 'assigned',
      assigned_user_id: actor.userId,
      resolved_at: null,
    })
    // Someone has it now: the escalation is claimed.
    await cancelUnclaimedTimers(trx, actor.merchantId, runIds)
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

export interface StaffReply {
  text: string
  clientMessageId?: string | undefined
  template?: { name: string; language: string; parameters: string[] } | undefined
}

/**
 * Queues a staff reply on the conversation's channel. Only the assignee replies (take over first). On WhatsApp
 * more than 24 hours after the shopper last wrote, only an approved template goes (`outside_window` otherwise);
 * a template is charged to the month's budget like the bot's and its cost is on the transcript row.
 */
export async function replyAsStaff(
  deps: RuntimeDeps,
  actor: StaffActor,
  conversationId: string,
  reply: StaffReply,
): Promise<StaffReplyResult> {
  return inStepTransaction(deps, async (trx, ctx) => {
    const conversation = await lockConversation(trx, actor.merchantId, conversationId)
    if (conversation.status !== 'assigned' || conversation.assigned_user_id !== actor.userId) {
      throw new ConflictError('Take over the conversation before replying')
    }
    const channel = await readChannel(trx, actor.merchantId, conversation.channel_id)
    const template = reply.template ? approvedTemplate(deps, channel, reply.template) : undefined
    if (
      channel.kind === 'whatsapp' &&
      !template &&
      !isInsideServiceWindow(conversation.last_inbound_at, ctx.now)
    ) {
      throw new OutsideWindowError()
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
      template,
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
    const now = new Date(ctx.now)
    await trx
      .updateTable('conversations')
      .set((eb) => ({
        last_message_at: now,
        updated_at: now,
        // Time to first human reply (analytics): the first reply that went out after the escalation.
        ...(outcome.status === 'queued'
          ? {
              first_staff_reply_at: eb
                .case()
                .when(eb.and([eb('escalated_at', 'is not', null), eb('first_staff_reply_at', 'is', null)]))
                .then(now)
                .else(eb.ref('first_staff_reply_at'))
                .end(),
            }
          : {}),
      }))
      .where('merchant_id', '=', actor.merchantId)
      .where('id', '=', conversation.id)
      .execute()
    return {
      duplicate: false,
      status: outcome.status === 'skipped' ? 'skipped' : 'queued',
      skipReason: outcome.status === 'skipped' ? outcome.reason : null,
      messageId: outcome.messageId,
    }
  })
}

/** The approved template of the WhatsApp channel the reply names, with the parameters it takes. */
function approvedTemplate(
  deps: RuntimeDeps,
  channel: Channel,
  chosen: NonNullable<StaffReply['template']>,
): TemplateRef {
  if (channel.kind !== 'whatsapp') throw new ValidationError('Templates are for WhatsApp conversations only')
  const config = openChannelConfig(deps.config.keyring, channel)
  const templates = Array.isArray(config.templates) ? (config.templates as WhatsAppTemplate[]) : []
  const found = templates.find((t) => t.name === chosen.name && t.language === chosen.language)
  if (found?.status.toUpperCase() !== 'APPROVED') {
    throw new ValidationError(
      `"${chosen.name}" (${chosen.language}) is not an approved template of this WhatsApp number: sync the templates or choose another`,
      { template: { name: chosen.name, language: chosen.language } },
    )
  }
  if (chosen.parameters.length !== found.parameters) {
    throw new ValidationError(
      `"${chosen.name}" takes ${found.parameters} parameter${found.parameters === 1 ? '' : 's'}; ${chosen.parameters.length} given`,
      { template: { name: chosen.name, parameters: found.parameters } },
    )
  }
  const category = found.category.toLowerCase()
  return {
    name: found.name,
    language: found.language,
    category: category === 'marketing' || category === 'authentication' ? category : 'utility',
    params: chosen.parameters,
  }
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
    // Runs before the conversation (the engine's lock order).
    const runIds = await lockEscalatedRuns(trx, actor.merchantId, conversationId)
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
    await cancelUnclaimedTimers(trx, actor.merchantId, runIds)
    const batch = new StepBatch(trx, ctx)
    const stepped = await stepRuns(batch, actor.merchantId, runIds, event)
    await batch.flush()
    // After the runs' step is written: a held send whose run just ended is not sent.
    await releaseHeldSends(trx, ctx, actor.merchantId, conversation.contact_id)
    return stepped.map((run) => run.id)
  })
}
