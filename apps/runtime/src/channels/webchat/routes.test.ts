import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDeps, seedMerchant, type TestDeps } from '../../testing/test-deps.ts'
import {
  createChannel,
  ensureConversation,
  fakeInbound,
  harnessApp,
  queueOutboundMessage,
} from '../testing/channel-fixtures.ts'
import { webchatRoutes } from './routes.ts'
import { issueVisitorToken, VISITOR_TOKEN_TTL_SECONDS } from './visitor-token.ts'
import { createWebchatAdapter } from './webchat-adapter.ts'

describe.each(testDatabases())('web chat routes on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof harnessApp>
  let inbound: ReturnType<typeof fakeInbound>
  let merchantId: string
  let channelId: string

  beforeAll(async () => {
    t = await createTestDeps(kind)
    inbound = fakeInbound()
    app = harnessApp(t.deps, webchatRoutes({ handleInbound: inbound.handle }))
    merchantId = (await seedMerchant(t.deps.db)).merchantId
    channelId = (await createChannel(t.deps.db, merchantId, 'webchat')).id
  })
  afterAll(() => t?.close())

  const json = (body: unknown) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const auth = (token: string, init: RequestInit = {}) => ({
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
  })

  async function newSession(): Promise<{ token: string; visitorId: string }> {
    const res = await app.request(`/api/webchat/${channelId}/session`, { method: 'POST' })
    expect(res.status).toBe(201)
    return (await res.json()) as { token: string; visitorId: string }
  }

  it('creates a visitor session, and refreshes a valid token keeping the visitor id', async () => {
    const first = await newSession()
    expect(first.visitorId).toMatch(/^v_/)
    t.clock.advance(1000)
    const res = await app.request(`/api/webchat/${channelId}/session`, json({ token: first.token }))
    expect(res.status).toBe(200)
    const refreshed = (await res.json()) as { token: string; visitorId: string; refreshed: boolean }
    expect(refreshed.visitorId).toBe(first.visitorId)
    expect(refreshed.refreshed).toBe(true)
    expect(refreshed.token).not.toBe(first.token)
  })

  it('gives a new visitor id for an expired or foreign token', async () => {
    const first = await newSession()
    t.clock.advance((VISITOR_TOKEN_TTL_SECONDS + 1) * 1000)
    const expired = await app.request(`/api/webchat/${channelId}/session`, json({ token: first.token }))
    expect(expired.status).toBe(201)
    expect(((await expired.json()) as { visitorId: string }).visitorId).not.toBe(first.visitorId)
    const forged = await app.request(`/api/webchat/${channelId}/session`, json({ token: 'abc.def' }))
    expect(forged.status).toBe(201)
  })

  it('answers 404 for unknown, malformed or non-webchat channel ids', async () => {
    const whatsapp = await createChannel(t.deps.db, merchantId, 'whatsapp')
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', whatsapp.id]) {
      const res = await app.request(`/api/webchat/${id}/session`, { method: 'POST' })
      expect(res.status).toBe(404)
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } })
    }
  })

  it('takes a text message and a button tap to the engine, with per-visitor dedupe keys', async () => {
    const { token, visitorId } = await newSession()
    const before = inbound.received.length
    const text = await app.request(
      `/api/webchat/${channelId}/messages`,
      auth(token, json({ clientMessageId: 'm-1', text: 'Is this in blue?' })),
    )
    expect(text.status).toBe(202)
    const tap = await app.request(
      `/api/webchat/${channelId}/messages`,
      auth(token, json({ clientMessageId: 'm-2', text: 'Yes please', buttonId: 'yes' })),
    )
    expect(tap.status).toBe(202)
    expect(inbound.received.slice(before)).toEqual([
      {
        merchantId,
        channelId,
        externalId: `${visitorId}:m-1`,
        sender: { externalId: visitorId },
        text: 'Is this in blue?',
      },
      {
        merchantId,
        channelId,
        externalId: `${visitorId}:m-2`,
        sender: { externalId: visitorId },
        text: 'Yes please',
        buttonId: 'yes',
      },
    ])
  })

  it('refuses bad messages with the JSON error shape and hands nothing to the engine', async () => {
    const { token } = await newSession()
    const before = inbound.received.length
    const cases: [RequestInit, number, string][] = [
      [json({ clientMessageId: 'x', text: 'hi' }), 401, 'unauthorized'],
      // The token is checked before the body.
      [json({ text: 5 }), 401, 'unauthorized'],
      [auth('forged.token', json({ clientMessageId: 'x', text: 'hi' })), 401, 'unauthorized'],
      [auth(token, json({ clientMessageId: 'x', text: '   ' })), 400, 'validation_failed'],
      [auth(token, json({ clientMessageId: 'bad id!', text: 'hi' })), 400, 'validation_failed'],
      [auth(token, json({ clientMessageId: 'x', text: 5 })), 400, 'validation_failed'],
      [auth(token, json({ clientMessageId: 'x', text: 'hi', extra: true })), 400, 'validation_failed'],
      [
        auth(token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":' }),
        400,
        'invalid_json',
      ],
      [auth(token, json({ clientMessageId: 'x', text: 'a'.repeat(20_000) })), 413, 'payload_too_large'],
    ]
    for (const [init, status, code] of cases) {
      const res = await app.request(`/api/webchat/${channelId}/messages`, init)
      expect(res.status, code).toBe(status)
      expect(await res.json()).toMatchObject({ error: { code } })
    }
    expect(inbound.received.length).toBe(before)
  })

  it("shows a visitor their own transcript, never another visitor's", async () => {
    const alice = await newSession()
    const bob = await newSession()
    await app.request(
      `/api/webchat/${channelId}/messages`,
      auth(alice.token, json({ clientMessageId: 'a-1', text: 'Where is my order?' })),
    )
    await app.request(
      `/api/webchat/${channelId}/messages`,
      auth(bob.token, json({ clientMessageId: 'b-1', text: 'Does it run small?' })),
    )
    const aliceIds = await ensureConversation(t.deps.db, merchantId, channelId, alice.visitorId)
    // A queued reply is not shown until the adapter delivers it.
    const reply = await queueOutboundMessage(t.deps.db, { merchantId, ...aliceIds }, { text: 'It shipped!' })
    const queued = await app.request(`/api/webchat/${channelId}/messages`, auth(alice.token))
    expect(((await queued.json()) as { messages: unknown[] }).messages).toHaveLength(1)

    const adapter = createWebchatAdapter(t.deps)
    const channel = await t.deps.db
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', channelId)
      .executeTakeFirstOrThrow()
    const result = await adapter.send(channel, {
      to: alice.visitorId,
      message: { text: 'It shipped!' },
      messageId: reply.id,
    })
    expect(result).toEqual({ status: 'sent', providerMessageId: `webchat:${reply.id}` })

    const aliceView = (await (
      await app.request(`/api/webchat/${channelId}/messages`, auth(alice.token))
    ).json()) as {
      messages: { author: string; body: { text: string }; status: string }[]
      conversationStatus: string
      now: string
    }
    expect(aliceView.messages.map((m) => [m.author, m.body.text, m.status])).toEqual([
      ['shopper', 'Where is my order?', 'delivered'],
      ['bot', 'It shipped!', 'delivered'],
    ])
    expect(aliceView.conversationStatus).toBe('bot')
    // The server's clock (not the device's): the widget's "Today" / "Yesterday" go by it.
    expect(aliceView.now).toBe(new Date(t.clock.now()).toISOString())

    const bobView = (await (
      await app.request(`/api/webchat/${channelId}/messages`, auth(bob.token))
    ).json()) as { messages: { body: { text: string } }[] }
    expect(bobView.messages.map((m) => m.body.text)).toEqual(['Does it run small?'])

    // A token for another channel (same visitor id) opens nothing here.
    const other = await createChannel(t.deps.db, merchantId, 'webchat')
    const foreign = issueVisitorToken(
      { merchantId, channelId: other.id, visitorId: alice.visitorId },
      t.deps.config.secret,
      t.clock.now(),
    )
    const res = await app.request(`/api/webchat/${channelId}/messages`, auth(foreign.token))
    expect(res.status).toBe(401)
    // And a token signed with another secret is refused.
    const wrongSecret = issueVisitorToken(
      { merchantId, channelId, visitorId: alice.visitorId },
      'another-secret-another-secret-another',
      t.clock.now(),
    )
    expect((await app.request(`/api/webchat/${channelId}/messages`, auth(wrongSecret.token))).status).toBe(
      401,
    )
  })

  it('answers a plain GET of the socket URL with 426, and a bad token with 401', async () => {
    const { token } = await newSession()
    expect((await app.request(`/api/webchat/${channelId}/socket?token=${token}`)).status).toBe(426)
    expect((await app.request(`/api/webchat/${channelId}/socket?token=nope`)).status).toBe(401)
  })

  it('allows cross-origin calls from the store (CORS preflight)', async () => {
    const res = await app.request(`/api/webchat/${channelId}/messages`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    })
    expect(res.status).toBe(204)
    // No allowed-origins list on this channel: any store may embed it.
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(res.headers.get('access-control-allow-methods')).toContain('POST')
  })

  describe('a channel with allowed origins', () => {
    let guarded: string
    beforeAll(async () => {
      guarded = (
        await createChannel(t.deps.db, merchantId, 'webchat', {
          allowedOrigins: ['https://shop.example', 'http://localhost:8080'],
        })
      ).id
    })
    const preflight = (origin: string) =>
      app.request(`/api/webchat/${guarded}/session`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      })

    it('grants CORS to a listed site and to none other', async () => {
      const listed = await preflight('https://shop.example')
      expect(listed.headers.get('access-control-allow-origin')).toBe('https://shop.example')
      expect((await preflight('http://localhost:8080')).headers.get('access-control-allow-origin')).toBe(
        'http://localhost:8080',
      )
      for (const other of [
        'https://evil.example',
        'https://shop.example.evil.example',
        'http://shop.example',
      ]) {
        const res = await preflight(other)
        expect(res.headers.get('access-control-allow-origin')).toBeNull()
      }
    })

    it('refuses a request from another site with 403 and creates no visitor, serves listed sites and servers', async () => {
      const refused = await app.request(`/api/webchat/${guarded}/session`, {
        method: 'POST',
        headers: { origin: 'https://evil.example' },
      })
      expect(refused.status).toBe(403)
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden')
      expect(refused.headers.get('access-control-allow-origin')).toBeNull()

      const allowed = await app.request(`/api/webchat/${guarded}/session`, {
        method: 'POST',
        headers: { origin: 'https://shop.example' },
      })
      expect(allowed.status).toBe(201)
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example')
      // No Origin: not a browser page (a server, a test); the visitor token is what protects the transcript.
      expect((await app.request(`/api/webchat/${guarded}/session`, { method: 'POST' })).status).toBe(201)
      // The runtime's own pages (demo store, editor preview) are always allowed.
      const own = await app.request(`http://parley.test/api/webchat/${guarded}/session`, {
        method: 'POST',
        headers: { origin: 'http://parley.test', host: 'parley.test' },
      })
      expect(own.status).toBe(201)
    })

    it('refuses the socket upgrade from another site', async () => {
      const { token } = (await (
        await app.request(`/api/webchat/${guarded}/session`, { method: 'POST' })
      ).json()) as { token: string }
      const res = await app.request(`/api/webchat/${guarded}/socket?token=${token}`, {
        headers: { origin: 'https://evil.example', upgrade: 'websocket' },
      })
      expect(res.status).toBe(403)
    })
  })
})
