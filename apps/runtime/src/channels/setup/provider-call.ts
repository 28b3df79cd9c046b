// One set-up call to a provider (verify credentials, register webhooks, sync templates) under the egress
// policy. A refusal comes back in the provider's own words, so the owner reads what Meta, Telegram or Shopify
// said rather than a status code; nothing here is retried (the owner is waiting and can press again).
import type { RuntimeDeps } from '../../deps.ts'
import { egressFetch } from '../../egress/egress-fetch.ts'
import { AppError } from '../../http/errors.ts'

const TIMEOUT_MS = 15_000
const MAX_BODY_BYTES = 2 * 1024 * 1024

export interface ProviderJsonAnswer {
  status: number
  json: unknown
}

/** The provider refused (its words in the message) or could not be reached. */
export class ProviderRejectedError extends AppError {
  constructor(
    readonly provider: string,
    readonly providerMessage: string,
    status: 422 | 502 = 422,
  ) {
    super(status, 'provider_rejected', `${provider} said: ${providerMessage}`)
  }
}

/**
 * @example await callProviderJson(deps, 'Telegram', { method: 'POST', url, body: { url: hook } })
 */
export async function callProviderJson(
  deps: Pick<RuntimeDeps, 'egress'>,
  provider: string,
  request: { method: 'GET' | 'POST'; url: string; headers?: Record<string, string>; body?: unknown },
): Promise<ProviderJsonAnswer> {
  let answer: Awaited<ReturnType<typeof egressFetch>>
  try {
    answer = await egressFetch(deps.egress, {
      method: request.method,
      url: request.url,
      headers: {
        accept: 'application/json',
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      timeoutMs: TIMEOUT_MS,
      maxBodyBytes: MAX_BODY_BYTES,
    })
  } catch (error) {
    throw new ProviderRejectedError(provider, `could not be reached (${(error as Error).message})`, 502)
  }
  let json: unknown
  try {
    json = JSON.parse(answer.body.toString('utf8'))
  } catch {
    json = undefined
  }
  return { status: answer.status, json }
}

export type Obj = Record<string, unknown>
export const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
export const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined
