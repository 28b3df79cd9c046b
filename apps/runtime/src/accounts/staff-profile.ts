// A staff member's face to shoppers: their display name and avatar (users.display_name, users.avatar_url).
import type { StaffProfile } from '@parley/api'
import type { Database } from '@parley/db'
import type { Kysely } from 'kysely'
import { shopperFacingName } from '../inbox/staff-identity.ts'

export async function readStaffProfile(
  db: Kysely<Database>,
  merchantId: string,
  userId: string,
): Promise<StaffProfile | null> {
  const user = await db
    .selectFrom('users')
    .select(['name', 'display_name', 'avatar_url'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', userId)
    .executeTakeFirst()
  if (!user) return null
  return {
    name: user.name,
    displayName: user.display_name,
    avatarUrl: user.avatar_url,
    shownAs: shopperFacingName(user),
  }
}

/** Saves the caller's own display name and avatar; empty text clears a field. */
export async function updateStaffProfile(
  db: Kysely<Database>,
  merchantId: string,
  userId: string,
  profile: { displayName: string | null; avatarUrl: string | null },
  now: number,
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      display_name: profile.displayName || null,
      avatar_url: profile.avatarUrl || null,
      updated_at: new Date(now),
    })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', userId)
    .execute()
}
