// The `http.request` effect: never called inside a step. It is queued in the outbox as a job; the relay
// performs it after commit and feeds the answer back to the run as an `effect.result` event.
import type { JsonObject, NewOutboxEntry } from '@parley/db'
import type { HttpRequestEffect } from '@parley/flow'
import type { RuntimeDeps } from '../deps.ts'
import { egressFetch } from '../egress/egress-fetch.ts'
import { sanitizeText } from '../http/text-hygiene.ts'

export interface HttpJob {
  kind: 'http.request'
  runId: string
  effect: HttpRequestEffect
}

export const MAX_RESPONSE_BYTES = 256 * 1024

/** The outbox row of the request, on the conversation's channel (the relay's lanes are per channel). */
export function httpJobRow(
  run: { merchant_id: string; id: string },
  conversation: { id: string; channel_id: string },
  effect: HttpRequestEffect,
  now: number,
): NewOutboxEntry {
  const job: HttpJob = { kind: 'http.request', runId: run.id, effect }
  return {
    merchant_id: run.merchant_id,
    run_id: run.id,
    conversation_id: conversation.id,
    channel_id: conversation.channel_id,
    payload: JSON.parse(JSON.stringify(job)) as JsonObject,
    next_attempt_at: new Date(now),
    created_at: new Date(now),
    updated_at: new Date(now),
  }
}

/**
 * Performs the request through the egress policy (egress/): refused targets, redirect hops and oversized
 * bodies never reach the run beyond a failure or the capped body. The body is parsed as JSON when it is JSON.
 */
export async function performHttpRequest(
  deps: Pick<RuntimeDeps, 'egress'>,
  effect: HttpRequestEffect,
): Promise<{ ok: boolean; data: unknown }> {
  try {
    const response = await egressFetch(deps.egress, {
      method: effect.method,
      url: effect.url,
      headers: effect.headers,
      body: effect.body,
      timeoutMs: effect.timeoutMs,
      maxBodyBytes: MAX_RESPONSE_BYTES,
    })
    const text = response.body.toString('utf8')
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {}
    // An endpoint's answer is stored with the run: text Postgres cannot store (NUL, a broken surrogate) is
    // cleaned as verified webhooks are, or the step's write would fail.
    return {
      ok: response.status >= 200 && response.status < 300,
      data: { status: response.status, body: sanitizeText(body) },
    }
  } catch (error) {
    return { ok: false, data: { error: error instanceof Error ? error.message : String(error) } }
  }
}
