// Staff users as sign-in and the session endpoint read and write them. Every function takes the database (or
// the transaction it must run in) first.
import type { Database, UserRole } from '@parley/db'
import type { Kysely } from 'kysely'

export interface SessionUser {
  id: string
  email: string
  name: string
  role: UserRole
  merchantName: string
}

/** The user a session belongs to, with their merchant's name; undefined when the user is gone. */
export async function findSessionUser(
  db: Kysely<Database>,
  merchantId: string,
  userId: string,
): Promise<SessionUser | undefined> {
  const row = await db
    .selectFrom('users')
    .innerJoin('merchants', 'merchants.id', 'users.merchant_id')
    .select(['users.id', 'users.email', 'users.name', 'users.role', 'merchants.name as merchant_name'])
    .where('users.merchant_id', '=', merchantId)
    .where('users.id', '=', userId)
    .executeTakeFirst()
  return (
    row && { id: row.id, email: row.email, name: row.name, role: row.role, merchantName: row.merchant_name }
  )
}

export interface SignInCandidate {
  merchant_id: string
  id: string
  password_hash: string
}

/**
 * The enabled users with this email (one per merchant at most), oldest first and a few at most; only in
 * `merchantId` when given.
 */
export function findSignInCandidates(
  db: Kysely<Database>,
  email: string,
  merchantId?: string,
): Promise<SignInCandidate[]> {
  let query = db
    .selectFrom('users')
    .select(['merchant_id', 'id', 'password_hash'])
    .where('email', '=', email)
    .where('disabled_at', 'is', null)
    .orderBy('created_at')
    .limit(5)
  if (merchantId) query = query.where('merchant_id', '=', merchantId)
  return query.execute()
}

/** Stamps the sign-in; `rehashed` replaces the password hash unless the password changed meanwhile. */
export async function recordSignIn(
  trx: Kysely<Database>,
  user: SignInCandidate,
  now: Date,
  rehashed: string | undefined,
): Promise<void> {
  await trx
    .updateTable('users')
    .set({ last_sign_in_at: now })
    .where('merchant_id', '=', user.merchant_id)
    .where('id', '=', user.id)
    .execute()
  if (rehashed) {
    await trx
      .updateTable('users')
      .set({ password_hash: rehashed })
      .where('merchant_id', '=', user.merchant_id)
      .where('id', '=', user.id)
      // Never write back a hash of the old password.
      .where('password_hash', '=', user.password_hash)
      .execute()
  }
}
