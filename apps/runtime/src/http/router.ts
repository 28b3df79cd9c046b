// Route modules are OpenAPIHono routers built here, so every one shares the validation hook: zod failures
// answer 400 validation_failed with field details, except path parameters, where a malformed id simply
// names nothing (404), the same answer as an id that does not exist or belongs to another merchant.
// The hook is also where text hygiene applies to every validated body, query and path (text-hygiene.ts).
import { OpenAPIHono } from '@hono/zod-openapi'
import type { z } from 'zod'
import type { AppEnv } from './app-env.ts'
import { AppError, zodDetails } from './errors.ts'
import { assertSafeText, findUnsafeText } from './text-hygiene.ts'

/**
 * The hook's rule for one validated part of a request (`param` the path, else a body or query): every route
 * the router builds applies it, and so does a hot route that validates by hand (json-request.ts).
 * @example checkValidated('json', bodySchema.safeParse(value)) // throws 400 validation_failed when refused
 */
export function checkValidated<T>(
  target: string,
  result: z.ZodSafeParseResult<T>,
): asserts result is z.ZodSafeParseSuccess<T> {
  if (result.success) {
    if (target === 'param') {
      if (findUnsafeText(result.data) !== undefined) throw new AppError(404, 'not_found', 'Not found')
    } else {
      assertSafeText(result.data)
    }
    return
  }
  if (target === 'param') throw new AppError(404, 'not_found', 'Not found')
  throw new AppError(400, 'validation_failed', 'The request is not valid', zodDetails(result.error))
}

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => checkValidated(result.target, result),
  })
}
