// GET /api/simulation-world: the store's world for the editor's simulator (catalogue, sample carts and orders,
// the shopper, send-policy settings). Staff who edit flows read it; `?contactId=` plays a chosen contact.
import { createRoute } from '@hono/zod-openapi'
import { simulationWorldQuerySchema, simulationWorldSchema } from '@parley/api'
import type { RuntimeDeps } from '../deps.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { canEditFlows } from '../http/require-role.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'
import { buildSimulationWorld } from '../simulation/simulation-world.ts'

const world = createRoute({
  method: 'get',
  path: '/',
  tags: ['simulator'],
  summary: "The store's world the simulator plays a flow in",
  security: [{ session: [] }],
  middleware: [requireSession, canEditFlows],
  request: { query: simulationWorldQuerySchema },
  responses: {
    200: { description: 'World', content: { 'application/json': { schema: simulationWorldSchema } } },
    ...errorResponses,
  },
})

export function simulationWorldRoutes(deps: RuntimeDeps) {
  return createRouter().openapi(world, async (c) => {
    const caller = getSessionCaller(c)
    const { contactId } = c.req.valid('query')
    const body = await buildSimulationWorld(deps.db, caller.merchantId, {
      now: deps.clock.now(),
      ...(contactId ? { contactId } : {}),
    })
    return c.json(body, 200)
  })
}
