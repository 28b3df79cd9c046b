// Privacy requests from Shopify (channels/shopify/shopify-compliance.ts), for the owner: the list, and the export
// a customer data request produced, downloaded as a JSON file. Owner only: an export is a shopper's personal data.
import { createRoute } from '@hono/zod-openapi'
import { idParamsSchema, privacyExportSchema, privacyRequestListSchema } from '@parley/api'
import { findPrivacyExport, listPrivacyRequests } from '../contacts/privacy-requests.ts'
import type { RuntimeDeps } from '../deps.ts'
import { notFound } from '../http/errors.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { ownerOnly } from '../http/require-role.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'

const guard = [requireSession, ownerOnly]

const list = createRoute({
  method: 'get',
  path: '/requests',
  tags: ['privacy'],
  summary: 'Privacy requests received from the store, newest first',
  security: [{ session: [] }],
  middleware: guard,
  responses: {
    200: { description: 'Requests', content: { 'application/json': { schema: privacyRequestListSchema } } },
    ...errorResponses,
  },
})

const download = createRoute({
  method: 'get',
  path: '/exports/{id}',
  tags: ['privacy'],
  summary: "A customer data request's export, as a JSON file to send to the shopper",
  security: [{ session: [] }],
  middleware: guard,
  request: { params: idParamsSchema },
  responses: {
    200: { description: 'The export', content: { 'application/json': { schema: privacyExportSchema } } },
    ...errorResponses,
  },
})

export function privacyRoutes(deps: RuntimeDeps) {
  const { db } = deps
  return createRouter()
    .openapi(list, async (c) => {
      const caller = getSessionCaller(c)
      return c.json({ requests: await listPrivacyRequests(db, caller.merchantId) }, 200)
    })
    .openapi(download, async (c) => {
      const caller = getSessionCaller(c)
      const { id } = c.req.valid('param')
      const found = await findPrivacyExport(db, caller.merchantId, id)
      if (!found) throw notFound('Export')
      c.header('content-disposition', `attachment; filename="customer-data-${id}.json"`)
      c.header('cache-control', 'no-store')
      return c.json(privacyExportSchema.parse(found), 200)
    })
}
