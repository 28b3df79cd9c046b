// The SSRF holes reproduced from the outside: every request here targets 127.0.0.0/8 or is refused before a
// socket exists (private and metadata addresses are never actually dialled).
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { parseEgressAllowList } from '@parley/flow'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createEgress, type Egress, type Resolver } from './egress-agent.ts'
import { egressFetch, MAX_REDIRECTS } from './egress-fetch.ts'

interface FakeServer {
  server: Server
  port: number
  origin: string
  hits: { path: string; method: string; headers: IncomingMessage['headers'] }[]
}

async function startServer(handler: (req: IncomingMessage, res: ServerResponse, self: FakeServer) => void) {
  const self = { hits: [] } as unknown as FakeServer
  self.server = createServer((req, res) => {
    self.hits.push({ path: req.url ?? '', method: req.method ?? '', headers: req.headers })
    handler(req, res, self)
  })
  await new Promise<void>((resolve) => self.server.listen(0, '127.0.0.1', resolve))
  self.port = (self.server.address() as AddressInfo).port
  self.origin = `http://127.0.0.1:${self.port}`
  return self
}

const MB = 1024 * 1024
let api: FakeServer
let internal: FakeServer
/** Bytes the streaming endpoint had handed to the kernel when its connection closed. */
let streamed: Promise<number> | undefined

beforeAll(async () => {
  internal = await startServer((_req, res) => res.end('internal secret'))
  api = await startServer((req, res, self) => {
    const url = new URL(req.url ?? '/', self.origin)
    if (url.pathname === '/ok') {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ points: 120, method: req.method }))
    } else if (url.pathname === '/to') {
      res.writeHead(Number(url.searchParams.get('status') ?? 302), {
        location: url.searchParams.get('url') ?? '/',
      })
      res.end()
    } else if (url.pathname === '/loop') {
      res.writeHead(302, { location: `/loop?n=${Number(url.searchParams.get('n') ?? 0) + 1}` })
      res.end()
    } else if (url.pathname === '/huge') {
      streamed = new Promise((resolve) => {
        const socket = req.socket
        socket.on('close', () => resolve(socket.bytesWritten))
      })
      const chunk = Buffer.alloc(64 * 1024, 'a')
      let sent = 0
      const pump = () => {
        while (sent < 48 * MB) {
          sent += chunk.length
          if (!res.write(chunk)) return void res.once('drain', pump)
        }
        res.end()
      }
      res.on('error', () => {})
      pump()
    } else if (url.pathname === '/hang') {
      // Never answers.
    } else {
      res.statusCode = 404
      res.end()
    }
  })
})

afterAll(async () => {
  for (const s of [api, internal]) {
    s.server.closeAllConnections()
    await new Promise((resolve) => s.server.close(resolve))
  }
})

const egresses: Egress[] = []
afterEach(async () => {
  await Promise.all(egresses.splice(0).map((e) => e.close()))
})

function egress(allowList = '', resolve?: Resolver): Egress {
  const created = createEgress({ allowList: parseEgressAllowList(allowList), resolve })
  egresses.push(created)
  return created
}

const get = (e: Egress, url: string, extra: Partial<Parameters<typeof egressFetch>[1]> = {}) =>
  egressFetch(e, { method: 'GET', url, timeoutMs: 20_000, maxBodyBytes: 256 * 1024, ...extra })

/** Every TCP socket node creates while `fn` runs (net.connect publishes each on this channel). */
async function socketsOpenedBy(fn: () => Promise<unknown>): Promise<Socket[]> {
  const sockets: Socket[] = []
  const onSocket = (message: unknown) => sockets.push((message as { socket: Socket }).socket)
  subscribe('net.client.socket', onSocket)
  try {
    await fn()
  } finally {
    unsubscribe('net.client.socket', onSocket)
  }
  return sockets
}

describe('egressFetch', () => {
  it('calls an allow-listed endpoint and follows its redirects on the same server', async () => {
    const e = egress(`127.0.0.1:${api.port}`)
    const answer = await get(e, `${api.origin}/ok`)
    expect(answer).toMatchObject({ status: 200, truncated: false })
    expect(JSON.parse(answer.body.toString())).toEqual({ points: 120, method: 'GET' })
    const redirected = await egressFetch(e, {
      method: 'POST',
      url: `${api.origin}/to?url=/ok`,
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
      timeoutMs: 20_000,
      maxBodyBytes: 1024,
    })
    // A 302 after a POST continues as a GET, as browsers do.
    expect(JSON.parse(redirected.body.toString())).toEqual({ points: 120, method: 'GET' })
    expect(redirected.url).toBe(`${api.origin}/ok`)
  })

  it('refuses loopback without an allow-list entry, and nothing reaches the server', async () => {
    const before = api.hits.length
    await expect(get(egress(), `${api.origin}/ok`)).rejects.toThrow(
      `Refused to call 127.0.0.1: port ${api.port} is not allowed (only 80 and 443)`,
    )
    await expect(get(egress(), 'http://127.0.0.1/ok')).rejects.toThrow(
      'Refused to call 127.0.0.1: 127.0.0.1 is this machine (loopback)',
    )
    // An allow-list entry for a port does not open the rest of loopback.
    await expect(get(egress(`127.0.0.1:${api.port}`), `${internal.origin}/`)).rejects.toThrow(
      'is not allowed',
    )
    expect(api.hits.length).toBe(before)
    expect(internal.hits).toEqual([])
  })

  it('sees the sockets a request opens (the check below is not vacuous)', async () => {
    const sockets = await socketsOpenedBy(() => get(egress(`127.0.0.1:${api.port}`), `${api.origin}/ok`))
    expect(sockets.length).toBeGreaterThan(0)
  })

  it.each([
    ['a private address', 'http://10.0.0.1/', '10.0.0.1 is a private network address'],
    ['the metadata service', 'http://169.254.169.254/latest/meta-data/', 'a cloud metadata address'],
    ['metadata as IPv4-mapped IPv6', 'http://[::ffff:a9fe:a9fe]/', 'a cloud metadata address'],
    ['loopback as IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]/', 'this machine (loopback)'],
    ['IPv6 loopback', 'http://[::1]/', 'this machine (loopback)'],
    ['a NAT64 private address', 'http://[64:ff9b::a00:1]/', 'a private network address'],
    ['the Postgres port', 'http://localhost:5432/', 'port 5432 is not allowed'],
    ['a decimal loopback literal', 'http://2130706433/', 'this machine (loopback)'],
    ['a non-web scheme', 'file:///etc/passwd', 'only http and https'],
  ])('refuses %s before any socket is opened', async (_name, url, reason) => {
    const sockets = await socketsOpenedBy(() => expect(get(egress(), url)).rejects.toThrow(reason))
    expect(sockets).toEqual([])
  })

  it('refuses a redirect to an internal address, checking every hop', async () => {
    const e = egress(`127.0.0.1:${api.port}`)
    const cases = [
      [`${internal.origin}/secret`, `port ${internal.port} is not allowed`],
      [`http://[::ffff:127.0.0.1]:${internal.port}/secret`, `port ${internal.port} is not allowed`],
      ['http://127.0.0.1/secret', '127.0.0.1 is this machine (loopback)'],
      ['http://169.254.169.254/latest/meta-data/', 'a cloud metadata address'],
      ['http://10.0.0.1/', 'a private network address'],
    ]
    for (const [target, reason] of cases) {
      for (const status of [301, 302, 303, 307, 308]) {
        const url = `${api.origin}/to?status=${status}&url=${encodeURIComponent(target!)}`
        await expect(get(e, url)).rejects.toThrow(reason!)
      }
    }
    expect(internal.hits).toEqual([])
  })

  it(`follows at most ${MAX_REDIRECTS} redirects`, async () => {
    const before = api.hits.length
    await expect(get(egress(`127.0.0.1:${api.port}`), `${api.origin}/loop`)).rejects.toThrow(
      `more than ${MAX_REDIRECTS} redirects`,
    )
    expect(api.hits.slice(before).map((h) => h.path)).toEqual([
      '/loop',
      '/loop?n=1',
      '/loop?n=2',
      '/loop?n=3',
    ])
  })

  it('does not carry credentials to another server on a redirect', async () => {
    const e = egress(`127.0.0.1:${api.port}, 127.0.0.1:${internal.port}`)
    const url = `${api.origin}/to?url=${encodeURIComponent(`${internal.origin}/next`)}`
    const answer = await get(e, url, {
      headers: { authorization: 'Bearer merchant-secret', 'x-store': 'North' },
    })
    expect(answer.body.toString()).toBe('internal secret')
    const hit = internal.hits.at(-1)!
    expect(hit.headers.authorization).toBeUndefined()
    expect(hit.headers['x-store']).toBe('North')
    internal.hits.length = 0
  })

  it('refuses a host name when any address it resolves to is refused (DNS rebinding)', async () => {
    const asked: string[] = []
    const resolver: Resolver = async (hostname) => {
      asked.push(hostname)
      if (hostname === 'rebind.test') {
        return [
          { address: '93.184.215.14', family: 4 },
          { address: '127.0.0.1', family: 4 },
        ]
      }
      if (hostname === 'metadata.test') return [{ address: '::ffff:169.254.169.254', family: 6 }]
      return [{ address: '10.0.0.1', family: 4 }]
    }
    const e = egress('', resolver)
    await expect(get(e, 'http://rebind.test/')).rejects.toThrow(
      'Refused to call rebind.test: 127.0.0.1 is this machine (loopback)',
    )
    await expect(get(e, 'https://metadata.test/')).rejects.toThrow('a cloud metadata address')
    await expect(get(e, 'http://intranet.test/')).rejects.toThrow('10.0.0.1 is a private network address')
    expect(asked).toEqual(['rebind.test', 'metadata.test', 'intranet.test'])
  })

  it('refuses localhost through the system resolver', async () => {
    await expect(get(egress(), 'http://localhost/')).rejects.toThrow(/Refused to call localhost: .*loopback/)
    // An entry for 127.0.0.1 on a port does not cover ::1, which localhost may also resolve to: all or none.
    const onlyV4 = egress(`127.0.0.1:${api.port}`, async () => [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ])
    const before = api.hits.length
    await expect(get(onlyV4, `http://localhost:${api.port}/ok`)).rejects.toThrow(
      `Refused to call localhost: port ${api.port} is not allowed`,
    )
    expect(api.hits.length).toBe(before)
  })

  it('lets an allow-listed host name resolve to an internal address', async () => {
    const e = egress(`orders.internal:${api.port}`, async () => [{ address: '127.0.0.1', family: 4 }])
    const answer = await get(e, `http://orders.internal:${api.port}/ok`)
    expect(answer.status).toBe(200)
  })

  it('stops reading a large body at the cap: the server gets to send little of its 48 MB', async () => {
    const cap = 256 * 1024
    const answer = await get(egress(`127.0.0.1:${api.port}`), `${api.origin}/huge`, { maxBodyBytes: cap })
    expect(answer.truncated).toBe(true)
    expect(answer.body.length).toBe(cap)
    // What left the server is the cap plus what the loopback socket buffers held: far from 48 MB.
    const written = await streamed!
    expect(written).toBeGreaterThanOrEqual(cap)
    expect(written).toBeLessThan(16 * MB)
  })

  it('gives up when the endpoint does not answer in time', async () => {
    await expect(
      get(egress(`127.0.0.1:${api.port}`), `${api.origin}/hang`, { timeoutMs: 300 }),
    ).rejects.toThrow()
  })
})
