// Team invitations: a single-use, expiring token in a link; only its SHA-256 is stored. Accepting creates the
// member (or brings a removed one back with the new role) and uses the invitation up.
import type { Database, Invite, UserRole } from '@parley/db'
import type { Kysely } from 'kysely'
import { digestToken, randomToken } from '../security/signatures.ts'

export async function createInvite(
  db: Kysely<Database>,
  input: { merchantId: string; email: string; role: UserRole; createdBy: string; now: Date; ttlMs: number },
): Promise<{ invite: Invite; token: string }> {
  const token = randomToken(32)
  // A new invitation replaces any pending one for the same email: only the latest link works.
  await db
    .updateTable('invites')
    .set({ revoked_at: input.now })
    .where('merchant_id', '=', input.merchantId)
    .where('email', '=', input.email)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute()
  const invite = await db
    .insertInto('invites')
    .values({
      merchant_id: input.merchantId,
      email: input.email,
      role: input.role,
      token_hash: digestToken(token),
      created_by: input.createdBy,
      expires_at: new Date(input.now.getTime() + input.ttlMs),
      created_at: input.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { invite, token }
}

/** Invitations that can still be accepted, newest first. */
export function listPendingInvites(db: Kysely<Database>, merchantId: string, now: Date): Promise<Invite[]> {
  return db
    .selectFrom('invites')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute()
}

/** Revokes a pending invitation; false when the merchant has no such pending invitation. */
export async function revokeInvite(
  db: Kysely<Database>,
  merchantId: string,
  id: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('invites')
    .set({ revoked_at: now })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** The usable invitation a token names, across merchants (the token alone identifies it), with its store name. */
export async function findUsableInvite(
  db: Kysely<Database>,
  token: string,
  now: Date,
  options: { lock?: boolean } = {},
): Promise<(Invite & { merchant_name: string }) | null> {
  let query = db
    .selectFrom('invites')
    .innerJoin('merchants', 'merchants.id', 'invites.merchant_id')
    .selectAll('invites')
    .select('merchants.name as merchant_name')
    .where('invites.token_hash', '=', digestToken(token))
    .where('invites.accepted_at', 'is', null)
    .where('invites.revoked_at', 'is', null)
    .where('invites.expires_at', '>', now)
  if (options.lock) query = query.forUpdate('invites')
  return (await query.executeTakeFirst()) ?? null
}

/**
 * Uses the invitation up and creates its member, or re-enables a removed member with that email (the email is
 * unique per merchant). Returns null when an active member already has the email.
 */
export async function acceptInvite(
  trx: Kysely<Database>,
  invite: Invite,
  input: { name: string; passwordHash: string; now: Date },
): Promise<{ userId: string } | null> {
  const existing = await trx
    .selectFrom('users')
    .select(['id', 'disabled_at'])
    .where('merchant_id', '=', invite.merchant_id)
    .where('email', '=', invite.email)
    .forUpdate()
    .executeTakeFirst()
  if (existing && existing.disabled_at === null) return null
  let userId: string
  if (existing) {
    await trx
      .updateTable('users')
      .set({
        name: input.name,
        password_hash: input.passwordHash,
        role: invite.role,
        disabled_at: null,
        updated_at: input.now,
      })
      .where('merchant_id', '=', invite.merchant_id)
      .where('id', '=', existing.id)
      .execute()
    userId = existing.id
  } else {
    const row = await trx
      .insertInto('users')
      .values({
        merchant_id: invite.merchant_id,
        email: invite.email,
        name: input.name,
        password_hash: input.passwordHash,
        role: invite.role,
        created_at: input.now,
        updated_at: input.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    userId = row.id
  }
  await trx
    .updateTable('invites')
    .set({ accepted_at: input.now })
    .where('merchant_id', '=', invite.merchant_id)
    .where('id', '=', invite.id)
    .execute()
  return { userId }
}
