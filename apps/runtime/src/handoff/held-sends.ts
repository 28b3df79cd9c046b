// Marketing held while a person had the shopper (outbox `held`, packages/flow's decideSend `hold`) is released
// when no conversation of the contact is with staff any more: hand-back, resolve, or nobody claiming it. A held
// send goes out if its run still goes on (the cart is still abandoned) — only the latest of each run, the
// earlier ones being out of date — and ends with a reason otherwise. The relay re-checks the rest as usual
// (quiet hours, opt-out, the WhatsApp window).
import { sql } from 'kysely'
import { settleSkipped } from '../delivery/skipped-send.ts'
import type { Db, StepContext } from '../engine/step-transaction.ts'

export interface ReleasedHeldSends {
  released: number
  ended: number
}

/** Releases or ends the contact's held sends, unless another of their conversations is still with staff. */
export async function releaseHeldSends(
  trx: Db,
  ctx: StepContext,
  merchantId: string,
  contactId: string,
): Promise<ReleasedHeldSends> {
  const stillWithStaff = await trx
    .selectFrom('conversations')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('contact_id', '=', contactId)
    .where('status', 'in', ['waiting', 'assigned'])
    .limit(1)
    .executeTakeFirst()
  if (stillWithStaff) return { released: 0, ended: 0 }
  const held = await trx
    .selectFrom('outbox as o')
    .innerJoin('conversations as c', (join) =>
      join.onRef('c.merchant_id', '=', 'o.merchant_id').onRef('c.id', '=', 'o.conversation_id'),
    )
    .leftJoin('runs as r', (join) =>
      join.onRef('r.merchant_id', '=', 'o.merchant_id').onRef('r.id', '=', 'o.run_id'),
    )
    .select([
      'o.merchant_id',
      'o.id',
      'o.message_id',
      'o.conversation_id',
      'o.run_id',
      'r.status as run_status',
    ])
    .where('o.merchant_id', '=', merchantId)
    .where('c.contact_id', '=', contactId)
    .where('o.status', '=', 'held')
    .orderBy('o.seq', 'desc')
    .execute()
  const release: string[] = []
  const latestOfRun = new Set<string>()
  let ended = 0
  for (const row of held) {
    let reason: string | null = null
    if (row.run_id && row.run_status !== 'active') reason = 'handoff_no_longer_relevant'
    else if (row.run_id && latestOfRun.has(row.run_id)) reason = 'handoff_superseded'
    if (row.run_id) latestOfRun.add(row.run_id)
    if (reason) {
      await settleSkipped(trx, ctx, row, reason)
      ended += 1
    } else {
      release.push(row.id)
    }
  }
  if (release.length > 0) {
    // A new place in the conversation's queue (seq = default): after what was said since it was held (the
    // fallback, staff's replies, the bot's welcome back), not before it.
    await sql`update outbox set status = 'pending', seq = default, next_attempt_at = ${new Date(ctx.now)},
        updated_at = ${new Date(ctx.now)}
      where merchant_id = ${merchantId} and id = any(${sql.val(release)}::uuid[]) and status = 'held'`.execute(
      trx,
    )
    ctx.queued += release.length
  }
  if (held.length > 0) {
    ctx.deps.logger.info('held sends after staff', { merchantId, contactId, released: release.length, ended })
  }
  return { released: release.length, ended }
}
