// Canned replies: every staff member reads them (the inbox composer's `/` menu); owners and editors write them.
import { createRoute } from '@hono/zod-openapi'
import { cannedReplyInputSchema, cannedReplyListSchema, cannedReplySchema, idParamsSchema } from '@parley/api'
import type { CannedReply } from '@parley/db'
import type { RuntimeDeps } from '../deps.ts'
import { notFound } from '../http/errors.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { requireRole } from '../http/require-role.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'
import {
  createCannedReply,
  deleteCannedReply,
  listCannedReplies,
  updateCannedReply,
} from '../inbox/canned-replies.ts'

const tags = ['inbox']
const security = [{ session: [] }]
const writers = [requireSession, requireRole('owner', 'editor')]
const json = <S>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})
const body = { required: true, content: { 'application/json': { schema: cannedReplyInputSchema } } }

const routes = {
  list: createRoute({
    method: 'get',
    path: '/',
    tags,
    security,
    summary: 'The canned replies, by title',
    middleware: [requireSession],
    responses: { 200: json(cannedReplyListSchema, 'Canned replies'), ...errorResponses },
  }),
  create: createRoute({
    method: 'post',
    path: '/',
    tags,
    security,
    summary: 'Add a canned reply (owners and editors)',
    middleware: writers,
    request: { body },
    responses: { 201: json(cannedReplySchema, 'Created'), ...errorResponses },
  }),
  update: createRoute({
    method: 'put',
    path: '/{id}',
    tags,
    security,
    summary: 'Change a canned reply (owners and editors)',
    middleware: writers,
    request: { params: idParamsSchema, body },
    responses: { 200: json(cannedReplySchema, 'Updated'), ...errorResponses },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/{id}',
    tags,
    security,
    summary: 'Delete a canned reply (owners and editors)',
    middleware: writers,
    request: { params: idParamsSchema },
    responses: { 204: { description: 'Deleted' }, ...errorResponses },
  }),
}

function toDto(row: CannedReply) {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

export function cannedReplyRoutes(deps: RuntimeDeps) {
  const { db, clock } = deps
  return createRouter()
    .openapi(routes.list, async (c) => {
      const rows = await listCannedReplies(db, getSessionCaller(c).merchantId)
      return c.json({ cannedReplies: rows.map(toDto) }, 200)
    })
    .openapi(routes.create, async (c) => {
      const caller = getSessionCaller(c)
      const row = await createCannedReply(db, caller.merchantId, c.req.valid('json'), new Date(clock.now()))
      return c.json(toDto(row), 201)
    })
    .openapi(routes.update, async (c) => {
      const caller = getSessionCaller(c)
      const { id } = c.req.valid('param')
      const row = await updateCannedReply(
        db,
        caller.merchantId,
        id,
        c.req.valid('json'),
        new Date(clock.now()),
      )
      if (!row) throw notFound('Canned reply')
      return c.json(toDto(row), 200)
    })
    .openapi(routes.remove, async (c) => {
      const caller = getSessionCaller(c)
      const { id } = c.req.valid('param')
      if (!(await deleteCannedReply(db, caller.merchantId, id))) throw notFound('Canned reply')
      return c.body(null, 204)
    })
}
