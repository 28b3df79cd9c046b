// One outbound HTTP request under the egress policy: redirects followed by hand (each hop judged again, at
// most 3), a deadline over the whole exchange, and the body read only up to a byte cap (the connection is
// dropped there, so a 48 MB answer costs about the cap, not 48 MB).
import { isIP } from 'node:net'
import { egressRefusal } from '@parley/flow'
import { request } from 'undici'
import { type Egress, EgressRefusedError, refusedError } from './egress-agent.ts'

export const MAX_REDIRECTS = 3
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
/** Credentials meant for one server are not carried to another. */
const CROSS_ORIGIN_DROPPED = ['authorization', 'cookie', 'proxy-authorization']

export interface EgressRequest {
  method: string
  url: string
  headers?: Record<string, string>
  body?: string
  /** For the whole exchange: every hop and the body. */
  timeoutMs: number
  maxBodyBytes: number
}

export interface EgressResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** At most maxBodyBytes. */
  body: Buffer
  /** The server had more than maxBodyBytes to send. */
  truncated: boolean
  /** Where the answer came from, after redirects. */
  url: string
}

/**
 * Performs `req` through the egress dispatcher. Throws EgressRefusedError when the policy refuses a hop, and
 * undici's errors (timeout, connection refused) otherwise.
 * @example await egressFetch(deps.egress, { method: 'GET', url, timeoutMs: 10_000, maxBodyBytes: 256 * 1024 })
 */
export async function egressFetch(egress: Egress, req: EgressRequest): Promise<EgressResponse> {
  const signal = AbortSignal.timeout(req.timeoutMs)
  let url = parseUrl(req.url)
  let method = req.method.toUpperCase()
  let body = method === 'GET' || method === 'HEAD' ? undefined : req.body
  let headers = { ...req.headers }
  for (let hop = 0; ; hop++) {
    checkUrl(egress, url)
    const response = await request(url, { method, headers, body, signal, dispatcher: egress.dispatcher })
    const location = response.headers.location
    if (REDIRECT_STATUSES.has(response.statusCode) && typeof location === 'string') {
      await response.body.dump()
      if (hop === MAX_REDIRECTS) throw new EgressRefusedError(`Refused: more than ${MAX_REDIRECTS} redirects`)
      const next = parseUrl(location, url)
      if (next.origin !== url.origin) headers = without(headers, CROSS_ORIGIN_DROPPED)
      // As browsers do: 303 always, and 301/302 after a POST, continue as a GET without the body.
      if (response.statusCode === 303 || (response.statusCode <= 302 && method === 'POST')) {
        method = 'GET'
        body = undefined
        headers = without(headers, ['content-type', 'content-length'])
      }
      url = next
      continue
    }
    const { bytes, truncated } = await readCapped(response.body, req.maxBodyBytes)
    return { status: response.statusCode, headers: response.headers, body: bytes, truncated, url: url.href }
  }
}

/**
 * An address parsed and judged before connecting (scheme, port, IP-literal host; host names are judged at connect
 * time): for callers that send with their own client through the egress agent, such as the LLM's chat completions.
 */
export function checkedEgressUrl(egress: Egress, text: string): URL {
  const url = parseUrl(text)
  checkUrl(egress, url)
  return url
}

function parseUrl(text: string, base?: URL): URL {
  try {
    return new URL(text, base)
  } catch {
    throw new EgressRefusedError('Refused: not a valid web address')
  }
}

/** What can be judged before connecting: the scheme, the port and an IP-literal host. */
function checkUrl(egress: Egress, url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EgressRefusedError(`Refused: only http and https addresses can be called, not ${url.protocol}`)
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80
  const bare = url.hostname.replace(/^\[|\]$/g, '')
  const refusal = egressRefusal(egress.allowList, {
    hostname: bare,
    port,
    address: isIP(bare) ? bare : undefined,
  })
  if (refusal) throw refusedError(bare, refusal)
}

function without(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name.toLowerCase())))
}

/** Reads up to `cap` bytes; leaving the loop early destroys the stream, which closes the connection. */
async function readCapped(
  stream: AsyncIterable<Buffer>,
  cap: number,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    if (size + chunk.length > cap) {
      chunks.push(chunk.subarray(0, cap - size))
      return { bytes: Buffer.concat(chunks), truncated: true }
    }
    chunks.push(chunk)
    size += chunk.length
  }
  return { bytes: Buffer.concat(chunks), truncated: false }
}
