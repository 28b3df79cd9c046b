// Staff sessions: a random token in the cookie, only its SHA-256 in the database, and a CSRF token per session.
// The cookie value is `<merchantId>.<token>` so a lookup is by (merchant_id, token_hash), the table's unique key.
import type { Database, UserRole } from '@parley/db'
import type { Kysely } from 'kysely'
import { digestToken, randomToken } from '../security/signatures.ts'

export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000
/** Sliding expiry is refreshed at most this often, so reads do not write on every request. */
export const SESSION_REFRESH_AFTER_MS = 60 * 60 * 1000

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export interface ActiveSession {
  id: string
  merchantId: string
  merchantName: string
  userId: string
  email: string
  name: string
  role: UserRole
  csrfToken: string
  expiresAt: Date
  lastSeenAt: Date
}

export function sessionCookieValue(merchantId: string, token: string): string {
  return `${merchantId}.${token}`
}

/** Splits a cookie value; null when it is not `<uuid>.<token>`. */
export function parseSessionCookie(value: string | undefined): { merchantId: string; token: string } | null {
  if (!value) return null
  const dot = value.indexOf('.')
  const merchantId = value.slice(0, dot)
  const token = value.slice(dot + 1)
  if (dot < 0 || !UUID.test(merchantId) || token.length < 16 || token.length > 128) return null
  return { merchantId, token }
}

export async function createSession(
  db: Kysely<Database>,
  input: { merchantId: string; userId: string; now: Date },
): Promise<{ id: string; token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomToken()
  const csrfToken = randomToken()
  const expiresAt = new Date(input.now.getTime() + SESSION_TTL_MS)
  const row = await db
    .insertInto('sessions')
    .values({
      merchant_id: input.merchantId,
      user_id: input.userId,
      token_hash: digestToken(token),
      csrf_token: csrfToken,
      expires_at: expiresAt,
      created_at: input.now,
      last_seen_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, token, csrfToken, expiresAt }
}

/** The live session for a cookie, with its user; null when unknown, expired or the user is disabled. */
export async function findSession(
  db: Kysely<Database>,
  merchantId: string,
  token: string,
  now: Date,
): Promise<ActiveSession | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', (join) =>
      join.onRef('users.merchant_id', '=', 'sessions.merchant_id').onRef('users.id', '=', 'sessions.user_id'),
    )
    .innerJoin('merchants', 'merchants.id', 'sessions.merchant_id')
    .select([
      'sessions.id',
      'sessions.merchant_id',
      'merchants.name as merchant_name',
      'sessions.user_id',
      'users.email',
      'users.name',
      'users.role',
      'sessions.csrf_token',
      'sessions.expires_at',
      'sessions.last_seen_at',
    ])
    .where('sessions.merchant_id', '=', merchantId)
    .where('sessions.token_hash', '=', digestToken(token))
    .where('sessions.expires_at', '>', now)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst()
  if (!row) return null
  return {
    id: row.id,
    merchantId: row.merchant_id,
    merchantName: row.merchant_name,
    userId: row.user_id,
    email: row.email,
    name: row.name,
    role: row.role,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
    lastSeenAt: row.last_seen_at,
  }
}

/** Slides the expiry forward; returns the new expiry. */
export async function refreshSession(
  db: Kysely<Database>,
  merchantId: string,
  sessionId: string,
  now: Date,
): Promise<Date> {
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS)
  await db
    .updateTable('sessions')
    .set({ expires_at: expiresAt, last_seen_at: now })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', sessionId)
    .execute()
  return expiresAt
}

export async function deleteSession(
  db: Kysely<Database>,
  merchantId: string,
  sessionId: string,
): Promise<void> {
  await db.deleteFrom('sessions').where('merchant_id', '=', merchantId).where('id', '=', sessionId).execute()
}

/** Which of these sessions are still live at `now` (not signed out, not expired): one query for many. */
export async function liveSessionIds(
  db: Kysely<Database>,
  sessions: readonly { merchantId: string; sessionId: string }[],
  now: Date,
): Promise<Set<string>> {
  if (sessions.length === 0) return new Set()
  const rows = await db
    .selectFrom('sessions')
    .select('id')
    .where(({ eb, refTuple, tuple }) =>
      eb(
        refTuple('merchant_id', 'id'),
        'in',
        sessions.map((session) => tuple(session.merchantId, session.sessionId)),
      ),
    )
    .where('expires_at', '>', now)
    .execute()
  return new Set(rows.map((row) => row.id))
}
