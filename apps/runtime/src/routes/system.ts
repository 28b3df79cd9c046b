// Operational endpoints: liveness with a database ping, Prometheus metrics (behind METRICS_TOKEN: queue depths
// and traffic are not for the public; without a token configured, production hides the endpoint entirely).
import { createRoute, z } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import { sql } from 'kysely'
import { secretsMatch } from '../channels/secret-compare.ts'
import type { RuntimeDeps } from '../deps.ts'
import type { AppEnv } from '../http/app-env.ts'
import { AppError } from '../http/errors.ts'
import { errorResponses } from '../http/openapi-responses.ts'
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
  summary:
    'Prometheus metrics (text exposition format); Authorization: Bearer <METRICS_TOKEN> when one is set',
  security: [{ metricsToken: [] }],
  responses: {
    200: { description: 'Metrics', content: { 'text/plain': { schema: z.string() } } },
    ...errorResponses,
  },
})

/** 401 without the bearer METRICS_TOKEN; without one configured, 404 in production and open elsewhere. */
export function requireMetricsToken(config: RuntimeDeps['config']): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = config.METRICS_TOKEN
    if (token === undefined) {
      if (config.NODE_ENV === 'production') throw new AppError(404, 'not_found', 'No such route')
      return next()
    }
    const presented = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1]
    if (presented === undefined || !secretsMatch(presented, token)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"')
      throw new AppError(401, 'unauthorized', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>')
    }
    return next()
  }
}

export function systemRoutes(deps: RuntimeDeps) {
  const router = createRouter()
  router.openAPIRegistry.registerComponent('securitySchemes', 'metricsToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'METRICS_TOKEN from the runtime configuration',
  })
  return router
    .openapi(healthz, async (c) => {
      try {
        await sql`select 1`.execute(deps.db)
        return c.json({ ok: true, database: 'up' as const }, 200)
      } catch (error) {
        deps.logger.error('health check failed', { error })
        return c.json({ ok: false, database: 'down' as const }, 503)
      }
    })
    .openapi({ ...metrics, middleware: [requireMetricsToken(deps.config)] }, async (c) => {
      const text = await deps.metrics.render()
      return c.text(text, 200, { 'content-type': deps.metrics.contentType })
    })
}
