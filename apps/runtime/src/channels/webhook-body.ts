// Raw webhook bodies: signatures are computed over the exact bytes, so read them once, verify, then parse.
import { bodyLimit } from '../http/body-limit.ts'
import { AppError } from '../http/errors.ts'
import { findUnsafeText, sanitizeText } from '../http/text-hygiene.ts'
import type { Logger } from '../observability/logger.ts'

export const WEBHOOK_MAX_BYTES = 1024 * 1024

/** Refuses bodies over 1 MB with 413 before they are read. */
export const webhookBodyLimit = bodyLimit({
  maxSize: WEBHOOK_MAX_BYTES,
  onError: () => {
    throw new AppError(413, 'payload_too_large', `Webhook bodies must be at most ${WEBHOOK_MAX_BYTES} bytes`)
  },
})

export async function readRawBody(request: Request): Promise<Buffer> {
  return Buffer.from(await request.arrayBuffer())
}

/**
 * JSON of an already verified body; a 400 invalid_json otherwise.
 *
 * Text the database cannot hold (NUL, unpaired surrogates) is sanitized here, not refused as in our own API
 * (text-hygiene.ts): the body is signed, so it really is the provider's, and a refusal (any non-2xx) makes
 * WhatsApp, Telegram and Shopify redeliver the same bytes for hours and then give up, losing the shopper's
 * message or the order with it, while stripping a NUL or replacing a broken surrogate with U+FFFD loses
 * nothing anybody can read. The same bytes always sanitize the same way, so receipts still dedupe redeliveries.
 */
export function parseVerifiedJson(raw: Buffer, logger: Logger, fields: Record<string, unknown>): unknown {
  let body: unknown
  try {
    body = JSON.parse(raw.toString('utf8'))
  } catch {
    throw new AppError(400, 'invalid_json', 'The webhook body is not valid JSON')
  }
  const field = findUnsafeText(body)
  if (field === undefined) return body
  logger.warn('webhook: NUL or unpaired surrogate sanitized', { ...fields, field })
  return sanitizeText(body)
}
