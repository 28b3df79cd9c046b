// The merchant's staff: list, change a role, remove (disable and end their sessions). The last owner stays.
import type { Database, User, UserRole } from '@parley/db'
import type { Kysely } from 'kysely'

/** Active (not removed) members, oldest first. */
export function listMembers(db: Kysely<Database>, merchantId: string): Promise<User[]> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('disabled_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

export function findMember(
  db: Kysely<Database>,
  merchantId: string,
  userId: string,
): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('id', '=', userId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst()
}

/** Locks the merchant's active owners (so two owners cannot demote each other at once) and counts them. */
export async function lockOwners(db: Kysely<Database>, merchantId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('role', '=', 'owner')
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .forUpdate()
    .execute()
  return rows.map((r) => r.id)
}

export async function setMemberRole(
  db: Kysely<Database>,
  merchantId: string,
  userId: string,
  role: UserRole,
  now: Date,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ role, updated_at: now })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', userId)
    .execute()
}

/** Disables the member and deletes their sessions; returns the ended session ids (to close their sockets). */
export async function removeMember(
  db: Kysely<Database>,
  merchantId: string,
  userId: string,
  now: Date,
): Promise<string[]> {
  await db
    .updateTable('users')
    .set({ disabled_at: now, updated_at: now })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', userId)
    .execute()
  const ended = await db
    .deleteFrom('sessions')
    .where('merchant_id', '=', merchantId)
    .where('user_id', '=', userId)
    .returning('id')
    .execute()
  return ended.map((s) => s.id)
}
