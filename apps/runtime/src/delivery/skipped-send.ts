// A claimed send that will not go out: its outbox row ends (failed, "skipped: <reason>") and its transcript row
// shows the reason, as a send skipped when it was queued does. Used by the relay's recheck and by what a
// provider's refusal tells (send-consequences.ts).
import type { OutboxEntry } from '@parley/db'
import type { Db, StepContext } from '../engine/step-transaction.ts'

export async function settleSkipped(
  trx: Db,
  ctx: StepContext,
  row: Pick<OutboxEntry, 'merchant_id' | 'id' | 'message_id' | 'conversation_id'>,
  reason: string,
): Promise<void> {
  const now = new Date(ctx.now)
  await trx
    .updateTable('outbox')
    .set({ status: 'failed', last_error: `skipped: ${reason}`, locked_until: null, updated_at: now })
    .where('merchant_id', '=', row.merchant_id)
    .where('id', '=', row.id)
    .execute()
  if (!row.message_id) return
  await trx
    .updateTable('messages')
    .set({ status: 'skipped', skip_reason: reason, cost: null, updated_at: now })
    .where('merchant_id', '=', row.merchant_id)
    .where('id', '=', row.message_id)
    .execute()
  ctx.notifications.push({
    merchantId: row.merchant_id,
    conversationId: row.conversation_id,
    kind: 'message',
    id: row.message_id,
  })
}
