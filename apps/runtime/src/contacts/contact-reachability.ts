// Whether a shopper can be reached on a channel. A shopper who blocked the bot (Telegram `my_chat_member` with
// status `kicked`, or a 403 "bot was blocked by the user") is marked unreachable on that channel: the send policy
// skips sends there (reason `unreachable`) without calling the provider. Writing to us again, or unblocking the
// bot (`member`), makes them reachable.
import type { Db } from '../engine/step-transaction.ts'

export interface IdentityRef {
  merchantId: string
  channelId: string
  /** The shopper's id on the channel (Telegram chat id, wa_id). */
  externalId: string
}

/** Marks the identity unreachable (once: the first time is kept). Returns whether a known identity matched. */
export async function markUnreachable(db: Db, ref: IdentityRef, now: number): Promise<boolean> {
  const result = await db
    .updateTable('contact_identities')
    .set((eb) => ({ unreachable_at: eb.fn.coalesce('unreachable_at', eb.val(new Date(now))) }))
    .where('merchant_id', '=', ref.merchantId)
    .where('channel_id', '=', ref.channelId)
    .where('external_id', '=', ref.externalId)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Clears the mark (they wrote, or unblocked the bot). Cheap when there is none: only marked rows are written. */
export async function markReachable(db: Db, ref: IdentityRef): Promise<void> {
  await db
    .updateTable('contact_identities')
    .set({ unreachable_at: null })
    .where('merchant_id', '=', ref.merchantId)
    .where('channel_id', '=', ref.channelId)
    .where('external_id', '=', ref.externalId)
    .where('unreachable_at', 'is not', null)
    .execute()
}
