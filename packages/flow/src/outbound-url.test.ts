import { describe, expect, it } from 'vitest'
import { parseEgressAllowList } from './egress-rules.ts'
import { outboundUrlProblem } from './outbound-url.ts'

describe('outboundUrlProblem', () => {
  it.each([
    'https://api.example/loyalty/{{contact.id}}',
    'http://api.example:80/x?email={{contact.email}}',
    'https://api.example?{{q}}',
    'https://api.example#{{q}}',
    'https://api.example/',
    'https://93.184.215.14/orders',
  ])('accepts %s', (url) => {
    expect(outboundUrlProblem(url)).toBeNull()
  })

  it.each([
    'http://{{reply}}/x',
    '{{base}}/orders',
    'https://{{sub}}.shop.example/x',
    'https://shop.example{{path}}',
    'https://shop.example:{{port}}/x',
    'https://user:{{secret}}@shop.example/x',
    'https:{{x}}',
  ])('refuses a variable in the server part of %s', (url) => {
    expect(outboundUrlProblem(url)).toMatchObject({ code: 'templated_host' })
  })

  it.each([
    'ftp://files.example/x',
    'file:///etc/passwd',
    'gopher://x',
    'javascript:alert(1)',
    'shop.example/x',
  ])('refuses the scheme of %s', (url) => {
    expect(outboundUrlProblem(url)).toMatchObject({ code: 'invalid_url' })
  })

  it.each([
    [
      'http://169.254.169.254/latest/meta-data/',
      'may not call 169.254.169.254: that is a cloud metadata address',
    ],
    ['http://[::ffff:a9fe:a9fe]/', 'may not call [::ffff:a9fe:a9fe]: that is a cloud metadata address'],
    ['http://[::ffff:127.0.0.1]/x', 'may not call [::ffff:7f00:1]: that is this machine (loopback)'],
    ['http://10.0.0.1/x', 'may not call 10.0.0.1: that is a private network address'],
    ['http://127.0.0.1:8080/redirect', 'may not call 127.0.0.1:8080: only ports 80 and 443 are allowed'],
    ['http://localhost:5432', 'may not call localhost:5432: only ports 80 and 443 are allowed'],
    ['http://localhost/x', 'may not call localhost: that is this machine (loopback)'],
    ['http://0x7f.1/x', 'may not call 127.0.0.1: that is this machine (loopback)'],
    ['http://2130706433/{{x}}', 'may not call 127.0.0.1: that is this machine (loopback)'],
    ['https://shop.example:8443/x', 'may not call shop.example:8443: only ports 80 and 443 are allowed'],
  ])('refuses the address of %s', (url, message) => {
    expect(outboundUrlProblem(url)).toEqual({ code: 'blocked_address', message })
  })

  it('accepts what the allow-list names', () => {
    const list = parseEgressAllowList('127.0.0.1:8080, localhost:5432, 10.0.0.0/8')
    expect(outboundUrlProblem('http://127.0.0.1:8080/redirect', list)).toBeNull()
    expect(outboundUrlProblem('http://localhost:5432', list)).toBeNull()
    expect(outboundUrlProblem('http://10.0.0.1/x', list)).toBeNull()
    expect(outboundUrlProblem('http://169.254.169.254/', list)).toMatchObject({ code: 'blocked_address' })
  })
})
