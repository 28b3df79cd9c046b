import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { addressKey, clientIp } from './client-ip.ts'

describe('clientIp', () => {
  const appTrusting = (proxies: number) => {
    const app = new Hono()
    app.get('/', (c) => c.text(clientIp(c, proxies)))
    return app
  }
  const ipOf = async (proxies: number, forwardedFor?: string) =>
    (
      await appTrusting(proxies).request('/', {
        headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
      })
    ).text()

  it('ignores X-Forwarded-For unless proxies are trusted', async () => {
    expect(await ipOf(0, '1.2.3.4')).toBe('unknown')
  })

  it('takes the address the outermost trusted proxy saw, not what the client wrote', async () => {
    expect(await ipOf(1, 'spoofed, 203.0.113.7')).toBe('203.0.113.7')
    expect(await ipOf(2, 'spoofed, 203.0.113.7, 10.0.0.2')).toBe('203.0.113.7')
    expect(await ipOf(3, '203.0.113.7, 10.0.0.2')).toBe('203.0.113.7')
    expect(await ipOf(1)).toBe('unknown')
  })
})

describe('addressKey', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6, and groups IPv6 by /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7')
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7')
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(addressKey(addressKey('2001:db8:1:2::9'))).toBe('2001:db8:1:2::/64')
  })
})
