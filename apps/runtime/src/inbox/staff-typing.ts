// The staff side of the typing indicator: only the person who has the conversation signals the shopper.
import type { RuntimeDeps } from '../deps.ts'
import { ConflictError, NotFoundError } from '../domain-errors.ts'
import type { StaffActor } from './inbox-actions.ts'

/** Publishes "typing" to the shopper's widget; false when the throttle dropped it. */
export async function signalStaffTyping(
  deps: Pick<RuntimeDeps, 'db' | 'typing'>,
  actor: StaffActor,
  conversationId: string,
): Promise<boolean> {
  const conversation = await deps.db
    .selectFrom('conversations')
    .select(['status', 'assigned_user_id'])
    .where('merchant_id', '=', actor.merchantId)
    .where('id', '=', conversationId)
    .executeTakeFirst()
  if (!conversation) throw new NotFoundError('Conversation')
  if (conversation.status !== 'assigned' || conversation.assigned_user_id !== actor.userId) {
    throw new ConflictError('Take over the conversation before typing to the shopper')
  }
  return deps.typing.staffTyping(actor.merchantId, conversationId, actor.userId)
}
