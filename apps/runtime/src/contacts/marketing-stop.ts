// WhatsApp's own marketing opt-out: the shopper told WhatsApp to stop this business's marketing messages (the
// `user_preferences` webhook with value "stop", or error 131050 on a send). Their marketing consent ends here, so
// the send policy skips later marketing sends (reason `no_consent`) instead of paying for refusals.
import type { Db } from '../engine/step-transaction.ts'

/** Withdraws marketing consent of the contact known by this id on the channel. Returns whether one matched. */
export async function stopMarketingByIdentity(
  db: Db,
  ref: { merchantId: string; channelId: string; externalId: string },
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('contacts')
    .set({ marketing_consent: false, marketing_consent_at: new Date(now), updated_at: new Date(now) })
    .where('merchant_id', '=', ref.merchantId)
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('contact_identities')
        .select('contact_id')
        .where('merchant_id', '=', ref.merchantId)
        .where('channel_id', '=', ref.channelId)
        .where('external_id', '=', ref.externalId),
    )
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}
