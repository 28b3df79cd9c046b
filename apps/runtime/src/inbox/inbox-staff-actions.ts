// What staff do in the inbox beside answering: write an internal note (never sent: a system row the shopper's
// transcript leaves out), assign the conversation to a colleague or a queue, and reopen a resolved one. Each is
// one step transaction (the same as take over), so the inbox hears of it after commit.
import type { RuntimeDeps } from '../deps.ts'
import { ConflictError, NotFoundError } from '../domain-errors.ts'
import { inStepTransaction } from '../engine/step-transaction.ts'
import { addSystemNote, lockConversation, type StaffActor, setStatus, staffName } from './inbox-actions.ts'

/** An internal note in the transcript for staff; returns its message id. */
export async function addInternalNote(
  deps: RuntimeDeps,
  actor: StaffActor,
  conversationId: string,
  text: string,
): Promise<string> {
  return inStepTransaction(deps, async (trx, ctx) => {
    const conversation = await lockConversation(trx, actor.merchantId, conversationId)
    return addSystemNote(trx, ctx, conversation, actor, text, { note: true })
  })
}

/** Gives the conversation to a colleague (it becomes theirs) or to a queue (it waits there for a person). */
export async function assignConversation(
  deps: RuntimeDeps,
  actor: StaffActor,
  conversationId: string,
  to: { userId: string } | { queue: string },
): Promise<void> {
  await inStepTransaction(deps, async (trx, ctx) => {
    const conversation = await lockConversation(trx, actor.merchantId, conversationId)
    const by = await staffName(trx, actor)
    if ('userId' in to) {
      const colleague = await trx
        .selectFrom('users')
        .select(['name', 'email'])
        .where('merchant_id', '=', actor.merchantId)
        .where('id', '=', to.userId)
        .where('disabled_at', 'is', null)
        .executeTakeFirst()
      if (!colleague) throw new NotFoundError('Colleague')
      if (conversation.status === 'assigned' && conversation.assigned_user_id === to.userId) return
      await setStatus(trx, ctx, conversation, {
        status: 'assigned',
        assigned_user_id: to.userId,
        resolved_at: null,
      })
      const name = colleague.name || colleague.email
      const text =
        to.userId === actor.userId
          ? `${by} took the conversation`
          : `${by} assigned the conversation to ${name}`
      await addSystemNote(trx, ctx, conversation, actor, text)
      return
    }
    if (conversation.status === 'waiting' && conversation.queue === to.queue) return
    await trx
      .updateTable('conversations')
      .set({ queue: to.queue, escalated_at: conversation.escalated_at ?? new Date(ctx.now) })
      .where('merchant_id', '=', actor.merchantId)
      .where('id', '=', conversationId)
      .execute()
    await setStatus(trx, ctx, conversation, { status: 'waiting', assigned_user_id: null, resolved_at: null })
    await addSystemNote(
      trx,
      ctx,
      conversation,
      actor,
      `${by} moved the conversation to the ${to.queue} queue`,
    )
  })
}

/** Opens a resolved conversation again, assigned to the caller (who reopens it to answer). */
export async function reopenConversation(
  deps: RuntimeDeps,
  actor: StaffActor,
  conversationId: string,
): Promise<void> {
  await inStepTransaction(deps, async (trx, ctx) => {
    const conversation = await lockConversation(trx, actor.merchantId, conversationId)
    if (conversation.status !== 'resolved')
      throw new ConflictError('Only a resolved conversation can be reopened')
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
      `${await staffName(trx, actor)} reopened the conversation`,
    )
  })
}
