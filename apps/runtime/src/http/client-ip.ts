// The caller's address for per-IP limits: the socket's peer, or, behind TRUST_PROXY proxies, the address the
// outermost trusted proxy saw (counted from the right of X-Forwarded-For, like Express's numeric "trust proxy":
// entries further left were written by the client and prove nothing).
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import type { AppEnv } from './app-env.ts'

/** The key per-address limits count the caller under (see addressKey). */
export function clientAddress(c: Context<AppEnv>): string {
  // c.get, not c.var: Hono's `var` copies every request variable into a new object on each read.
  return addressKey(clientIp(c, c.get('deps').config.TRUST_PROXY))
}

/** A request with no socket (app.request in tests) is from here. */
const UNKNOWN = 'unknown'

export function clientIp(c: Context, trustedProxies: number): string {
  if (trustedProxies > 0) {
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((hop) => hop.trim())
      .filter((hop) => hop !== '')
    const seen = hops[Math.max(0, hops.length - trustedProxies)]
    if (seen) return seen
  }
  try {
    return getConnInfo(c).remote.address ?? UNKNOWN
  } catch {
    return UNKNOWN
  }
}

/**
 * The key a per-address limit counts under: an IPv4 address as is, an IPv6 address by its /64, since one
 * subscriber is usually given a whole /64 and could otherwise rotate through 2^64 addresses.
 * @example addressKey('2001:db8:1:2:aaaa::1') === '2001:db8:1:2::/64'
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped?.[1]) return mapped[1]
  if (!ip.includes(':')) return ip
  const [address = ''] = ip.toLowerCase().split('%')
  const [head = '', tail] = address.split('::') as [string, string | undefined]
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`
}
