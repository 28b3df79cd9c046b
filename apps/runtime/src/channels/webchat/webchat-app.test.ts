// Web chat through the whole runtime: createApp served on a real port, a published flow answering the
// visitor, the outbox relay delivering through the webchat adapter, and the reply arriving on the socket.
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createApp } from '../../app.ts'
import { relayOutbox } from '../../delivery/outbox-relay.ts'
import { createWebSocketServer } from '../../realtime/websocket-server.ts'
import { publishFlowDocument, seedChannel } from '../../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../../testing/test-deps.ts'
import { issueVisitorToken } from './visitor-token.ts'
import { createWebchatAdapter } from './webchat-adapter.ts'

const greeterFlow = {
  version: 1,
  name: 'Greeter',
  nodes: [
    {
      id: 'start',
      kind: 'trigger-message',
      position: { x: 0, y: 0 },
      config: { match: 'any', keywords: [] },
    },
    {
      id: 'hello',
      kind: 'send-message',
      position: { x: 0, y: 160 },
      config: {
        text: 'Hi! Still thinking about the mug?',
        imageUrl: 'https://cdn.example/mug.jpg',
        buttons: [
          { id: 'yes', title: 'Yes' },
          { id: 'no', title: 'No' },
        ],
      },
    },
    { id: 'done', kind: 'end', position: { x: 0, y: 320 }, config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'hello' },
    { id: 'e2', source: 'hello', sourceHandle: 'next', target: 'done' },
  ],
}

describe.each(testDatabases())('web chat through the runtime on %s', (kind) => {
  let t: TestDeps
  let server: ReturnType<typeof serve> | undefined
  let base = ''

  beforeAll(async () => {
    t = await createTestDeps(kind)
    t.deps.channels.webchat = createWebchatAdapter(t.deps)
    const app = createApp(t.deps)
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

  it('documents the widget API in /openapi.json', async () => {
    const doc = (await (await fetch(`http://${base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>
      components: { securitySchemes: Record<string, unknown> }
    }
    expect(Object.keys(doc.paths['/api/webchat/{channelId}/messages'] ?? {}).sort()).toEqual(['get', 'post'])
    expect(doc.paths['/api/webchat/{channelId}/session']).toHaveProperty('post')
    expect(doc.components.securitySchemes).toHaveProperty('visitorToken')
  })

  it('delivers the flow’s reply (text, image, buttons) to the visitor’s socket', async () => {
    const { merchantId } = await seedMerchant(t.deps.db)
    const channel = await seedChannel(t.deps.db, merchantId, 'webchat')
    await publishFlowDocument(t.deps.db, merchantId, greeterFlow)
    const session = await fetch(`http://${base}/api/webchat/${channel.id}/session`, { method: 'POST' })
    const { token } = (await session.json()) as { token: string }

    const ws = new WebSocket(
      `ws://${base}/api/webchat/${channel.id}/socket?token=${encodeURIComponent(token)}`,
    )
    const frames: { type: string; message?: { author: string; body: Record<string, unknown> } }[] = []
    const botMessage = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no bot message on the socket')), 10_000)
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as (typeof frames)[number]
        frames.push(frame)
        if (frame.type === 'message' && frame.message?.author === 'bot') {
          clearTimeout(timer)
          resolve(frame.message.body)
        }
      })
    })
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })

    const sent = await fetch(`http://${base}/api/webchat/${channel.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientMessageId: 'hello-1', text: 'hello' }),
    })
    expect(sent.status).toBe(202)
    expect(await sent.json()).toMatchObject({ accepted: true, duplicate: false })
    // The same client message id again (a retried POST): processed once.
    const retried = await fetch(`http://${base}/api/webchat/${channel.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientMessageId: 'hello-1', text: 'hello' }),
    })
    expect(await retried.json()).toMatchObject({ accepted: true, duplicate: true })
    // Delivered in the step itself (delivery/in-step-delivery.ts): no outbox row, nothing for the relay.
    expect(await botMessage).toEqual({
      text: 'Hi! Still thinking about the mug?',
      imageUrl: 'https://cdn.example/mug.jpg',
      buttons: [
        { id: 'yes', title: 'Yes' },
        { id: 'no', title: 'No' },
      ],
    })
    // The shopper's own message was pushed too (other tabs of the same visitor).
    expect(frames.some((f) => f.type === 'message' && f.message?.author === 'shopper')).toBe(true)
    const shopperRows = await t.deps.db
      .selectFrom('messages')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('author', '=', 'shopper')
      .execute()
    expect(shopperRows).toHaveLength(1)
    const botRows = await t.deps.db
      .selectFrom('messages')
      .select(['status', 'provider_message_id', 'delivered_at'])
      .where('merchant_id', '=', merchantId)
      .where('author', '=', 'bot')
      .execute()
    expect(botRows).toEqual([
      {
        status: 'delivered',
        provider_message_id: expect.stringMatching(/^webchat:/),
        delivered_at: expect.any(Date),
      },
    ])
    expect(await t.deps.db.selectFrom('outbox').select('id').execute()).toEqual([])
    expect((await relayOutbox(t.deps)).claimed).toBe(0)
    ws.close()
  })

  it('refuses a valid token once its channel is disabled (404), and a token naming another merchant (401), writing nothing', async () => {
    const { merchantId } = await seedMerchant(t.deps.db)
    const other = await seedMerchant(t.deps.db)
    const channel = await seedChannel(t.deps.db, merchantId, 'webchat')
    await publishFlowDocument(t.deps.db, merchantId, greeterFlow)
    const session = await fetch(`http://${base}/api/webchat/${channel.id}/session`, { method: 'POST' })
    const { token, visitorId } = (await session.json()) as { token: string; visitorId: string }
    const say = (bearerToken: string, clientMessageId: string) =>
      fetch(`http://${base}/api/webchat/${channel.id}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearerToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ clientMessageId, text: 'hello' }),
      })
    // Signed with the runtime's secret but for the other merchant: no such channel of theirs.
    const foreign = issueVisitorToken(
      { merchantId: other.merchantId, channelId: channel.id, visitorId },
      t.deps.config.secret,
      t.deps.clock.now(),
    ).token
    const refusedForeign = await say(foreign, 'foreign-1')
    expect(refusedForeign.status).toBe(401)
    expect(await refusedForeign.json()).toMatchObject({ error: { code: 'unauthorized' } })

    await t.deps.db.updateTable('channels').set({ enabled: false }).where('id', '=', channel.id).execute()
    const refused = await say(token, 'disabled-1')
    expect(refused.status).toBe(404)
    expect(await refused.json()).toMatchObject({ error: { code: 'not_found' } })
    const written = await t.deps.db
      .selectFrom('receipts')
      .select('external_id')
      .where('merchant_id', 'in', [merchantId, other.merchantId])
      .execute()
    expect(written).toEqual([])
    const messages = await t.deps.db
      .selectFrom('messages')
      .select('id')
      .where('merchant_id', 'in', [merchantId, other.merchantId])
      .execute()
    expect(messages).toEqual([])

    await t.deps.db.updateTable('channels').set({ enabled: true }).where('id', '=', channel.id).execute()
    expect((await say(token, 'enabled-again-1')).status).toBe(202)
  })
})
