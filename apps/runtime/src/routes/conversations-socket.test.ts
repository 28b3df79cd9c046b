// The inbox's live socket on a real server: staff of the merchant hear new messages and status changes,
// staff of another merchant hear nothing, and a page from another origin cannot open it.
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createApp } from '../app.ts'
import { createWebchatAdapter } from '../channels/webchat/webchat-adapter.ts'
import { createWebSocketServer } from '../realtime/websocket-server.ts'
import { seedChannel } from '../testing/engine-fixtures.ts'
import { signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

type Frame = {
  type: string
  conversationId?: string
  message?: { author: string }
  conversation?: { status: string }
}

describe.each(testDatabases())('inbox socket on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  let server: ReturnType<typeof serve> | undefined
  let base = ''

  beforeAll(async () => {
    t = await createTestDeps(kind)
    t.deps.channels.webchat = createWebchatAdapter(t.deps)
    app = createApp(t.deps)
    const wss = createWebSocketServer()
    await new Promise<void>((resolve) => {
      server = serve(
        { fetch: app.fetch, port: 0, hostname: '127.0.0.1', websocket: { server: wss } },
        (info: AddressInfo) => {
          base = `127.0.0.1:${info.port}`
          resolve()
        },
      )
    })
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    await t?.close()
  })

  async function open(cookie: string, origin?: string) {
    const ws = new WebSocket(`ws://${base}/api/conversations/socket`, {
      headers: { cookie, ...(origin ? { origin } : {}) },
    })
    const frames: Frame[] = []
    ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame))
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('open', () => resolve(101))
      ws.on('error', () => {})
    })
    return { ws, frames, status }
  }

  it("pushes the merchant's new messages and status changes to its staff only", async () => {
    const a = await seedMerchant(t.deps.db)
    const b = await seedMerchant(t.deps.db)
    const staffA = await signIn(app, a)
    const staffB = await signIn(app, b)
    const socketA = await open(staffA.cookie, `http://${base}`)
    const socketB = await open(staffB.cookie)
    expect([socketA.status, socketB.status]).toEqual([101, 101])

    const channel = await seedChannel(t.deps.db, a.merchantId, 'webchat')
    const { token } = (await (
      await fetch(`http://${base}/api/webchat/${channel.id}/session`, { method: 'POST' })
    ).json()) as {
      token: string
    }
    await fetch(`http://${base}/api/webchat/${channel.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientMessageId: 'x1', text: 'Anyone there?' }),
    })
    const start = Date.now()
    while (!socketA.frames.some((f) => f.type === 'message') && Date.now() - start < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const message = socketA.frames.find((f) => f.type === 'message')
    expect(message?.message?.author).toBe('shopper')

    const list = await app.request('/api/conversations', { headers: staffA.read })
    const [conversation] = ((await list.json()) as { conversations: { id: string }[] }).conversations
    await app.request(`/api/conversations/${conversation!.id}/take-over`, {
      method: 'POST',
      headers: staffA.write,
    })
    while (!socketA.frames.some((f) => f.type === 'conversation') && Date.now() - start < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(socketA.frames.find((f) => f.type === 'conversation')?.conversation?.status).toBe('assigned')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(socketB.frames.map((f) => f.type)).toEqual(['ready'])
    socketA.ws.close()
    socketB.ws.close()
  })

  it('refuses the upgrade signed out, or from another origin', async () => {
    const m = await seedMerchant(t.deps.db)
    const staff = await signIn(app, m)
    expect((await open('')).status).toBe(401)
    expect((await open(staff.cookie, 'https://evil.example')).status).toBe(403)
  })
})
