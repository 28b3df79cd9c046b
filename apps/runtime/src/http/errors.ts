// Typed errors: every failure the API reports carries an HTTP status and a code from a closed union,
// and serialises to one JSON shape: { error: { code, message, details? } }.
import type { ErrorCode } from '@parley/api'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ZodError } from 'zod'
import { DomainError, type DomainErrorKind } from '../domain-errors.ts'

export type { ErrorCode }

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown }
}

export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'AppError'
  }

  toJSON(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    }
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`)
export const badRequest = (message: string, details?: unknown) =>
  new AppError(400, 'bad_request', message, details)
export const unauthorized = (message = 'Sign in first') => new AppError(401, 'unauthorized', message)
export const forbidden = (message = 'Your role does not allow this') =>
  new AppError(403, 'forbidden', message)
export const conflict = (message: string, details?: unknown) =>
  new AppError(409, 'conflict', message, details)

/** 429 rate_limited; the response carries `Retry-After` (whole seconds, at least 1). */
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number

  constructor(message: string, retryAfterMs: number) {
    const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
    super(429, 'rate_limited', message, { retryAfterSeconds })
    this.retryAfterSeconds = retryAfterSeconds
  }
}

/** Zod issues as a compact list a client can show next to fields. */
export function zodDetails(error: ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
}

const httpExceptionCodes: Partial<Record<number, ErrorCode>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
}

/** The one place a domain error (domain-errors.ts) gets its HTTP status and code; a new kind fails typecheck here. */
const domainErrorStatus: Record<DomainErrorKind, { status: ContentfulStatusCode; code: ErrorCode }> = {
  not_found: { status: 404, code: 'not_found' },
  conflict: { status: 409, code: 'conflict' },
  validation: { status: 400, code: 'validation_failed' },
  taken: { status: 409, code: 'taken' },
  outside_window: { status: 422, code: 'outside_window' },
}

export function fromDomainError(err: DomainError): AppError {
  const { status, code } = domainErrorStatus[err.kind]
  return new AppError(status, code, err.message, err.details)
}

/** An error the API answers in words (4xx or a deliberate 5xx), not a failure to log. */
export function isExpectedError(err: unknown): boolean {
  return err instanceof AppError || err instanceof DomainError
}

/** Maps anything thrown inside a handler to the JSON error shape. */
export function toErrorResponse(err: unknown, c: Context): Response {
  if (err instanceof RateLimitedError) c.header('Retry-After', String(err.retryAfterSeconds))
  if (err instanceof AppError) return c.json(err.toJSON(), err.status)
  if (err instanceof DomainError) {
    const mapped = fromDomainError(err)
    return c.json(mapped.toJSON(), mapped.status)
  }
  if (err instanceof ZodError) {
    return c.json(
      new AppError(400, 'validation_failed', 'The request is not valid', zodDetails(err)).toJSON(),
      400,
    )
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode
    // Hono's validator reports unparseable JSON as a 400 HTTPException.
    if (status === 400 && /malformed json/i.test(err.message)) {
      return c.json(new AppError(400, 'invalid_json', 'The request body is not valid JSON').toJSON(), 400)
    }
    const code = httpExceptionCodes[status] ?? 'bad_request'
    return c.json(new AppError(status, code, err.message || 'Bad request').toJSON(), status)
  }
  if (err instanceof SyntaxError) {
    return c.json(new AppError(400, 'invalid_json', 'The request body is not valid JSON').toJSON(), 400)
  }
  return c.json(new AppError(500, 'internal', 'Something went wrong on our side').toJSON(), 500)
}
