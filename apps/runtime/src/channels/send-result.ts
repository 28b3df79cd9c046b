// Mapping a provider's answer to a SendResult. Only answers that prove nothing was sent are `retry`:
// no connection, 429, or a 5xx that carries the provider's own error body (it reached the API and was refused).
// A 5xx without one (a proxy's 502 page) or a timeout after writing may have been acted on: `unknown`.
import type { ProviderCallOutcome } from './provider-http.ts'
import type { SendResult } from './types.ts'

export interface ProviderAnswerReader {
  /** The provider's message id in a successful answer. */
  messageId(json: unknown): string | undefined
  /** The provider's error description, when the body is one of its error objects. */
  errorText(json: unknown): string | undefined
  /** A retry hint inside the body (Telegram's parameters.retry_after), in ms. */
  retryAfterMs?(json: unknown): number | undefined
}

export function toSendResult(
  outcome: ProviderCallOutcome,
  reader: ProviderAnswerReader,
  nowMs: number,
): SendResult {
  if (outcome.kind === 'not_sent') return { status: 'retry', error: outcome.error }
  if (outcome.kind === 'maybe_sent') return { status: 'unknown', error: outcome.error }
  const { status, json, headers } = outcome.response
  const providerError = reader.errorText(json)
  const describe = (what: string) => `${what} (HTTP ${status})${providerError ? `: ${providerError}` : ''}`
  if (status >= 200 && status < 300) {
    const id = reader.messageId(json)
    return id
      ? { status: 'sent', providerMessageId: id }
      : { status: 'unknown', error: describe('accepted without a message id') }
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headers['retry-after'], nowMs) ?? reader.retryAfterMs?.(json)
    return {
      status: 'retry',
      error: describe('rate limited'),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    }
  }
  if (status >= 500) {
    return providerError
      ? { status: 'retry', error: describe('provider error') }
      : { status: 'unknown', error: describe('server error without an error body') }
  }
  if (status >= 400) return { status: 'failed', error: describe('rejected') }
  return { status: 'unknown', error: describe('unexpected answer') }
}

/** Retry-After as delta-seconds or an HTTP date; ms from now. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const header = Array.isArray(value) ? value[0] : value
  if (!header) return undefined
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs)
}
