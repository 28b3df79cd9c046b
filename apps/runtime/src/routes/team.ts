// The team (owner only): members with their roles, pending invitations, inviting, changing a role, removing.
// The store always keeps one owner: the last owner can be neither demoted nor removed.
import { createRoute } from '@hono/zod-openapi'
import {
  createdInviteSchema,
  createInviteRequestSchema,
  INVITE_TTL_DAYS,
  type InviteSummary,
  idParamsSchema,
  type TeamMember,
  teamSchema,
  updateMemberRequestSchema,
} from '@parley/api'
import type { Invite, User } from '@parley/db'
import { createInvite, listPendingInvites, revokeInvite } from '../accounts/invites.ts'
import { findMember, listMembers, lockOwners, removeMember, setMemberRole } from '../accounts/team-members.ts'
import type { RuntimeDeps } from '../deps.ts'
import { conflict, notFound } from '../http/errors.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { ownerOnly } from '../http/require-role.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'

const guard = [requireSession, ownerOnly]
const DAY_MS = 24 * 60 * 60 * 1000
const lastOwner = () => conflict('The store needs at least one owner. Make someone else an owner first.')

const read = createRoute({
  method: 'get',
  path: '/',
  tags: ['team'],
  summary: 'Members and pending invitations',
  security: [{ session: [] }],
  middleware: guard,
  responses: {
    200: { description: 'The team', content: { 'application/json': { schema: teamSchema } } },
    ...errorResponses,
  },
})

const invite = createRoute({
  method: 'post',
  path: '/invites',
  tags: ['team'],
  summary: 'Invite a person by email with a role; the response is the only time the link token is shown',
  security: [{ session: [] }],
  middleware: guard,
  request: {
    body: { required: true, content: { 'application/json': { schema: createInviteRequestSchema } } },
  },
  responses: {
    201: { description: 'Invited', content: { 'application/json': { schema: createdInviteSchema } } },
    ...errorResponses,
  },
})

const cancelInvite = createRoute({
  method: 'delete',
  path: '/invites/{id}',
  tags: ['team'],
  summary: 'Withdraw a pending invitation (its link stops working)',
  security: [{ session: [] }],
  middleware: guard,
  request: { params: idParamsSchema },
  responses: { 204: { description: 'Withdrawn' }, ...errorResponses },
})

const changeRole = createRoute({
  method: 'put',
  path: '/members/{id}',
  tags: ['team'],
  summary: "Change a member's role",
  security: [{ session: [] }],
  middleware: guard,
  request: {
    params: idParamsSchema,
    body: { required: true, content: { 'application/json': { schema: updateMemberRequestSchema } } },
  },
  responses: { 204: { description: 'Changed' }, ...errorResponses },
})

const remove = createRoute({
  method: 'delete',
  path: '/members/{id}',
  tags: ['team'],
  summary: 'Remove a member: they can no longer sign in, and their sessions end now',
  security: [{ session: [] }],
  middleware: guard,
  request: { params: idParamsSchema },
  responses: { 204: { description: 'Removed' }, ...errorResponses },
})

export function toInviteSummary(row: Invite): InviteSummary {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
  }
}

function toMember(user: User, callerId: string): TeamMember {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    lastSignInAt: user.last_sign_in_at?.toISOString() ?? null,
    isYou: user.id === callerId,
  }
}

export function teamRoutes(deps: RuntimeDeps) {
  const { db, clock } = deps
  return createRouter()
    .openapi(read, async (c) => {
      const caller = getSessionCaller(c)
      const [members, invites] = await Promise.all([
        listMembers(db, caller.merchantId),
        listPendingInvites(db, caller.merchantId, new Date(clock.now())),
      ])
      return c.json(
        { members: members.map((m) => toMember(m, caller.userId)), invites: invites.map(toInviteSummary) },
        200,
      )
    })
    .openapi(invite, async (c) => {
      const caller = getSessionCaller(c)
      const { email, role } = c.req.valid('json')
      const now = new Date(clock.now())
      const created = await db.transaction().execute(async (trx) => {
        const member = await trx
          .selectFrom('users')
          .select('id')
          .where('merchant_id', '=', caller.merchantId)
          .where('email', '=', email)
          .where('disabled_at', 'is', null)
          .executeTakeFirst()
        if (member) throw conflict(`${email} is already on the team`)
        return createInvite(trx, {
          merchantId: caller.merchantId,
          email,
          role,
          createdBy: caller.userId,
          now,
          ttlMs: INVITE_TTL_DAYS * DAY_MS,
        })
      })
      return c.json({ invite: toInviteSummary(created.invite), token: created.token }, 201)
    })
    .openapi(cancelInvite, async (c) => {
      const caller = getSessionCaller(c)
      const { id } = c.req.valid('param')
      if (!(await revokeInvite(db, caller.merchantId, id, new Date(clock.now()))))
        throw notFound('Invitation')
      return c.body(null, 204)
    })
    .openapi(changeRole, async (c) => {
      const caller = getSessionCaller(c)
      const { id } = c.req.valid('param')
      const { role } = c.req.valid('json')
      await db.transaction().execute(async (trx) => {
        const owners = await lockOwners(trx, caller.merchantId)
        const member = await findMember(trx, caller.merchantId, id)
        if (!member) throw notFound('Team member')
        if (member.role === 'owner' && role !== 'owner' && owners.length <= 1) throw lastOwner()
        await setMemberRole(trx, caller.merchantId, id, role, new Date(clock.now()))
      })
      return c.body(null, 204)
    })
    .openapi(remove, async (c) => {
      const caller = getSessionCaller(c)
      const { id } = c.req.valid('param')
      const ended = await db.transaction().execute(async (trx) => {
        const owners = await lockOwners(trx, caller.merchantId)
        const member = await findMember(trx, caller.merchantId, id)
        if (!member) throw notFound('Team member')
        if (member.role === 'owner' && owners.length <= 1) throw lastOwner()
        return removeMember(trx, caller.merchantId, id, new Date(clock.now()))
      })
      // This replica's sockets of those sessions close now; other replicas' at their next heartbeat sweep.
      for (const sessionId of ended) deps.sockets.closeSession(sessionId)
      return c.body(null, 204)
    })
}
