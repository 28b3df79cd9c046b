// The visitor's WebSocket on a real server (serve() on port 0, the ws client), and across two replicas:
// the socket held by replica B hears a bot message delivered by replica A, through LISTEN/NOTIFY.
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { type OpenedDatabase, openDatabase } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { RuntimeDeps } from '../../deps.ts'
import { createLogger } from '../../observability/logger.ts'
import { PgRealtime } from '../../realtime/pg-realtime.ts'
import { createWebSocketServer } from '../../realtime/websocket-server.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../../testing/test-deps.ts'
import { createChannel, fakeInbound, harnessApp, queueOutboundMessage } from '../testing/channel-fixtures.ts'
import { webchatRoutes } from './routes.ts'
import type { VisitorMessage } from './transcript.ts'
import { createWebchatAdapter } from './webchat-adapter.ts'

type Server = ReturnType<typeof serve>
/** A socket frame, loosely typed for assertions. */
interface Frame {
  type: string
  message: VisitorMessage
  [key: string]: unknown
}

function startServer(deps: RuntimeDeps, inbound = fakeInbound()): Promise<{ server: Server; url: string }> {
  const app = harnessApp(deps, webchatRoutes({ handleInbound: inbound.handle }))
  const wss = createWebSocketServer()
  return new Promise((resolve) => {
    const server = serve(
      { fetch: app.fetch, port: 0, hostname: '127.0.0.1', websocket: { server: wss } },
      (info) => resolve({ server, url: `http://127.0.0.1:${(info as AddressInfo).port}` }),
    )
  })
}

function stopServer(server: Server | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()))
}

/** Connects and collects JSON frames; resolves once the server says ready. */
async function connect(
  url: string,
): Promise<{ ws: WebSocket; frames: unknown[]; next(type: string): Promise<Frame> }> {
  const ws = new WebSocket(url)
  const frames: unknown[] = []
  const waiters: { type: string; resolve: (frame: unknown) => void }[] = []
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { type: string }
    frames.push(frame)
    for (const waiter of waiters.splice(0)) {
      if (waiter.type === frame.type) waiter.resolve(frame)
      else waiters.push(waiter)
    }
  })
  const next = (type: string) =>
    new Promise<Frame>((resolve, reject) => {
      const found = frames.find((frame) => (frame as { type: string }).type === type)
      if (found) {
        frames.splice(frames.indexOf(found), 1)
        return resolve(found as Frame)
      }
      const timer = setTimeout(() => reject(new Error(`no ${type} frame`)), 5000)
      waiters.push({
        type,
        resolve: (frame) => {
          clearTimeout(timer)
          frames.splice(frames.indexOf(frame), 1)
          resolve(frame as Frame)
        },
      })
    })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  await next('ready')
  return { ws, frames, next }
}

async function session(base: string, channelId: string) {
  const res = await fetch(`${base}/api/webchat/${channelId}/session`, { method: 'POST' })
  return (await res.json()) as { token: string; visitorId: string }
}

async function say(base: string, channelId: string, token: string, id: string, text: string) {
  const res = await fetch(`${base}/api/webchat/${channelId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ clientMessageId: id, text }),
  })
  expect(res.status).toBe(202)
  return res
}

describe.each(testDatabases())('web chat socket on %s', (kind) => {
  let t: TestDeps
  let server: Server | undefined
  let base: string
  let inbound: ReturnType<typeof fakeInbound>

  beforeAll(async () => {
    t = await createTestDeps(kind)
    inbound = fakeInbound()
    const started = await startServer(t.deps, inbound)
    server = started.server
    base = started.url
  })
  afterAll(async () => {
    await stopServer(server)
    await t?.close()
  })

  it('pushes the bot reply to the visitor, and nothing of another visitor', async () => {
    const { merchantId } = await seedMerchant(t.deps.db)
    const channel = await createChannel(t.deps.db, merchantId, 'webchat')
    const alice = await session(base, channel.id)
    const bob = await session(base, channel.id)
    const wsBase = base.replace('http', 'ws')
    const aliceSocket = await connect(`${wsBase}/api/webchat/${channel.id}/socket?token=${alice.token}`)
    const bobSocket = await connect(`${wsBase}/api/webchat/${channel.id}/socket?token=${bob.token}`)

    await say(base, channel.id, alice.token, 'c1', 'Hi, is the mug in stock?')
    const ids = await lastConversation(t.deps, merchantId, alice.visitorId)
    const reply = await queueOutboundMessage(t.deps.db, ids, {
      text: 'Yes! Still available.',
      imageUrl: 'https://shop.example/mug.jpg',
      product: { title: 'Mug', price: 12, currency: 'EUR' },
      buttons: [{ id: 'buy', title: 'Buy now' }],
    })
    await createWebchatAdapter(t.deps).send(channel, {
      to: alice.visitorId,
      message: { text: 'Yes! Still available.' },
      messageId: reply.id,
    })
    const frame = await aliceSocket.next('message')
    expect(frame.message).toMatchObject({
      id: reply.id,
      author: 'bot',
      status: 'delivered',
      body: {
        text: 'Yes! Still available.',
        buttons: [{ id: 'buy', title: 'Buy now' }],
        product: { title: 'Mug' },
      },
    })
    // Status changes reach the socket too.
    await t.deps.db
      .updateTable('conversations')
      .set({ status: 'assigned' })
      .where('merchant_id', '=', merchantId)
      .where('id', '=', ids.conversationId)
      .execute()
    await t.deps.realtime.publish({
      merchantId,
      conversationId: ids.conversationId,
      kind: 'conversation',
      id: ids.conversationId,
    })
    expect(await aliceSocket.next('conversation')).toEqual({
      type: 'conversation',
      conversationId: ids.conversationId,
      status: 'assigned',
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(bobSocket.frames).toEqual([])
    aliceSocket.ws.close()
    bobSocket.ws.close()
  })

  it('refuses the upgrade without a valid token', async () => {
    const { merchantId } = await seedMerchant(t.deps.db)
    const channel = await createChannel(t.deps.db, merchantId, 'webchat')
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/webchat/${channel.id}/socket?token=forged`)
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('open', () => resolve(101))
      ws.on('error', () => {})
    })
    expect(status).toBe(401)
  })
})

async function lastConversation(deps: RuntimeDeps, merchantId: string, visitorId: string) {
  const row = await deps.db
    .selectFrom('contact_identities as ci')
    .innerJoin('conversations as c', (join) =>
      join.onRef('c.merchant_id', '=', 'ci.merchant_id').onRef('c.contact_id', '=', 'ci.contact_id'),
    )
    .select(['c.id as conversationId', 'c.contact_id as contactId'])
    .where('ci.merchant_id', '=', merchantId)
    .where('ci.external_id', '=', visitorId)
    .executeTakeFirstOrThrow()
  return { merchantId, ...row }
}

const url = process.env.TEST_DATABASE_URL
describe.skipIf(!url)('web chat socket across two replicas on real Postgres', () => {
  let t: TestDeps
  const opened: OpenedDatabase[] = []
  const realtimes: PgRealtime[] = []
  const servers: Server[] = []

  afterAll(async () => {
    for (const server of servers) await stopServer(server)
    for (const realtime of realtimes) await realtime.close()
    for (const database of opened) await database.close()
    await t?.close()
  })

  it('delivers a message sent by replica A to the socket held by replica B', async () => {
    t = await createTestDeps('postgres')
    const name = (await sql<{ name: string }>`select current_database() as name`.execute(t.deps.db)).rows[0]!
      .name
    const dbUrl = new URL(url!)
    dbUrl.pathname = `/${name}`
    const replica = async (): Promise<RuntimeDeps> => {
      const database = await openDatabase({ url: dbUrl.toString(), migrate: false })
      opened.push(database)
      const realtime = new PgRealtime({
        db: database.db,
        pool: database.pool!,
        logger: createLogger('silent'),
      })
      await realtime.start()
      realtimes.push(realtime)
      return { ...t.deps, db: database.db, realtime }
    }
    const replicaA = await replica()
    const replicaB = await replica()
    const inbound = fakeInbound()
    const b = await startServer(replicaB, inbound)
    servers.push(b.server)

    const { merchantId } = await seedMerchant(replicaA.db)
    const channel = await createChannel(replicaA.db, merchantId, 'webchat')
    const visitor = await session(b.url, channel.id)
    const socket = await connect(
      `${b.url.replace('http', 'ws')}/api/webchat/${channel.id}/socket?token=${visitor.token}`,
    )
    await say(b.url, channel.id, visitor.token, 'c1', 'hello')
    const ids = await lastConversation(replicaA, merchantId, visitor.visitorId)
    const reply = await queueOutboundMessage(replicaA.db, ids, { text: 'Hello from replica A' })
    await createWebchatAdapter(replicaA).send(channel, {
      to: visitor.visitorId,
      message: { text: 'Hello from replica A' },
      messageId: reply.id,
    })
    // The shopper's own message is echoed too (other tabs); wait for the bot's.
    let frame = await socket.next('message')
    while (frame.message.id !== reply.id) frame = await socket.next('message')
    expect(frame.message.body).toEqual({ text: 'Hello from replica A' })
    socket.ws.close()
  })
})
