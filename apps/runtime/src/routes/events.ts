// POST /api/events: commerce events from the store, authenticated with an API key. A repeated event id is
// acknowledged as a duplicate and changes nothing.
import { createRoute, z } from '@hono/zod-openapi'
import { storeEventSchema } from '../commerce/store-event-schema.ts'
import { processStoreEvent } from '../commerce/store-events.ts'
import type { RuntimeDeps } from '../deps.ts'
import { requireApiKey } from '../http/api-key-auth.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { createRouter } from '../http/router.ts'
import { getApiKeyCaller } from '../http/tenant.ts'

const acceptedSchema = z.object({
  id: z.string(),
  duplicate: z.boolean(),
  /** cart.updated: when the cart counts as abandoned without further activity (null: not watched). */
  abandonAt: z.string().nullable().optional(),
  runsStepped: z.number(),
  runsStarted: z.number(),
})

const post = createRoute({
  method: 'post',
  path: '/',
  tags: ['events'],
  summary: 'Report a store event: cart.updated, order.created or order.shipped',
  security: [{ apiKey: [] }],
  middleware: [requireApiKey],
  request: { body: { required: true, content: { 'application/json': { schema: storeEventSchema } } } },
  responses: {
    202: {
      description: 'Accepted (or a duplicate)',
      content: { 'application/json': { schema: acceptedSchema } },
    },
    ...errorResponses,
  },
})

export function eventRoutes(deps: RuntimeDeps) {
  return createRouter().openapi(post, async (c) => {
    const { merchantId } = getApiKeyCaller(c)
    const event = c.req.valid('json')
    const result = await processStoreEvent(deps, merchantId, event)
    return c.json(
      {
        id: event.id,
        duplicate: result.duplicate,
        ...(result.abandonAt === undefined ? {} : { abandonAt: result.abandonAt }),
        runsStepped: result.stepped.length,
        runsStarted: result.started.length,
      },
      202,
    )
  })
}
