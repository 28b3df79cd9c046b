// Which outbound addresses a merchant's flow may reach: the one statement of the egress rules, read by
// `validate` (early, plain-language errors) and by the runtime's dispatcher (the real guard, at connect time).
// Only public unicast addresses on ports 80/443, unless the operator's allow-list names the target.
import ipaddr from 'ipaddr.js'

export const DEFAULT_EGRESS_PORTS: readonly number[] = [80, 443]

/** Cloud metadata services, named so the refusal says what they are (their ranges are refused anyway). */
const METADATA_ADDRESSES = new Set(['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200'])

const RANGE_WORDS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'this machine (loopback)',
  carrierGradeNat: 'a shared (carrier-grade NAT) address',
  private: 'a private network address',
  uniqueLocal: 'a private network address',
  reserved: 'a reserved address',
}

/**
 * Why an IP address may not be called, or null for a public unicast address. IPv4 embedded in IPv6
 * (mapped ::ffff:a.b.c.d, SIIT ::ffff:0:a.b.c.d, NAT64 64:ff9b::a.b.c.d, compatible ::a.b.c.d) is judged as
 * the IPv4 address it carries; 6to4 and Teredo tunnels are refused outright.
 * @example blockedAddressReason('::ffff:169.254.169.254') // 'a cloud metadata address'
 */
export function blockedAddressReason(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, ''))
  } catch {
    return 'not an IP address'
  }
  const text = parsed.toNormalizedString()
  if (METADATA_ADDRESSES.has(text) || METADATA_ADDRESSES.has(parsed.toString())) {
    return 'a cloud metadata address'
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6
    const embedded = embeddedIPv4(v6)
    if (embedded) return blockedAddressReason(embedded)
    const range = v6.range()
    if (range === '6to4' || range === 'teredo') return 'a tunnelled address'
    return range === 'unicast' ? null : (RANGE_WORDS[range] ?? 'a special-purpose address')
  }
  const range = (parsed as ipaddr.IPv4).range()
  return range === 'unicast' ? null : (RANGE_WORDS[range] ?? 'a special-purpose address')
}

/** The IPv4 address an IPv6 address carries in its last 32 bits, for the forms that route to it. */
function embeddedIPv4(v6: ipaddr.IPv6): string | null {
  const p = v6.parts
  const last = `${p[6]! >> 8}.${p[6]! & 0xff}.${p[7]! >> 8}.${p[7]! & 0xff}`
  const zeros = (from: number, to: number) => p.slice(from, to).every((part) => part === 0)
  if (zeros(0, 5) && p[5] === 0xffff) return last // ::ffff:a.b.c.d (mapped)
  if (zeros(0, 4) && p[4] === 0xffff && p[5] === 0) return last // ::ffff:0:a.b.c.d (SIIT)
  if (p[0] === 0x64 && p[1] === 0xff9b && zeros(2, 6)) return last // 64:ff9b::/96 (NAT64)
  if (p[0] === 0x64 && p[1] === 0xff9b && p[2] === 1) return '0.0.0.0' // 64:ff9b:1::/48 (local NAT64): refuse
  // ::a.b.c.d (deprecated IPv4-compatible); :: and ::1 are judged as IPv6 (unspecified, loopback).
  if (zeros(0, 6) && (p[6] !== 0 || p[7]! > 1)) return last
  return null
}

/** One allow-list entry: a host name, an IP address or a CIDR block, with a port (undefined: 80/443). */
export interface EgressAllowEntry {
  /** The entry as written, for messages. */
  source: string
  host?: string
  cidr?: [ipaddr.IPv4 | ipaddr.IPv6, number]
  /** A port, '*' for any, or undefined for the default ports 80 and 443. */
  port?: number | '*'
}

/**
 * Parses the operator's allow-list: entries separated by commas or spaces, each `host[:port]`, `ip[:port]`,
 * `[ipv6][:port]`, `cidr[:port]` or `[ipv6-cidr][:port]`; the port may be `*`.
 * @example parseEgressAllowList('orders.internal:8080, 10.20.0.0/16, [fd00::/8]:*')
 */
export function parseEgressAllowList(text: string): EgressAllowEntry[] {
  return text
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .map(parseEntry)
}

function parseEntry(source: string): EgressAllowEntry {
  let target = source
  let portText: string | undefined
  const bracketed = /^\[([^\]]+)\](?::(\d+|\*))?$/.exec(source)
  if (bracketed) {
    target = bracketed[1]!
    portText = bracketed[2]
  } else if (!source.includes('::') && (source.match(/:/g) ?? []).length === 1) {
    const colon = source.lastIndexOf(':')
    target = source.slice(0, colon)
    portText = source.slice(colon + 1)
  }
  const fail = (why: string) => new Error(`Egress allow-list entry "${source}": ${why}`)
  let port: number | '*' | undefined
  if (portText !== undefined) {
    if (portText === '*') port = '*'
    else if (/^\d{1,5}$/.test(portText) && Number(portText) >= 1 && Number(portText) <= 65535) {
      port = Number(portText)
    } else throw fail('the port must be 1–65535 or *')
  }
  if (target.includes('/')) {
    try {
      return { source, cidr: ipaddr.parseCIDR(target), port }
    } catch {
      throw fail('not a valid CIDR block')
    }
  }
  if (ipaddr.isValid(target)) {
    const address = ipaddr.parse(target)
    return { source, cidr: [address, address.kind() === 'ipv4' ? 32 : 128], port }
  }
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(target)) {
    throw fail('not a host name, IP address or CIDR block')
  }
  return { source, host: normalizeHost(target), port }
}

function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '')
}

export interface EgressTarget {
  /** The URL's host name or IP literal (IPv6 with or without brackets). */
  hostname: string
  port: number
  /** The address the connection would go to (resolved, or the literal); undefined before resolution. */
  address?: string
}

function portAllowed(entryPort: EgressAllowEntry['port'], port: number): boolean {
  if (entryPort === '*') return true
  return entryPort === undefined ? DEFAULT_EGRESS_PORTS.includes(port) : entryPort === port
}

/** True when an allow-list entry names this target (its host name, or a block holding its address). */
export function allowListPermits(list: readonly EgressAllowEntry[], target: EgressTarget): boolean {
  const hostname = normalizeHost(target.hostname.replace(/^\[|\]$/g, ''))
  let address: ipaddr.IPv4 | ipaddr.IPv6 | undefined
  if (target.address !== undefined) {
    try {
      address = ipaddr.process(target.address.replace(/^\[|\]$/g, ''))
    } catch {}
  }
  return list.some((entry) => {
    if (!portAllowed(entry.port, target.port)) return false
    if (entry.host !== undefined) return entry.host === hostname
    if (!entry.cidr || !address) return false
    const [block, bits] = entry.cidr
    const candidate = address.kind() === block.kind() ? address : alternateForm(address)
    return candidate?.match(block, bits) ?? false
  })
}

/** 127.0.0.1 ↔ ::ffff:127.0.0.1, so an entry written either way covers both forms. */
function alternateForm(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (address.kind() === 'ipv4') return (address as ipaddr.IPv4).toIPv4MappedAddress()
  const v6 = address as ipaddr.IPv6
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : undefined
}

export type EgressRefusal =
  | { kind: 'port'; port: number }
  | { kind: 'address'; address: string; reason: string }

/**
 * Why the dispatcher must not connect to this target, or null. With an address, the address is judged;
 * without one (a host name before resolution), only what can be told already: the port.
 * @example egressRefusal([], { hostname: 'localhost', port: 5432 }) // { kind: 'port', port: 5432 }
 */
export function egressRefusal(list: readonly EgressAllowEntry[], target: EgressTarget): EgressRefusal | null {
  if (allowListPermits(list, target)) return null
  const portRefused = { kind: 'port', port: target.port } as const
  if (target.address === undefined) {
    // An entry with this port may still match the address once it is known.
    const portMayOpen = list.some((entry) => entry.port !== undefined && portAllowed(entry.port, target.port))
    return DEFAULT_EGRESS_PORTS.includes(target.port) || portMayOpen ? null : portRefused
  }
  if (!DEFAULT_EGRESS_PORTS.includes(target.port)) return portRefused
  const reason = blockedAddressReason(target.address)
  return reason === null ? null : { kind: 'address', address: target.address, reason }
}

/** The refusal in words: "port 5432 is not allowed (only 80 and 443)", "10.0.0.1 is a private network address". */
export function describeEgressRefusal(refusal: EgressRefusal): string {
  return refusal.kind === 'port'
    ? `port ${refusal.port} is not allowed (only 80 and 443)`
    : `${refusal.address} is ${refusal.reason}`
}
