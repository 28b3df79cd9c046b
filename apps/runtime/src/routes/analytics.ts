// GET /api/analytics/recovery: the cart-recovery report for the signed-in merchant.
import { createRoute, z } from '@hono/zod-openapi'
import { recoveryReport } from '../analytics/recovery-report.ts'
import type { RuntimeDeps } from '../deps.ts'
import { badRequest } from '../http/errors.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { canReadAnalytics } from '../http/require-role.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'

const DAY = 24 * 60 * 60 * 1000

const money = z.object({ currency: z.string(), amount: z.number() })

const reportSchema = z.object({
  from: z.string(),
  to: z.string(),
  cartsAbandoned: z.number(),
  messagesSent: z.number(),
  cartsRecovered: z.number(),
  recoveryRate: z.number(),
  recoveredRevenue: z.array(money),
  templateCost: z.array(money),
  skippedSends: z.record(z.string(), z.number()),
})

const recovery = createRoute({
  method: 'get',
  path: '/recovery',
  tags: ['analytics'],
  summary: 'Carts abandoned and recovered, messages sent, revenue, template cost and skipped sends',
  security: [{ session: [] }],
  middleware: [requireSession, canReadAnalytics],
  request: {
    query: z.object({
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
    }),
  },
  responses: {
    200: { description: 'The report', content: { 'application/json': { schema: reportSchema } } },
    ...errorResponses,
  },
})

export function analyticsRoutes(deps: RuntimeDeps) {
  return createRouter().openapi(recovery, async (c) => {
    const caller = getSessionCaller(c)
    const query = c.req.valid('query')
    const to = query.to ? new Date(query.to) : new Date(deps.clock.now() + 1)
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY)
    if (from.getTime() >= to.getTime()) throw badRequest('"from" must be before "to"')
    return c.json(await recoveryReport(deps.db, caller.merchantId, { from, to }), 200)
  })
}
