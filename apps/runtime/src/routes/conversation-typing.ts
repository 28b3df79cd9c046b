// POST /api/conversations/{id}/typing: the staff member who has the conversation is typing; the shopper's widget
// shows "Sam is typing…" until it expires (packages/api/src/typing.ts). Only the assignee may signal: a
// colleague reading along is not the one the shopper is waiting for.
import { createRoute } from '@hono/zod-openapi'
import { idParamsSchema, typingAcceptedSchema } from '@parley/api'
import type { RuntimeDeps } from '../deps.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'
import { signalStaffTyping } from '../inbox/staff-typing.ts'

const typingRoute = createRoute({
  method: 'post',
  path: '/{id}/typing',
  tags: ['inbox'],
  security: [{ session: [] }],
  summary: 'Tell the shopper the assignee is typing (throttled; the widget hides it after a few seconds)',
  middleware: [requireSession],
  request: { params: idParamsSchema },
  responses: {
    202: {
      description: 'Accepted (published: false when inside the throttle)',
      content: { 'application/json': { schema: typingAcceptedSchema } },
    },
    409: { description: 'The caller does not have the conversation', content: {} },
    ...errorResponses,
  },
})

export function conversationTypingRoutes(deps: RuntimeDeps) {
  const app = createRouter()
  app.openapi(typingRoute, async (c) => {
    const caller = getSessionCaller(c)
    const { id } = c.req.valid('param')
    const published = await signalStaffTyping(deps, caller, id)
    return c.json({ published }, 202)
  })
  return app
}
