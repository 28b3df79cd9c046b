// A JSON route's path parameters and body validated in one synchronous step, for a route on the hot path (the
// web-chat send: every shopper message). `app.openapi(route, …)` validates through three async middleware
// layers (@hono/zod-openapi's parameter validator, its media-type gate and its JSON validator, each awaiting
// zod's `safeParseAsync` and the router's hook): ~30 µs of CPU per request more than parsing the same schemas
// here, measured in-process (BENCHMARKS.md "Runtime CPU per inbound message, session 10"). Every answer is the
// same as that chain with router.ts' hook gives: a parameter that does not parse or is not clean text is a 404,
// a Content-Type that is not JSON (or a body without one) a 415, unparseable JSON a 400 invalid_json, a body the
// schema refuses a 400 validation_failed with its details, and text hygiene applies to the body. The route's
// OpenAPI entry is registered as before (`app.openAPIRegistry.registerPath`). Schemas used here must be
// synchronous (no async refinements): zod's `safeParse` throws on one.
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { z } from 'zod'
import { checkValidated } from './router.ts'

/** The media types @hono/zod-openapi's gate lets through for an `application/json` body. */
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i
/** The media types hono's JSON validator reads as JSON (others validate as `{}`). */
const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i

/**
 * @example const { params, body } = await validJsonRequest(c, webchatParamsSchema, visitorMessageRequestSchema)
 */
export async function validJsonRequest<P extends z.ZodType, B extends z.ZodType>(
  c: Context,
  paramsSchema: P,
  bodySchema: B,
): Promise<{ params: z.output<P>; body: z.output<B> }> {
  // The router's hook decides what a refused or unclean part answers (router.ts `checkValidated`).
  const params = paramsSchema.safeParse(c.req.param())
  checkValidated('param', params)
  const contentType = c.req.header('content-type')
  if (contentType === undefined ? await hasBody(c) : !JSON_REQUEST.test(contentType)) {
    throw new HTTPException(415, { message: 'Unsupported Media Type' })
  }
  let value: unknown = {}
  if (contentType !== undefined && JSON_MEDIA.test(contentType.split(';')[0]?.trim() ?? '')) {
    try {
      value = await c.req.json()
    } catch {
      // toErrorResponse answers it 400 invalid_json, as for hono's validator.
      throw new HTTPException(400, { message: 'Malformed JSON in request body' })
    }
  }
  const body = bodySchema.safeParse(value)
  checkValidated('json', body)
  return { params: params.data, body: body.data }
}

/** Whether a request without a Content-Type still carries bytes (only then read: rare). */
async function hasBody(c: Context): Promise<boolean> {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return false
  return (await c.req.arrayBuffer()).byteLength > 0
}
