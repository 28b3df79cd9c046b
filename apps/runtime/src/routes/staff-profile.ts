// GET/PUT /api/profile: how the signed-in staff member appears to shoppers (any role; each sets only their own).
import { createRoute } from '@hono/zod-openapi'
import { staffProfileSchema, updateStaffProfileRequestSchema } from '@parley/api'
import { readStaffProfile, updateStaffProfile } from '../accounts/staff-profile.ts'
import type { RuntimeDeps } from '../deps.ts'
import { notFound } from '../http/errors.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'

const tags = ['team']
const security = [{ session: [] }]
const profileResponse = {
  description: 'How shoppers see you',
  content: { 'application/json': { schema: staffProfileSchema } },
}

const read = createRoute({
  method: 'get',
  path: '/',
  tags,
  security,
  summary: 'How shoppers see you: display name and avatar',
  middleware: [requireSession],
  responses: { 200: profileResponse, ...errorResponses },
})

const update = createRoute({
  method: 'put',
  path: '/',
  tags,
  security,
  summary: 'Set your display name and avatar (null or empty clears one)',
  middleware: [requireSession],
  request: {
    body: { required: true, content: { 'application/json': { schema: updateStaffProfileRequestSchema } } },
  },
  responses: { 200: profileResponse, ...errorResponses },
})

export function staffProfileRoutes(deps: RuntimeDeps) {
  const { db, clock } = deps
  const current = async (merchantId: string, userId: string) => {
    const profile = await readStaffProfile(db, merchantId, userId)
    if (!profile) throw notFound('User')
    return profile
  }
  return createRouter()
    .openapi(read, async (c) => {
      const caller = getSessionCaller(c)
      return c.json(await current(caller.merchantId, caller.userId), 200)
    })
    .openapi(update, async (c) => {
      const caller = getSessionCaller(c)
      await updateStaffProfile(db, caller.merchantId, caller.userId, c.req.valid('json'), clock.now())
      return c.json(await current(caller.merchantId, caller.userId), 200)
    })
}
