// What a Cloud API error means for the send, decided by `error.code` as Meta asks (the HTTP status of a Graph API
// error says little: a throttled send can come back as 400). Codes from Meta's "WhatsApp error codes" page:
//   130429 rate limit hit (throughput), 131056 pair rate limit (same recipient), 80007 WABA rate limit
//     → retried with backoff, whatever the status
//   131047 re-engagement: more than 24 hours since the shopper last wrote → the step's template, else skipped
//   131050 the shopper stopped marketing messages from this business → their marketing opt-out
//   131049 not delivered "to maintain healthy ecosystem engagement" (per-user marketing limit) → Meta says not
//     to retry at once: tried again a day later
//   131026 undeliverable (not a WhatsApp number, terms of service not accepted, old app) → not retried: only
//     the shopper can fix it
// Any other code follows the HTTP status (send-result.ts).
import type { ProviderCallOutcome } from '../provider-http.ts'
import { toSendResult } from '../send-result.ts'
import type { SendResult } from '../types.ts'
import { whatsAppAnswers } from './whatsapp-adapter.ts'

export const WHATSAPP_THROTTLING_CODES = [130429, 131056, 80007] as const
export const WHATSAPP_OUTSIDE_WINDOW = 131047
export const WHATSAPP_MARKETING_STOPPED = 131050
export const WHATSAPP_ECOSYSTEM_LIMIT = 131049
export const WHATSAPP_UNDELIVERABLE = 131026

/** 131049: Meta limits marketing templates per user over a rolling day; sooner than that fails the same way. */
export const ECOSYSTEM_RETRY_MS = 24 * 60 * 60 * 1000

/** The Graph API error object of an answer, when it is one: `{ error: { message, type, code, error_data } }`. */
export function graphErrorCode(json: unknown): number | undefined {
  const error = (json as { error?: { code?: unknown } } | undefined)?.error
  if (!error || typeof error !== 'object') return undefined
  const code = typeof error.code === 'string' ? Number(error.code) : error.code
  return typeof code === 'number' && Number.isInteger(code) ? code : undefined
}

/**
 * @example whatsAppSendResult({ kind: 'response', response: { status: 400, json: { error: { code: 130429 } } } }, now)
 *   // { status: 'retry', ... }
 */
export function whatsAppSendResult(outcome: ProviderCallOutcome, nowMs: number): SendResult {
  const generic = toSendResult(outcome, whatsAppAnswers, nowMs)
  if (outcome.kind !== 'response' || outcome.response.status < 400) return generic
  const code = graphErrorCode(outcome.response.json)
  if (code === undefined) return generic
  const error = `${whatsAppAnswers.errorText(outcome.response.json) ?? 'error'} (HTTP ${outcome.response.status})`
  if ((WHATSAPP_THROTTLING_CODES as readonly number[]).includes(code)) {
    // A Retry-After the generic reading found (429) is kept; otherwise the relay's backoff applies.
    return generic.status === 'retry' ? { ...generic, error } : { status: 'retry', error }
  }
  switch (code) {
    case WHATSAPP_OUTSIDE_WINDOW:
      return { status: 'failed', error, consequence: 'outside_window' }
    case WHATSAPP_MARKETING_STOPPED:
      return { status: 'failed', error, consequence: 'marketing_stopped' }
    case WHATSAPP_ECOSYSTEM_LIMIT:
      return { status: 'retry', error, retryAfterMs: ECOSYSTEM_RETRY_MS }
    case WHATSAPP_UNDELIVERABLE:
      return { status: 'failed', error }
    default:
      return generic
  }
}
