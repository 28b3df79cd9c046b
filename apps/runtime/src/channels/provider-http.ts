// Provider calls over node:http(s), tracking whether the request could have reached the provider. fetch()
// cannot tell "connection refused" from "timed out after the body was written"; the outbox must, because
// only the first is safe to retry.
import http, { type IncomingHttpHeaders } from 'node:http'
import https from 'node:https'

export interface ProviderResponse {
  status: number
  headers: IncomingHttpHeaders
  text: string
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown
}

export type ProviderCallOutcome =
  | { kind: 'response'; response: ProviderResponse }
  /** No connection was made (refused, DNS failure, connect timeout): the provider saw nothing. */
  | { kind: 'not_sent'; error: string }
  /** Connected and the request was (at least partly) written, then no complete answer: it may have acted. */
  | { kind: 'maybe_sent'; error: string }

export interface ProviderRequestOptions {
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  /** Whole-call budget: connect + write + answer. */
  timeoutMs: number
}

const MAX_RESPONSE_BYTES = 1024 * 1024

/**
 * @example const outcome = await callProvider(`${base}/123/messages`, payload, { headers: { authorization }, timeoutMs: 10_000 })
 */
export function callProvider(
  url: string,
  body: unknown,
  options: ProviderRequestOptions,
): Promise<ProviderCallOutcome> {
  return new Promise((resolve) => {
    let target: URL
    try {
      target = new URL(url)
    } catch {
      resolve({ kind: 'not_sent', error: `invalid provider URL` })
      return
    }
    const data = body === undefined ? undefined : JSON.stringify(body)
    const transport = target.protocol === 'https:' ? https : http
    let connected = false
    let settled = false
    const settle = (outcome: ProviderCallOutcome) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(outcome)
    }
    const failed = (error: Error) =>
      settle(
        connected
          ? { kind: 'maybe_sent', error: `no answer after the request was sent: ${error.message}` }
          : { kind: 'not_sent', error: `could not connect: ${describe(error)}` },
      )

    const request = transport.request(target, {
      method: options.method ?? 'POST',
      // A fresh connection per call: a reused keep-alive socket that the server already closed would fail
      // after "connecting" and wrongly look like a maybe-sent request.
      agent: false,
      headers: {
        accept: 'application/json',
        ...(data === undefined
          ? {}
          : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(data)) }),
        ...options.headers,
      },
    })
    request.on('socket', (socket) => {
      const event = target.protocol === 'https:' ? 'secureConnect' : 'connect'
      socket.once(event, () => {
        connected = true
      })
    })
    request.on('error', failed)
    request.on('response', (response) => {
      const chunks: Buffer[] = []
      let size = 0
      response.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk)
      })
      response.on('error', failed)
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let json: unknown
        try {
          json = text === '' ? undefined : JSON.parse(text)
        } catch {
          json = undefined
        }
        settle({
          kind: 'response',
          response: { status: response.statusCode ?? 0, headers: response.headers, text, json },
        })
      })
    })
    const timer = setTimeout(() => {
      failed(new Error(`timed out after ${options.timeoutMs} ms`))
      request.destroy()
    }, options.timeoutMs)
    request.end(data)
  })
}

function describe(error: Error & { code?: string }): string {
  return error.code ? `${error.code} ${error.message}` : error.message
}
