// Staff sign-in, sign-out and the current session (with the CSRF token the editor echoes on mutations).
import { createRoute } from '@hono/zod-openapi'
import { type Session, sessionSchema, signInRequestSchema } from '@parley/api'
import { createSession, deleteSession } from '../accounts/sessions.ts'
import { findSessionUser, findSignInCandidates, recordSignIn } from '../accounts/user-repository.ts'
import type { RuntimeDeps } from '../deps.ts'
import { clientAddress } from '../http/client-ip.ts'
import { unauthorized } from '../http/errors.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { createRouter } from '../http/router.ts'
import { clearSessionCookie, requireSession, setSessionCookie } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'
import { hashPassword, needsRehash, verifyPassword } from '../security/password.ts'
import { randomToken } from '../security/signatures.ts'

const sessionResponse = {
  description: 'The signed-in staff member',
  content: { 'application/json': { schema: sessionSchema } },
}

const signIn = createRoute({
  method: 'post',
  path: '/sign-in',
  tags: ['auth'],
  summary: 'Sign in with email and password; sets the session cookie',
  request: { body: { required: true, content: { 'application/json': { schema: signInRequestSchema } } } },
  responses: { 200: sessionResponse, ...errorResponses },
})

const signOut = createRoute({
  method: 'post',
  path: '/sign-out',
  tags: ['auth'],
  summary: 'End the session',
  security: [{ session: [] }],
  middleware: [requireSession],
  responses: { 204: { description: 'Signed out' }, ...errorResponses },
})

const currentSession = createRoute({
  method: 'get',
  path: '/session',
  tags: ['auth'],
  summary: 'The current session and its CSRF token',
  security: [{ session: [] }],
  middleware: [requireSession],
  responses: { 200: sessionResponse, ...errorResponses },
})

const wrongCredentials = () => unauthorized('Wrong email or password')

export function authRoutes(deps: RuntimeDeps) {
  const { db, clock, passwordHashing } = deps
  // Verified against when no user has the email, so an unknown email costs the same scrypt as a wrong password.
  const decoyHash = hashPassword(randomToken(), passwordHashing)

  async function describeSession(merchantId: string, userId: string, csrfToken: string, expiresAt: Date) {
    const row = await findSessionUser(db, merchantId, userId)
    if (!row) throw unauthorized()
    return {
      user: { id: row.id, email: row.email, name: row.name, role: row.role },
      merchant: { id: merchantId, name: row.merchantName },
      csrfToken,
      expiresAt: expiresAt.toISOString(),
    } satisfies Session
  }

  return createRouter()
    .openapi(signIn, async (c) => {
      const body = c.req.valid('json')
      // Before any password is hashed: a throttled guess costs no scrypt and learns nothing.
      const address = clientAddress(c)
      await deps.rateLimits.signIn.check(body.email, address)
      const candidates = await findSignInCandidates(db, body.email, body.merchantId)
      let user: (typeof candidates)[number] | undefined
      for (const candidate of candidates) {
        if (await verifyPassword(body.password, candidate.password_hash)) {
          user = candidate
          break
        }
      }
      if (candidates.length === 0) await verifyPassword(body.password, await decoyHash)
      if (!user) {
        await deps.rateLimits.signIn.failed(body.email, address)
        throw wrongCredentials()
      }
      await deps.rateLimits.signIn.succeeded(body.email)
      // The one moment the password is known: a hash made with weaker parameters than today's is replaced.
      // Hashed before the transaction (scrypt takes a while and must not hold a connection).
      const rehashed = needsRehash(user.password_hash, passwordHashing)
        ? await hashPassword(body.password, passwordHashing)
        : undefined

      const now = new Date(clock.now())
      const session = await db.transaction().execute(async (trx) => {
        await recordSignIn(trx, user, now, rehashed)
        return createSession(trx, { merchantId: user.merchant_id, userId: user.id, now })
      })
      setSessionCookie(c, user.merchant_id, session.token)
      return c.json(
        await describeSession(user.merchant_id, user.id, session.csrfToken, session.expiresAt),
        200,
      )
    })
    .openapi(signOut, async (c) => {
      const caller = getSessionCaller(c)
      await deleteSession(db, caller.merchantId, caller.sessionId)
      // This replica's sockets of the session close now; other replicas' at their next heartbeat sweep.
      deps.sockets.closeSession(caller.sessionId)
      c.set('caller', undefined)
      clearSessionCookie(c)
      return c.body(null, 204)
    })
    .openapi(currentSession, async (c) => {
      const caller = getSessionCaller(c)
      return c.json(
        await describeSession(caller.merchantId, caller.userId, caller.csrfToken, caller.expiresAt),
        200,
      )
    })
}
