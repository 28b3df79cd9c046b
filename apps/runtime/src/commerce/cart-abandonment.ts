// The abandonment sweep: carts quiet for the merchant's threshold become `abandoned` and start every
// published cart-abandoned flow for their shopper, keyed by the cart token (one active run per flow and
// cart) — unless the cart's abandonment episode fell in the holdout (abandonment-episodes.ts). The schedule is carts.abandon_at in the database, so a restart loses nothing; claiming with
// SKIP LOCKED lets replicas sweep side by side.
import type { Cart } from '@parley/db'
import { latestConversationId } from '../contacts/contact-repository.ts'
import type { RuntimeDeps } from '../deps.ts'
import { startTriggeredRuns } from '../engine/start-runs.ts'
import { inStepBatch, type StepBatch } from '../engine/step-batch.ts'
import { isRetryableDbError } from '../engine/step-transaction.ts'
import { contactVars, storeVarsOf } from '../engine/vars.ts'
import { expireDueEpisodes, openEpisode } from './abandonment-episodes.ts'
import { cartVarsWithFacts } from './cart-facts.ts'

export interface AbandonResult {
  abandoned: number
  runsStarted: number
  /** Abandoned carts put in the control group (no recovery flow started). */
  heldOut: number
}

/**
 * Abandons up to `limit` due carts in one step transaction (one write set). A batch that fails is swept
 * again cart by cart, each in its own transaction; a cart that fails alone is no longer watched.
 */
export async function abandonDueCarts(
  deps: RuntimeDeps,
  limit = deps.config.TIMER_BATCH_SIZE,
): Promise<AbandonResult> {
  let claimed: Cart[] = []
  try {
    return await abandonClaimed(deps, limit, null, (carts) => {
      claimed = carts
    })
  } catch (error) {
    if (isRetryableDbError(error) || claimed.length === 0) throw error
    deps.logger.warn('cart sweep failed; abandoning its carts one at a time', { error })
    const total: AbandonResult = { abandoned: 0, runsStarted: 0, heldOut: 0 }
    for (const cart of claimed) {
      try {
        const alone = await abandonClaimed(deps, 1, cart, () => {})
        total.abandoned += alone.abandoned
        total.runsStarted += alone.runsStarted
        total.heldOut += alone.heldOut
      } catch (cartError) {
        if (isRetryableDbError(cartError)) continue
        deps.logger.error('cart abandonment failed', { cartId: cart.id, error: cartError })
        // Stop watching it rather than fail at every sweep; the cart stays active.
        await deps.db
          .updateTable('carts')
          .set({ abandon_at: null })
          .where('merchant_id', '=', cart.merchant_id)
          .where('id', '=', cart.id)
          .execute()
      }
    }
    return total
  }
}

async function abandonClaimed(
  deps: RuntimeDeps,
  limit: number,
  only: Cart | null,
  onClaimed: (carts: Cart[]) => void,
): Promise<AbandonResult> {
  return inStepBatch(deps, async (batch) => {
    let query = batch.trx
      .selectFrom('carts')
      .selectAll()
      .where('status', '=', 'active')
      .where('abandon_at', '<=', new Date(batch.ctx.now))
    if (only) query = query.where('merchant_id', '=', only.merchant_id).where('id', '=', only.id)
    const carts = await query.orderBy('abandon_at').limit(limit).forUpdate().skipLocked().execute()
    onClaimed(carts)
    const counts: AbandonResult = { abandoned: 0, runsStarted: 0, heldOut: 0 }
    for (const cart of carts) {
      const started = await abandonCart(batch, cart)
      if (started === 'held_out') counts.heldOut += 1
      else counts.runsStarted += started
      counts.abandoned += 1
    }
    // Episodes 30 days without an order end here too: the same periodic sweep, its own small claim.
    if (!only) await expireDueEpisodes(batch.trx, batch.ctx.now, limit)
    return counts
  })
}

/** Runs started for the abandoned cart, or 'held_out' when its episode is in the control group. */
async function abandonCart(batch: StepBatch, cart: Cart): Promise<number | 'held_out'> {
  const { trx, ctx } = batch
  const abandonedAt = cart.abandon_at ?? new Date(ctx.now)
  const updated = await trx
    .updateTable('carts')
    .set({ status: 'abandoned', abandoned_at: abandonedAt, abandon_at: null, updated_at: new Date(ctx.now) })
    .where('merchant_id', '=', cart.merchant_id)
    .where('id', '=', cart.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  if (cart.items.length === 0) return 0
  const merchant = await trx
    .selectFrom('merchants')
    .select(['name', 'holdout_percent', 'return_window_days'])
    .where('id', '=', cart.merchant_id)
    .executeTakeFirstOrThrow()
  // Drawn before any message can go out, and recorded: the control group is decided here, once per episode.
  const episode = await openEpisode(trx, {
    merchantId: cart.merchant_id,
    cartId: cart.id,
    contactId: cart.contact_id,
    abandonedAt,
    holdoutPercent: merchant.holdout_percent,
    random: ctx.deps.random ?? Math.random,
  })
  if (episode.holdout) {
    ctx.deps.logger.info('cart held out to measure lift: no recovery messages', {
      merchantId: cart.merchant_id,
      cartId: cart.id,
    })
    return 'held_out'
  }
  if (!cart.contact_id) return 0
  const contact = await trx
    .selectFrom('contacts')
    .selectAll()
    .where('merchant_id', '=', cart.merchant_id)
    .where('id', '=', cart.contact_id)
    .executeTakeFirstOrThrow()
  const started = await startTriggeredRuns(batch, {
    merchantId: cart.merchant_id,
    trigger: 'cart.abandoned',
    contactId: contact.id,
    conversationId: await latestConversationId(trx, cart.merchant_id, contact.id),
    correlationKey: cart.token,
    cartToken: cart.token,
    vars: async () => ({
      contact: contactVars(contact),
      cart: await cartVarsWithFacts(trx, updated, new Date(ctx.now)),
      store: storeVarsOf(merchant),
    }),
    // The sequence counts from when the cart went quiet, not from when the sweep noticed.
    machineNow: abandonedAt.getTime(),
  })
  return started.length
}
