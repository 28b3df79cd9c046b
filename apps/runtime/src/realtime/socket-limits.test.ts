// WebSocket limits from the outside, on a real server (the app and the process's WebSocket server on port 0):
// an oversized frame closes the socket with 1009 and is never handled; one visitor token cannot hold more than
// its few sockets; one address cannot open more than its allowance while another address still can; a peer that
// stops answering pings is cut off; sign-out and session expiry close the session's inbox sockets.
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { SESSION_TTL_MS } from '../accounts/sessions.ts'
import { createApp } from '../app.ts'
import { createChannel } from '../channels/testing/channel-fixtures.ts'
import { loadConfig } from '../config.ts'
import { signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { SocketClose } from './socket-guard.ts'
import { createWebSocketServer, WS_MAX_PAYLOAD_BYTES } from './websocket-server.ts'

interface Opened {
  ws: WebSocket
  /** The upgrade's HTTP status: 101 when the socket opened. */
  status: number
  retryAfter: string | null
  texts: string[]
  closed: Promise<{ code: number; reason: string }>
}

/** Waits for a condition, not a duration (the machine may be slow). */
async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now()
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe.each(testDatabases())('WebSocket limits on %s', (kind) => {
  let t: TestDeps
  let server: ReturnType<typeof serve> | undefined
  let host = ''
  let channelId = ''
  let addressCounter = 0
  const newAddress = () => `198.51.100.${++addressCounter}`

  beforeAll(async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      TRUST_PROXY: '1',
      WS_SOCKETS_PER_VISITOR: '3',
      WS_SOCKETS_PER_IP: '4',
    })
    t = await createTestDeps(kind, { config })
    const app = createApp(t.deps)
    await new Promise<void>((resolve) => {
      server = serve(
        { fetch: app.fetch, port: 0, hostname: '127.0.0.1', websocket: { server: createWebSocketServer() } },
        (info: AddressInfo) => {
          host = `127.0.0.1:${info.port}`
          resolve()
        },
      )
    })
    const { merchantId } = await seedMerchant(t.deps.db)
    channelId = (await createChannel(t.deps.db, merchantId, 'webchat')).id
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    await t?.close()
  })

  async function open(path: string, headers: Record<string, string>, options: WebSocket.ClientOptions = {}) {
    const ws = new WebSocket(`ws://${host}${path}`, { headers, ...options })
    const texts: string[] = []
    ws.on('message', (data) => texts.push(String(data)))
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    )
    ws.on('error', () => {})
    const { status, retryAfter } = await new Promise<{ status: number; retryAfter: string | null }>(
      (resolve) => {
        ws.on('unexpected-response', (_req, res) =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: String(res.headers['retry-after'] ?? '') || null,
          }),
        )
        ws.on('open', () => resolve({ status: 101, retryAfter: null }))
      },
    )
    const opened: Opened = { ws, status, retryAfter, texts, closed }
    if (status === 101) await until(() => texts.length > 0, 'the ready frame')
    return opened
  }

  async function visitorToken(address: string) {
    const res = await fetch(`http://${host}/api/webchat/${channelId}/session`, {
      method: 'POST',
      headers: { 'x-forwarded-for': address },
    })
    return ((await res.json()) as { token: string }).token
  }
  const openVisitor = (token: string, address: string, options?: WebSocket.ClientOptions) =>
    open(`/api/webchat/${channelId}/socket?token=${token}`, { 'x-forwarded-for': address }, options)

  async function closeAll(sockets: Opened[]) {
    for (const socket of sockets) socket.ws.close()
    await Promise.all(sockets.map((socket) => socket.closed))
    await until(() => t.deps.sockets.size === 0, 'the server to forget the sockets')
  }

  it('closes the socket with 1009 on a frame over 4 KiB, without handling it', async () => {
    const address = newAddress()
    const socket = await openVisitor(await visitorToken(address), address)
    socket.ws.send('ping')
    await until(() => socket.texts.includes('pong'), 'a pong to a small ping')
    // "ping" followed by padding: had the frame been read, it would not be a ping either, but it must not
    // even be buffered. 64 KiB stands for the 48 MB of the report (ws refuses on the frame header alone).
    socket.ws.send(`ping${' '.repeat(64 * 1024)}`)
    expect((await socket.closed).code).toBe(1009)
    expect(socket.texts.filter((text) => text === 'pong')).toHaveLength(1)
    await until(() => t.deps.sockets.size === 0, 'the server to forget the socket')
    // A frame at the cap is fine.
    const next = await openVisitor(await visitorToken(address), address)
    next.ws.send('x'.repeat(WS_MAX_PAYLOAD_BYTES))
    next.ws.send('ping')
    await until(() => next.texts.includes('pong'), 'a pong after a frame at the cap')
    await closeAll([next])
  })

  it('keeps only the newest few sockets of one visitor token', async () => {
    const address = newAddress()
    const token = await visitorToken(address)
    const sockets: Opened[] = []
    for (let i = 0; i < 12; i++) {
      const socket = await openVisitor(token, address)
      expect(socket.status).toBe(101)
      sockets.push(socket)
    }
    const closes = await Promise.all(sockets.slice(0, 9).map((socket) => socket.closed))
    expect(new Set(closes.map((close) => close.code))).toEqual(new Set([SocketClose.replaced.code]))
    expect(sockets.slice(9).every((socket) => socket.ws.readyState === WebSocket.OPEN)).toBe(true)
    expect(t.deps.sockets.size).toBe(3)
    await closeAll(sockets.slice(9))
  })

  it('refuses an address past its sockets with 429, while another address still connects', async () => {
    const busy = newAddress()
    const sockets: Opened[] = []
    for (let i = 0; i < 4; i++) sockets.push(await openVisitor(await visitorToken(busy), busy))
    const refused = await openVisitor(await visitorToken(busy), busy)
    expect(refused.status).toBe(429)
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1)
    const quiet = newAddress()
    const other = await openVisitor(await visitorToken(quiet), quiet)
    expect(other.status).toBe(101)
    await closeAll([...sockets, other])
  })

  it('cuts off a peer that stops answering pings, and keeps one that answers', async () => {
    const address = newAddress()
    const silent = await openVisitor(await visitorToken(address), address, { autoPong: false })
    const alive = await openVisitor(await visitorToken(address), address)
    const pinged = new Promise<void>((resolve) => alive.ws.once('ping', () => resolve()))
    await t.deps.sockets.sweep() // pings both
    await pinged
    // The automatic pong went out before this text frame on the same connection, so once the text "pong"
    // comes back the server has seen the pong as well.
    alive.ws.send('ping')
    await until(() => alive.texts.includes('pong'), 'the text pong')
    await t.deps.sockets.sweep() // the silent one did not answer: cut off
    const { code } = await silent.closed
    expect(code).toBe(1006) // terminated: no close frame from a server that gave up on the peer
    expect(alive.ws.readyState).toBe(WebSocket.OPEN)
    await closeAll([alive])
  })

  it('closes the inbox sockets of a session at sign-out and at expiry; other sessions stay', async () => {
    const app = createApp(t.deps)
    const merchant = await seedMerchant(t.deps.db)
    const origin = `http://${host}`
    const inbox = async (cookie: string) => open('/api/conversations/socket', { cookie, origin })

    const leaving = await signIn(app, merchant)
    const staying = await signIn(app, merchant)
    const leavingSockets = [await inbox(leaving.cookie), await inbox(leaving.cookie)]
    const stayingSocket = await inbox(staying.cookie)
    expect([...leavingSockets, stayingSocket].map((socket) => socket.status)).toEqual([101, 101, 101])

    const signOut = await app.request('/api/auth/sign-out', { method: 'POST', headers: leaving.write })
    expect(signOut.status).toBe(204)
    for (const socket of leavingSockets) {
      expect(await socket.closed).toEqual({
        code: SocketClose.sessionEnded.code,
        reason: SocketClose.sessionEnded.reason,
      })
    }
    expect(stayingSocket.ws.readyState).toBe(WebSocket.OPEN)

    // Signed out on another replica: the row is gone, this replica's next sweep closes the socket.
    const elsewhere = await signIn(app, merchant)
    const elsewhereSocket = await inbox(elsewhere.cookie)
    await t.deps.db
      .deleteFrom('sessions')
      .where('merchant_id', '=', merchant.merchantId)
      .where(
        'id',
        'in',
        t.deps.db.selectFrom('sessions').select('id').where('csrf_token', '=', elsewhere.csrfToken),
      )
      .execute()
    await t.deps.sockets.sweep()
    expect((await elsewhereSocket.closed).code).toBe(SocketClose.sessionEnded.code)
    expect(stayingSocket.ws.readyState).toBe(WebSocket.OPEN)

    // Expiry: past the session's lifetime, the next sweep closes it.
    t.clock.advance(SESSION_TTL_MS + 1000)
    await t.deps.sockets.sweep()
    expect((await stayingSocket.closed).code).toBe(SocketClose.sessionEnded.code)
    await until(() => t.deps.sockets.size === 0, 'the server to forget the sockets')
  })
})
