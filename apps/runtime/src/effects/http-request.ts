// The `http.request` effect: never called inside a step. It is queued in the outbox as a job; the relay
// performs it after commit and feeds the answer back to the run as an `effect.result` event.
import type { JsonObject, NewOutboxEntry } from '@parley/db'
import type { HttpRequestEffect } from '@parley/flow'

export interface HttpJob {
  kind: 'http.request'
  runId: string
  effect: HttpRequestEffect
}

const MAX_RESPONSE_BYTES = 256 * 1024

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

/** Performs the request with its timeout; the body is parsed as JSON when it is JSON. */
export async function performHttpRequest(effect: HttpRequestEffect): Promise<{ ok: boolean; data: unknown }> {
  try {
    const response = await fetch(effect.url, {
      method: effect.method,
      headers: effect.headers,
      ...(effect.body !== undefined && effect.method !== 'GET' ? { body: effect.body } : {}),
      signal: AbortSignal.timeout(effect.timeoutMs),
      redirect: 'follow',
    })
    const text = (await response.text()).slice(0, MAX_RESPONSE_BYTES)
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {}
    return { ok: response.ok, data: { status: response.status, body } }
  } catch (error) {
    return { ok: false, data: { error: error instanceof Error ? error.message : String(error) } }
  }
}
