// What a shopper sees of the person who took over their chat: a first name (never the email) and a picture if
// one is set. One rule, used by the joined notice, the visitor transcript and the typing signal.
import type { StaffIdentity } from '@parley/api'
import type { User } from '@parley/db'
import type { Db } from '../engine/step-transaction.ts'

/** Shown when a user has neither a display name nor a name: no email ever reaches a shopper. */
const FALLBACK_NAME = 'Someone from the team'

/**
 * The display name when set, else the first word of the name ("Sam Rivera" → "Sam").
 * @example shopperFacingName({ display_name: null, name: 'Sam Rivera' }) // 'Sam'
 */
export function shopperFacingName(user: Pick<User, 'display_name' | 'name'>): string {
  const chosen = user.display_name?.trim()
  if (chosen) return chosen
  return user.name.trim().split(/\s+/)[0] || FALLBACK_NAME
}

export function toStaffIdentity(user: Pick<User, 'display_name' | 'name' | 'avatar_url'>): StaffIdentity {
  return { name: shopperFacingName(user), avatarUrl: user.avatar_url?.trim() || null }
}

/** The identity of a merchant's staff user, or the fallback when the user is gone. */
export async function loadStaffIdentity(db: Db, merchantId: string, userId: string): Promise<StaffIdentity> {
  const user = await db
    .selectFrom('users')
    .select(['display_name', 'name', 'avatar_url'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', userId)
    .executeTakeFirst()
  return user ? toStaffIdentity(user) : { name: FALLBACK_NAME, avatarUrl: null }
}
