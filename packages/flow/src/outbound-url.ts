// The address of an HTTP-request node, judged before it is ever called: http(s) only, variables only in the
// path and query (a shopper's reply must never pick the server), and no literal address the egress rules
// refuse. The runtime's dispatcher checks again at connect time; this is the early, plain-language error.
import ipaddr from 'ipaddr.js'
import { type EgressAllowEntry, egressRefusal } from './egress-rules.ts'

export interface OutboundUrlProblem {
  code: 'invalid_url' | 'templated_host' | 'blocked_address'
  /** Completes "'<step>' ...". */
  message: string
}

/**
 * What is wrong with a (templated) outbound URL, or null.
 * @example outboundUrlProblem('http://{{reply}}/x')?.code // 'templated_host'
 */
export function outboundUrlProblem(
  url: string,
  allowList: readonly EgressAllowEntry[] = [],
): OutboundUrlProblem | null {
  const firstVariable = url.indexOf('{{')
  const fixed = firstVariable < 0 ? url : url.slice(0, firstVariable)
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(fixed)
  if (!scheme && firstVariable >= 0) return templatedHost
  if (!scheme || !/^https?$/i.test(scheme[1]!)) {
    return { code: 'invalid_url', message: 'must call an address starting with https://' }
  }
  if (firstVariable >= 0) {
    // The server part (host and port) ends at the first "/", "?" or "#" after "//" ("\" counts as "/" in
    // web addresses); a variable before that end could choose the server.
    const afterSlashes = fixed.slice(scheme[0].length).replace(/^[/\\]*/, '')
    if (!/[/?#\\]/.test(afterSlashes)) return templatedHost
  }
  let parsed: URL
  try {
    parsed = new URL(url.replace(/\{\{[\s\S]*?\}\}/g, 'x'))
  } catch {
    return { code: 'invalid_url', message: 'calls an address that is not a valid web address' }
  }
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80
  const bare = parsed.hostname.replace(/^\[|\]$/g, '')
  // "localhost" and its subdomains always mean this machine (RFC 6761), so they are judged as loopback.
  const address = ipaddr.isValid(bare) ? bare : isLocalhostName(bare) ? '127.0.0.1' : undefined
  const refusal = egressRefusal(allowList, { hostname: parsed.hostname, port, address })
  if (refusal === null) return null
  const why = refusal.kind === 'port' ? 'only ports 80 and 443 are allowed' : `that is ${refusal.reason}`
  return { code: 'blocked_address', message: `may not call ${parsed.host}: ${why}` }
}

const templatedHost: OutboundUrlProblem = {
  code: 'templated_host',
  message:
    'cannot choose the server from a variable: write the address (https://server/) yourself and use {{…}} only in the path or query after it',
}

function isLocalhostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '')
  return name === 'localhost' || name.endsWith('.localhost')
}
