// Domain code throws plain domain errors (domain-errors.ts); the API answers them with one JSON shape and the
// status their kind maps to, in http/errors.ts only.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { ConflictError, NotFoundError, ValidationError } from '../domain-errors.ts'
import { isExpectedError, toErrorResponse } from './errors.ts'

function answering(error: Error): Hono {
  const app = new Hono()
  app.get('/', () => {
    throw error
  })
  app.onError((err, c) => toErrorResponse(err, c))
  return app
}

describe('domain errors over HTTP', () => {
  it.each([
    [new NotFoundError('Order'), 404, 'not_found', 'Order not found'],
    [new ConflictError('Take over the conversation before replying'), 409, 'conflict', undefined],
    [new ValidationError('Pick a later date', { field: 'at' }), 400, 'validation_failed', undefined],
  ] as const)('%s answers %i %s', async (error, status, code, message) => {
    const res = await answering(error).request('/')
    expect(res.status).toBe(status)
    const body = (await res.json()) as { error: { code: string; message: string; details?: unknown } }
    expect(body.error.code).toBe(code)
    expect(body.error.message).toBe(message ?? error.message)
    expect(body.error.details).toEqual(error.details)
    expect(isExpectedError(error)).toBe(true)
  })

  it('anything else is a 500 that says nothing of the cause', async () => {
    const res = await answering(new Error('connection refused to 10.0.0.5')).request('/')
    expect(res.status).toBe(500)
    expect(JSON.stringify(await res.json())).not.toContain('10.0.0.5')
    expect(isExpectedError(new Error('x'))).toBe(false)
  })
})
