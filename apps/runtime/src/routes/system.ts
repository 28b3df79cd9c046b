// Operational endpoints: liveness with a database ping, Prometheus metrics.
import { createRoute, z } from '@hono/zod-openapi'
import { sql } from 'kysely'
import type { RuntimeDeps } from '../deps.ts'
import { createRouter } from '../http/router.ts'

const healthSchema = z.object({ ok: z.boolean(), database: z.enum(['up', 'down']) }).meta({ id: 'Health' })

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['system'],
  summary: 'Liveness and database reachability',
  responses: {
    200: { description: 'Up', content: { 'application/json': { schema: healthSchema } } },
    503: {
      description: 'The database does not answer',
      content: { 'application/json': { schema: healthSchema } },
    },
  },
})

const metrics = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['system'],
  summary: 'Prometheus metrics (text exposition format)',
  responses: { 200: { description: 'Metrics', content: { 'text/plain': { schema: z.string() } } } },
})

export function systemRoutes(deps: RuntimeDeps) {
  return createRouter()
    .openapi(healthz, async (c) => {
      try {
        await sql`select 1`.execute(deps.db)
        return c.json({ ok: true, database: 'up' as const }, 200)
      } catch (error) {
        deps.logger.error('health check failed', { error })
        return c.json({ ok: false, database: 'down' as const }, 503)
      }
    })
    .openapi(metrics, async (c) => {
      const text = await deps.metrics.registry.render()
      return c.text(text, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
    })
}
