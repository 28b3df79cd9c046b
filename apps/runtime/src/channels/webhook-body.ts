// Raw webhook bodies: signatures are computed over the exact bytes, so read them once, verify, then parse.
import { bodyLimit } from 'hono/body-limit'
import { AppError } from '../http/errors.ts'

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

/** JSON of an already verified body; a 400 invalid_json otherwise. */
export function parseVerifiedJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch {
    throw new AppError(400, 'invalid_json', 'The webhook body is not valid JSON')
  }
}
