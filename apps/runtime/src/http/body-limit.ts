// Request body size limits, decided from the headers whenever they can be. hono/body-limit asks for
// `c.req.raw.body` first, and on @hono/node-server that one property turns the lightweight request into a full
// web Request (undici Request, AbortController, a ReadableStream over the socket), and every later body read
// then goes through web streams instead of the direct read: on the web-chat message route that was ~10 % of
// the runtime's CPU per message (BENCHMARKS.md "Runtime CPU, session 7"). The answer is the same: a body with
// a Content-Length (node's HTTP parser reads exactly that many bytes) is judged by it; GET and HEAD have no
// body; anything else (chunked, or neither header) is counted byte by byte by hono's own middleware.
import type { MiddlewareHandler } from 'hono'
import { bodyLimit as honoBodyLimit } from 'hono/body-limit'
import type { AppEnv } from './app-env.ts'

export interface BodyLimitOptions {
  maxSize: number
  /** Called (or throws) when the body is larger than maxSize. */
  onError: () => never
}

/** @example app.use('/api/*', bodyLimit({ maxSize: 16 * 1024, onError: () => { throw tooLarge() } })) */
export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler<AppEnv> {
  const counted = honoBodyLimit({ maxSize: options.maxSize, onError: options.onError })
  return (c, next) => {
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD') return next()
    const length = c.req.header('content-length')
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return counted(c, next)
    return Number.parseInt(length, 10) > options.maxSize ? options.onError() : next()
  }
}
