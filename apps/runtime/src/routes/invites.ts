// Accepting a team invitation (public: the link's single-use token is the credential). The invitee reads who
// invited them to what, then sets a name and password; they are signed in at once.
import { createRoute } from '@hono/zod-openapi'
import {
  acceptInviteRequestSchema,
  invitationSchema,
  inviteTokenParamsSchema,
  sessionSchema,
} from '@parley/api'
import { acceptInvite, findUsableInvite } from '../accounts/invites.ts'
import { createSession } from '../accounts/sessions.ts'
import type { RuntimeDeps } from '../deps.ts'
import { AppError, conflict } from '../http/errors.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { createRouter } from '../http/router.ts'
import { setSessionCookie } from '../http/session-auth.ts'
import { hashPassword } from '../security/password.ts'

const unusable = () =>
  new AppError(
    404,
    'not_found',
    'This invitation link has expired, was already used, or was withdrawn. Ask the store owner for a new one.',
  )

const preview = createRoute({
  method: 'get',
  path: '/{token}',
  tags: ['team'],
  summary: 'What an invitation link is for (email, role, store)',
  request: { params: inviteTokenParamsSchema },
  responses: {
    200: { description: 'The invitation', content: { 'application/json': { schema: invitationSchema } } },
    ...errorResponses,
  },
})

const accept = createRoute({
  method: 'post',
  path: '/accept',
  tags: ['team'],
  summary: 'Accept an invitation with a name and password; signs the new member in',
  request: {
    body: { required: true, content: { 'application/json': { schema: acceptInviteRequestSchema } } },
  },
  responses: {
    200: { description: 'Signed in', content: { 'application/json': { schema: sessionSchema } } },
    ...errorResponses,
  },
})

export function inviteRoutes(deps: RuntimeDeps) {
  const { db, clock } = deps
  return createRouter()
    .openapi(preview, async (c) => {
      const { token } = c.req.valid('param')
      const invite = await findUsableInvite(db, token, new Date(clock.now()))
      if (!invite) throw unusable()
      return c.json(
        {
          email: invite.email,
          role: invite.role,
          merchantName: invite.merchant_name,
          expiresAt: invite.expires_at.toISOString(),
        },
        200,
      )
    })
    .openapi(accept, async (c) => {
      const body = c.req.valid('json')
      // Hashed before the transaction: scrypt takes a while and must not hold a connection.
      const passwordHash = await hashPassword(body.password, deps.passwordHashing)
      const now = new Date(clock.now())
      const accepted = await db.transaction().execute(async (trx) => {
        // Locked: two tabs submitting the same link cannot both use it.
        const invite = await findUsableInvite(trx, body.token, now, { lock: true })
        if (!invite) throw unusable()
        const member = await acceptInvite(trx, invite, { name: body.name, passwordHash, now })
        if (!member) throw conflict(`${invite.email} is already on the team: sign in instead`)
        await trx
          .updateTable('users')
          .set({ last_sign_in_at: now })
          .where('merchant_id', '=', invite.merchant_id)
          .where('id', '=', member.userId)
          .execute()
        const session = await createSession(trx, {
          merchantId: invite.merchant_id,
          userId: member.userId,
          now,
        })
        return { invite, userId: member.userId, session }
      })
      setSessionCookie(c, accepted.invite.merchant_id, accepted.session.token)
      return c.json(
        {
          user: {
            id: accepted.userId,
            email: accepted.invite.email,
            name: body.name,
            role: accepted.invite.role,
          },
          merchant: { id: accepted.invite.merchant_id, name: accepted.invite.merchant_name },
          csrfToken: accepted.session.csrfToken,
          expiresAt: accepted.session.expiresAt.toISOString(),
        },
        200,
      )
    })
}
