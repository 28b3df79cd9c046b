// The undici dispatcher every merchant-influenced request goes through. It judges each connection where it is
// made: an IP literal before any socket exists, a host name in the connect-time lookup, on every address the
// name resolves to (so a name that resolves to a public address once and to 127.0.0.1 the next time, DNS
// rebinding, is refused at the connection that would have used it).
import { lookup as dnsLookup } from 'node:dns/promises'
import { isIP, type LookupFunction } from 'node:net'
import { describeEgressRefusal, type EgressAllowEntry, type EgressRefusal, egressRefusal } from '@parley/flow'
import { Agent, buildConnector } from 'undici'

export interface ResolvedAddress {
  address: string
  family: number
}

/** Resolves a host name to every address it has (dns.lookup by default; tests inject their own). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>

export interface EgressOptions {
  /** The operator's EGRESS_ALLOW_LIST: targets allowed despite the rules (internal endpoints). */
  allowList: readonly EgressAllowEntry[]
  resolve?: Resolver
  /** Gives up on a TCP/TLS connection after this long. */
  connectTimeoutMs?: number
}

export interface Egress {
  allowList: readonly EgressAllowEntry[]
  dispatcher: Agent
  close(): Promise<void>
}

/** A request the egress policy refused: nothing was sent to the target. */
export class EgressRefusedError extends Error {
  readonly code = 'EGRESS_REFUSED'
  constructor(message: string) {
    super(message)
    this.name = 'EgressRefusedError'
  }
}

export function refusedError(hostname: string, refusal: EgressRefusal): EgressRefusedError {
  return new EgressRefusedError(`Refused to call ${hostname}: ${describeEgressRefusal(refusal)}`)
}

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true })

/** Built once per process (server.ts) and passed in deps. */
export function createEgress(options: EgressOptions): Egress {
  const { allowList } = options
  const resolve = options.resolve ?? systemResolver
  const timeout = options.connectTimeoutMs ?? 10_000

  /** net.connect's lookup for a connection to `port`: every address must pass, or none is used. */
  function lookupFor(port: number): LookupFunction {
    return (hostname, lookupOptions, callback) => {
      resolve(hostname)
        .then((addresses) => {
          for (const { address } of addresses) {
            const refusal = egressRefusal(allowList, { hostname, port, address })
            if (refusal) throw refusedError(hostname, refusal)
          }
          const usable = lookupOptions.family
            ? addresses.filter((a) => a.family === lookupOptions.family)
            : addresses
          const first = usable[0]
          if (!first) throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' })
          if (lookupOptions.all) callback(null, usable)
          else callback(null, first.address, first.family)
        })
        .catch((error: NodeJS.ErrnoException) => callback(error, ''))
    }
  }

  const dispatcher = new Agent({
    connect(connectOptions, callback) {
      const port = Number(connectOptions.port) || (connectOptions.protocol === 'https:' ? 443 : 80)
      const bare = connectOptions.hostname.replace(/^\[|\]$/g, '')
      // net.connect skips the lookup for an IP literal, so a literal is judged here, before any socket.
      const literal = isIP(bare) ? bare : undefined
      const refusal = egressRefusal(allowList, { hostname: bare, port, address: literal })
      if (refusal) {
        callback(refusedError(bare, refusal), null)
        return
      }
      buildConnector({ timeout, lookup: lookupFor(port) })(connectOptions, callback)
    },
  })

  return { allowList, dispatcher, close: () => dispatcher.close() }
}
