// JSON bodies read by hand (routes whose body is optional, and the plain-Hono demo routes), held to the same
// rules as bodies the router validates: invalid JSON is a 400 invalid_json, and text hygiene applies.
import { AppError } from './errors.ts'
import { assertSafeText } from './text-hygiene.ts'

/**
 * The parsed body; with `optional`, an empty body reads as `{}`.
 * @example const { note } = handBackRequestSchema.parse(await readJsonBody(c.req.raw, { optional: true }))
 */
export async function readJsonBody(request: Request, options: { optional?: boolean } = {}): Promise<unknown> {
  const text = await request.text()
  if (options.optional && text.trim() === '') return {}
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new AppError(400, 'invalid_json', 'The request body is not valid JSON')
  }
  assertSafeText(body)
  return body
}
