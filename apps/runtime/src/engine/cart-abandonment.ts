// The abandonment sweep: carts quiet for the merchant's threshold become `abandoned` and start every
// published cart-abandoned flow for their shopper, keyed by the cart token (one active run per flow and
// cart). The schedule is carts.abandon_at in the database, so a restart loses nothing; claiming with
// SKIP LOCKED lets replicas sweep side by side.
import type { Cart } from '@parley/db'
import { sql } from 'kysely'
import type { RuntimeDeps } from '../deps.ts'
import { latestConversationId } from './contacts.ts'
import { startTriggeredRuns } from './start-runs.ts'
import { StepBatch } from './step-batch.ts'
import { afterCommit, isRetryableDbError, newStepContext } from './step-transaction.ts'
import { cartVars, contactVars } from './vars.ts'

export interface AbandonResult {
  abandoned: number
  runsStarted: number
}

export async function abandonDueCarts(
  deps: RuntimeDeps,
  limit = deps.config.TIMER_BATCH_SIZE,
): Promise<AbandonResult> {
  const ctx = newStepContext(deps)
  const result = await deps.db.transaction().execute(async (trx) => {
    const carts = await trx
      .selectFrom('carts')
      .selectAll()
      .where('status', '=', 'active')
      .where('abandon_at', '<=', new Date(ctx.now))
      .orderBy('abandon_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute()
    const counts: AbandonResult = { abandoned: 0, runsStarted: 0 }
    let n = 0
    for (const cart of carts) {
      const name = sql.raw(`cart_${++n}`)
      await sql`savepoint ${name}`.execute(trx)
      try {
        // The cart's own write set, flushed inside its savepoint: a failure rolls back everything it planned.
        const batch = new StepBatch(trx, ctx)
        counts.runsStarted += await abandonCart(batch, cart)
        await batch.flush()
        counts.abandoned += 1
        await sql`release savepoint ${name}`.execute(trx)
      } catch (error) {
        await sql`rollback to savepoint ${name}`.execute(trx)
        if (isRetryableDbError(error)) continue
        deps.logger.error('cart abandonment failed', { cartId: cart.id, error })
        // Stop watching it rather than fail at every sweep; the cart stays active.
        await trx
          .updateTable('carts')
          .set({ abandon_at: null })
          .where('merchant_id', '=', cart.merchant_id)
          .where('id', '=', cart.id)
          .execute()
      }
    }
    return counts
  })
  await afterCommit(ctx)
  return result
}

async function abandonCart(batch: StepBatch, cart: Cart): Promise<number> {
  const { trx, ctx } = batch
  const abandonedAt = cart.abandon_at ?? new Date(ctx.now)
  const updated = await trx
    .updateTable('carts')
    .set({ status: 'abandoned', abandoned_at: abandonedAt, abandon_at: null, updated_at: new Date(ctx.now) })
    .where('merchant_id', '=', cart.merchant_id)
    .where('id', '=', cart.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  if (!cart.contact_id || cart.items.length === 0) return 0
  const contact = await trx
    .selectFrom('contacts')
    .selectAll()
    .where('merchant_id', '=', cart.merchant_id)
    .where('id', '=', cart.contact_id)
    .executeTakeFirstOrThrow()
  const merchant = await trx
    .selectFrom('merchants')
    .select('name')
    .where('id', '=', cart.merchant_id)
    .executeTakeFirstOrThrow()
  const started = await startTriggeredRuns(batch, {
    merchantId: cart.merchant_id,
    trigger: 'cart.abandoned',
    contactId: contact.id,
    conversationId: await latestConversationId(trx, cart.merchant_id, contact.id),
    correlationKey: cart.token,
    cartToken: cart.token,
    vars: { contact: contactVars(contact), cart: cartVars(updated), store: { name: merchant.name } },
    // The sequence counts from when the cart went quiet, not from when the sweep noticed.
    machineNow: abandonedAt.getTime(),
  })
  return started.length
}
