import { describe, expect, it } from 'vitest'
import {
  allowListPermits,
  blockedAddressReason,
  describeEgressRefusal,
  egressRefusal,
  parseEgressAllowList,
} from './egress-rules.ts'

describe('blockedAddressReason', () => {
  it.each([
    ['127.0.0.1', 'this machine (loopback)'],
    ['127.8.9.10', 'this machine (loopback)'],
    ['::1', 'this machine (loopback)'],
    ['0.0.0.0', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['10.0.0.1', 'a private network address'],
    ['172.16.5.4', 'a private network address'],
    ['192.168.1.1', 'a private network address'],
    ['169.254.1.1', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['100.64.0.1', 'a shared (carrier-grade NAT) address'],
    ['fc00::1', 'a private network address'],
    ['fd12:3456::1', 'a private network address'],
    ['224.0.0.1', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['255.255.255.255', 'a broadcast address'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['100.100.100.200', 'a cloud metadata address'],
    // IPv4 carried in IPv6 is judged as the IPv4 address.
    ['::ffff:a9fe:a9fe', 'a cloud metadata address'],
    ['::ffff:127.0.0.1', 'this machine (loopback)'],
    ['::ffff:0:10.0.0.1', 'a private network address'],
    ['64:ff9b::127.0.0.1', 'this machine (loopback)'],
    ['64:ff9b::a00:1', 'a private network address'],
    ['::127.0.0.1', 'this machine (loopback)'],
    ['2002:7f00:1::', 'a tunnelled address'],
    ['2001:0:4136:e378::1', 'a tunnelled address'],
    ['[::1]', 'this machine (loopback)'],
  ])('refuses %s as %s', (address, reason) => {
    expect(blockedAddressReason(address)).toBe(reason)
  })

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700::1111', '::ffff:93.184.215.14', '64:ff9b::808:808'])(
    'lets public %s through',
    (address) => {
      expect(blockedAddressReason(address)).toBeNull()
    },
  )

  it('refuses what is not an address', () => {
    expect(blockedAddressReason('example.com')).toBe('not an IP address')
  })
})

describe('the allow-list', () => {
  it('parses host names, addresses and blocks with optional ports', () => {
    const list = parseEgressAllowList('orders.internal:8080, 10.20.0.0/16 [fd00::/8]:* 127.0.0.1:9000 [::1]')
    expect(list.map((e) => [e.host ?? e.cidr?.[0].toString(), e.cidr?.[1], e.port])).toEqual([
      ['orders.internal', undefined, 8080],
      ['10.20.0.0', 16, undefined],
      ['fd00::', 8, '*'],
      ['127.0.0.1', 32, 9000],
      ['::1', 128, undefined],
    ])
    expect(parseEgressAllowList('')).toEqual([])
  })

  it('names the entry it cannot read', () => {
    expect(() => parseEgressAllowList('10.0.0.0/99')).toThrow('"10.0.0.0/99": not a valid CIDR block')
    expect(() => parseEgressAllowList('host:70000')).toThrow('the port must be')
    expect(() => parseEgressAllowList('shop!.example')).toThrow('not a host name')
  })

  it('permits only what an entry names, on its port', () => {
    const list = parseEgressAllowList('orders.internal:8080, 10.20.0.0/16, 127.0.0.1:*')
    expect(allowListPermits(list, { hostname: 'ORDERS.internal.', port: 8080 })).toBe(true)
    expect(allowListPermits(list, { hostname: 'orders.internal', port: 80 })).toBe(false)
    expect(allowListPermits(list, { hostname: 'x', port: 443, address: '10.20.3.4' })).toBe(true)
    expect(allowListPermits(list, { hostname: 'x', port: 8443, address: '10.20.3.4' })).toBe(false)
    expect(allowListPermits(list, { hostname: 'x', port: 443, address: '10.21.3.4' })).toBe(false)
    expect(allowListPermits(list, { hostname: 'x', port: 5432, address: '::ffff:127.0.0.1' })).toBe(true)
  })
})

describe('egressRefusal', () => {
  it('allows public addresses on 80 and 443 only', () => {
    expect(egressRefusal([], { hostname: 'shop.example', port: 443, address: '93.184.215.14' })).toBeNull()
    expect(egressRefusal([], { hostname: 'shop.example', port: 443 })).toBeNull()
    const port = egressRefusal([], { hostname: 'localhost', port: 5432 })
    expect(port && describeEgressRefusal(port)).toBe('port 5432 is not allowed (only 80 and 443)')
    const address = egressRefusal([], { hostname: 'x', port: 80, address: '10.0.0.1' })
    expect(address && describeEgressRefusal(address)).toBe('10.0.0.1 is a private network address')
  })

  it('lets an allow-list entry open a port and a blocked range', () => {
    const list = parseEgressAllowList('127.0.0.1:4100')
    expect(egressRefusal(list, { hostname: 'localhost', port: 4100 })).toBeNull()
    expect(egressRefusal(list, { hostname: 'localhost', port: 4100, address: '127.0.0.1' })).toBeNull()
    expect(egressRefusal(list, { hostname: 'localhost', port: 4100, address: '127.0.0.2' })).toMatchObject({
      kind: 'port',
    })
    expect(egressRefusal(list, { hostname: 'localhost', port: 80, address: '127.0.0.1' })).toMatchObject({
      kind: 'address',
    })
  })
})
