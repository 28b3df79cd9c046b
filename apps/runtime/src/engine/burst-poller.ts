// Steps bursts whose quiet window has passed (engine/burst-merge.ts): per merchant, lock the shoppers' contacts
// (SKIP LOCKED: a shopper an inbound batch or another replica holds is left for the next poll), claim their burst
// rows (SKIP LOCKED again), delete them and route each burst's texts, joined, as one message through the inbound
// path's `route`, all in one StepBatch. The delete commits with the step, so a burst is stepped exactly once,
// by whichever process gets there first, before or after a crash. A batch that fails is stepped burst by burst;
// a burst whose step fails alone is dropped (its messages stay in the transcript) so it cannot fail every poll.
import type { Contact, Conversation } from '@parley/db'
import type { InboundMessage } from '../channels/types.ts'
import type { RuntimeDeps } from '../deps.ts'
import { readMerchant } from '../policy/send-facts.ts'
import { claimDueBursts, findDueBursts, heldTexts, joinTexts, type TakenBurst } from './burst-merge.ts'
import { route } from './inbound.ts'
import { inStepBatch, type StepBatch } from './step-batch.ts'
import { type Db, isRetryableDbError } from './step-transaction.ts'

export interface BurstStepResult {
  /** Bursts claimed (their rows deleted). */
  claimed: number
  /** Bursts routed to a run or a flow. */
  routed: number
}

type DueBurst = Awaited<ReturnType<typeof findDueBursts>>[number]

/**
 * Steps up to `limit` due bursts in one transaction. Costs one index probe when none is due.
 * @example await stepDueBursts(deps)
 */
export async function stepDueBursts(
  deps: RuntimeDeps,
  limit = deps.config.TIMER_BATCH_SIZE,
): Promise<BurstStepResult> {
  const due = await findDueBursts(deps.db, deps.clock.now(), limit)
  if (due.length === 0) return { claimed: 0, routed: 0 }
  try {
    return await inStepBatch(deps, (batch) => stepBursts(batch, due))
  } catch (error) {
    if (isRetryableDbError(error)) throw error
    if (due.length === 1) {
      await dropBurst(deps, due[0] as DueBurst, error)
      return { claimed: 0, routed: 0 }
    }
    deps.logger.warn('burst batch failed; stepping its bursts one at a time', { error })
    const total: BurstStepResult = { claimed: 0, routed: 0 }
    for (const one of due) {
      try {
        const alone = await inStepBatch(deps, (batch) => stepBursts(batch, [one]))
        total.claimed += alone.claimed
        total.routed += alone.routed
      } catch (aloneError) {
        if (!isRetryableDbError(aloneError)) await dropBurst(deps, one, aloneError)
      }
    }
    return total
  }
}

/**
 * The background loop's tick: go again at once after a full batch, else at the poll interval (a burst is answered
 * at most TIMER_POLL_INTERVAL_MS after its window ends; one index probe per tick while none is due).
 */
export async function pollBursts(deps: RuntimeDeps): Promise<{ more: boolean; claimed: number }> {
  const stepped = await stepDueBursts(deps)
  return { more: stepped.claimed === deps.config.TIMER_BATCH_SIZE, claimed: stepped.claimed }
}

async function stepBursts(batch: StepBatch, due: readonly DueBurst[]): Promise<BurstStepResult> {
  const { trx, ctx } = batch
  const result: BurstStepResult = { claimed: 0, routed: 0 }
  const byMerchant = new Map<string, DueBurst[]>()
  for (const burst of due)
    byMerchant.set(burst.merchantId, [...(byMerchant.get(burst.merchantId) ?? []), burst])
  for (const merchantId of [...byMerchant.keys()].sort()) {
    const bursts = byMerchant.get(merchantId) as DueBurst[]
    const contacts = await lockContacts(
      trx,
      merchantId,
      bursts.map((b) => b.contactId),
    )
    const taken = await claimDueBursts(
      trx,
      merchantId,
      bursts.filter((b) => contacts.has(b.contactId)).map((b) => b.conversationId),
      ctx.now,
    )
    result.claimed += taken.length
    for (const burst of taken) {
      const contact = contacts.get(burst.contactId)
      if (contact && (await routeBurst(batch, burst, contact))) result.routed += 1
    }
  }
  return result
}

/** Locks the contacts (id order, skipping ones held elsewhere); by id. */
async function lockContacts(
  trx: Db,
  merchantId: string,
  contactIds: string[],
): Promise<Map<string, Contact>> {
  const rows = await trx
    .selectFrom('contacts')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', [...new Set(contactIds)].sort())
    .orderBy('id')
    .forUpdate()
    .skipLocked()
    .execute()
  return new Map(rows.map((c) => [c.id, c]))
}

/** Routes a claimed burst's texts as one message from the shopper; false when nothing took it. */
async function routeBurst(batch: StepBatch, burst: TakenBurst, contact: Contact): Promise<boolean> {
  const { trx, ctx } = batch
  const text = joinTexts(await heldTexts(trx, burst))
  const conversation: Conversation | undefined = await trx
    .selectFrom('conversations')
    .selectAll()
    .where('merchant_id', '=', burst.merchantId)
    .where('id', '=', burst.conversationId)
    .executeTakeFirst()
  if (!conversation || text === '') return false
  const merchant = await readMerchant(trx, burst.merchantId)
  const message: InboundMessage = {
    merchantId: burst.merchantId,
    channelId: burst.channelId,
    externalId: `burst:${burst.messageIds[0] ?? burst.conversationId}`,
    sender: { externalId: burst.senderExternalId },
    text,
  }
  const routed = await route(batch, merchant, contact, conversation, message, null)
  ctx.deps.logger.info('burst stepped', {
    conversationId: burst.conversationId,
    messages: burst.messageIds.length,
    route: routed.route,
  })
  return routed.route === 'run' || routed.route === 'flow'
}

/** A burst whose step fails alone would fail at every poll: deleted, logged; its messages stay in the transcript. */
async function dropBurst(deps: RuntimeDeps, burst: DueBurst, error: unknown): Promise<void> {
  deps.logger.error('burst step failed; burst dropped', { conversationId: burst.conversationId, error })
  await deps.db
    .deleteFrom('inbound_bursts')
    .where('merchant_id', '=', burst.merchantId)
    .where('conversation_id', '=', burst.conversationId)
    .execute()
}
