// One structured log line per request, and the request counter by method and status class.
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './app-env.ts'

export const accessLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now()
  await next()
  // c.get, not c.var (a new object of every request variable on each read): this runs on every request.
  const { logger, metrics } = c.get('deps')
  const status = c.res.status
  metrics.httpRequests.inc({ method: c.req.method, status: `${Math.floor(status / 100)}xx` })
  const caller = c.get('caller')
  logger[status >= 500 ? 'error' : 'info']('http request', {
    requestId: c.get('requestId'),
    method: c.req.method,
    path: c.req.path,
    status,
    ms: Math.round((performance.now() - started) * 10) / 10,
    ...(caller ? { merchantId: caller.merchantId } : {}),
  })
}
