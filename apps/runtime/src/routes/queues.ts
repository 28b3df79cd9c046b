// Escalation queues (owner only): read with their defaults and the store's hours, replaced whole, validated by
// the shared schema (@parley/api queues.ts) so the Settings screen shows the same messages.
import { createRoute } from '@hono/zod-openapi'
import {
  type EscalationQueuesResponse,
  escalationQueuesResponseSchema,
  escalationQueuesSchema,
  type Weekday,
} from '@parley/api'
import type { RuntimeDeps } from '../deps.ts'
import type { Db } from '../engine/step-transaction.ts'
import { DEFAULT_QUEUES, readQueues, replaceQueues } from '../handoff/escalation-queues.ts'
import { notFound } from '../http/errors.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { ownerOnly } from '../http/require-role.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'

const guard = [requireSession, ownerOnly]
const queuesResponse = {
  description: 'The queues, their defaults and the store’s business hours',
  content: { 'application/json': { schema: escalationQueuesResponseSchema } },
}

const read = createRoute({
  method: 'get',
  path: '/',
  tags: ['settings'],
  summary: 'Escalation queues',
  security: [{ session: [] }],
  middleware: guard,
  responses: { 200: queuesResponse, ...errorResponses },
})

const replace = createRoute({
  method: 'put',
  path: '/',
  tags: ['settings'],
  summary: 'Replace the escalation queues (all at once)',
  security: [{ session: [] }],
  middleware: guard,
  request: { body: { required: true, content: { 'application/json': { schema: escalationQueuesSchema } } } },
  responses: { 200: queuesResponse, ...errorResponses },
})

async function respond(db: Db, merchantId: string): Promise<EscalationQueuesResponse> {
  const merchant = await db
    .selectFrom('merchants')
    .select(['business_hours', 'timezone'])
    .where('id', '=', merchantId)
    .executeTakeFirst()
  if (!merchant) throw notFound('Store')
  const hours = merchant.business_hours
  return {
    queues: await readQueues(db, merchantId),
    defaults: DEFAULT_QUEUES.map((q) => ({ ...q })),
    storeBusinessHours: hours
      ? { days: hours.days as Weekday[], open: hours.open, close: hours.close }
      : null,
    timezone: merchant.timezone,
  }
}

export function queueRoutes(deps: RuntimeDeps) {
  const { db, clock } = deps
  return createRouter()
    .openapi(read, async (c) => c.json(await respond(db, getSessionCaller(c).merchantId), 200))
    .openapi(replace, async (c) => {
      const caller = getSessionCaller(c)
      const { queues } = c.req.valid('json')
      await db.transaction().execute((trx) => replaceQueues(trx, caller.merchantId, queues, clock.now()))
      return c.json(await respond(db, caller.merchantId), 200)
    })
}
