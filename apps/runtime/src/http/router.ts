// Route modules are OpenAPIHono routers built here, so every one shares the validation hook: zod failures
// answer 400 validation_failed with field details, except path parameters, where a malformed id simply
// names nothing (404), the same answer as an id that does not exist or belongs to another merchant.
// The hook is also where text hygiene applies to every validated body, query and path (text-hygiene.ts).
import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from './app-env.ts'
import { AppError, zodDetails } from './errors.ts'
import { assertSafeText, findUnsafeText } from './text-hygiene.ts'

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) {
        if (result.target === 'param') {
          if (findUnsafeText(result.data) !== undefined) throw new AppError(404, 'not_found', 'Not found')
        } else {
          assertSafeText(result.data)
        }
        return
      }
      if (result.target === 'param') throw new AppError(404, 'not_found', 'Not found')
      throw new AppError(400, 'validation_failed', 'The request is not valid', zodDetails(result.error))
    },
  })
}
