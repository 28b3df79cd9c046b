// The shopper's side of a handoff through the real app: who joined (name and avatar, on web chat and as text on
// Telegram), staff names on their replies, "back with the assistant", typing both ways over the hubs, and
// web-chat photos (type and size limits checked server-side, read back by the visitor and by staff).
import type { VisitorMessage } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../app.ts'
import { redactShopper } from '../../contacts/shopper-privacy.ts'
import { relayOutbox } from '../../delivery/outbox-relay.ts'
import type { LiveSocket } from '../../realtime/socket-registry.ts'
import { publishFlowDocument, seedChannel } from '../../testing/engine-fixtures.ts'
import { type SignedIn, signIn } from '../../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../../testing/test-deps.ts'
import { ensureConversation } from '../testing/channel-fixtures.ts'
import { createWebchatAdapter } from './webchat-adapter.ts'

const escalationFlow = {
  version: 1,
  name: 'Questions to a person',
  nodes: [
    {
      id: 'start',
      kind: 'trigger-message',
      position: { x: 0, y: 0 },
      config: { match: 'any', keywords: [] },
    },
    {
      id: 'human',
      kind: 'escalate',
      position: { x: 0, y: 160 },
      config: { queue: 'support', summaryFields: [], note: 'Connecting you to our team' },
    },
    { id: 'back', kind: 'send-message', position: { x: 0, y: 320 }, config: { text: 'Anything else?' } },
    { id: 'done', kind: 'end', position: { x: 0, y: 480 }, config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'human' },
    { id: 'e2', source: 'human', sourceHandle: 'next', target: 'back' },
    { id: 'e3', source: 'back', sourceHandle: 'next', target: 'done' },
  ],
}

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
])

function fakeSocket(): LiveSocket & { events: Record<string, unknown>[] } {
  const events: Record<string, unknown>[] = []
  return { readyState: 1, events, send: (data: string) => void events.push(JSON.parse(data)) }
}

describe.each(testDatabases())('the shopper side of a handoff on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  let merchantId: string
  let channelId: string
  let sam: SignedIn
  let samId: string
  let other: SignedIn

  beforeAll(async () => {
    t = await createTestDeps(kind)
    t.deps.channels.webchat = createWebchatAdapter(t.deps)
    app = createApp(t.deps)
    const merchant = await seedMerchant(t.deps.db, { name: 'North Thread' })
    merchantId = merchant.merchantId
    const agent = await seedUser(t.deps.db, merchantId, { role: 'agent' })
    samId = agent.userId
    await t.deps.db
      .updateTable('users')
      .set({ name: 'Sam Rivera', avatar_url: 'https://cdn.example/sam.png' })
      .where('merchant_id', '=', merchantId)
      .where('id', '=', samId)
      .execute()
    sam = await signIn(app, agent)
    other = await signIn(app, merchant)
    channelId = (await seedChannel(t.deps.db, merchantId, 'webchat')).id
    await publishFlowDocument(t.deps.db, merchantId, escalationFlow)
  })
  afterAll(() => t?.close())

  const staff = (who: SignedIn, method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: who.write,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  const visitor = async () => {
    const res = await app.request(`/api/webchat/${channelId}/session`, { method: 'POST' })
    const { token, visitorId } = (await res.json()) as { token: string; visitorId: string }
    const call = (method: string, path: string, init: RequestInit = {}) =>
      app.request(`/api/webchat/${channelId}${path}`, {
        ...init,
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
      })
    const transcript = async () =>
      ((await (await call('GET', '/messages')).json()) as { messages: VisitorMessage[] }).messages
    return { token, visitorId, call, transcript }
  }
  /** A conversation's sends go out one at a time, in order: enough relay passes to send all that is queued. */
  const drain = async () => {
    for (let pass = 0; pass < 4; pass++) await relayOutbox(t.deps)
  }
  /** A visitor whose question the flow escalated; the conversation waits for a person. */
  const escalated = async (text = 'Is the linen shirt available in M?') => {
    const v = await visitor()
    await v.call('POST', '/messages', { body: JSON.stringify({ clientMessageId: 'q1', text }) })
    await drain()
    const conversation = await t.deps.db
      .selectFrom('conversations as c')
      .innerJoin('contact_identities as ci', (j) =>
        j.onRef('ci.merchant_id', '=', 'c.merchant_id').onRef('ci.contact_id', '=', 'c.contact_id'),
      )
      .select(['c.id', 'c.status'])
      .where('c.merchant_id', '=', merchantId)
      .where('ci.external_id', '=', v.visitorId)
      .executeTakeFirstOrThrow()
    expect(conversation.status).toBe('waiting')
    return { ...v, conversationId: conversation.id }
  }

  it('tells the shopper who joined, names the staff replies and says when the assistant is back', async () => {
    const v = await escalated()
    expect((await staff(sam, 'POST', `/api/conversations/${v.conversationId}/take-over`)).status).toBe(200)
    await drain()
    t.clock.advance(1000)
    await staff(sam, 'POST', `/api/conversations/${v.conversationId}/messages`, {
      text: 'Yes, M is in stock.',
    })
    await drain()
    t.clock.advance(1000)
    expect((await staff(sam, 'POST', `/api/conversations/${v.conversationId}/hand-back`)).status).toBe(200)
    // A conversation's sends go out one at a time, in order: the notice, then the resumed bot.
    await drain()

    const messages = await v.transcript()
    expect(
      messages.map((m) => [m.author, m.body.notice ?? null, m.body.text, m.staff?.name ?? null]),
    ).toEqual([
      ['shopper', null, 'Is the linen shirt available in M?', null],
      ['bot', null, 'Connecting you to our team', null],
      ['bot', null, "I've asked the team — a person will reply here, usually within 30 minutes.", null],
      ['system', 'staff_joined', 'Sam from North Thread joined the chat', 'Sam'],
      ['staff', null, 'Yes, M is in stock.', 'Sam'],
      ['system', 'staff_left', "You're back with the assistant", null],
      ['bot', null, 'Anything else?', null],
    ])
    expect(messages[4]?.staff).toEqual({ name: 'Sam', avatarUrl: 'https://cdn.example/sam.png' })
    // Transcript order is the seq order, and the staff-only notes ("Sam took over…") never reach the shopper.
    const seqs = messages.map((m) => m.seq)
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs)
    expect(messages.some((m) => /took over|handed the conversation/.test(m.body.text ?? ''))).toBe(false)
  })

  it('uses the display name when one is set, and never the email', async () => {
    await t.deps.db
      .updateTable('users')
      .set({ display_name: 'Sammy' })
      .where('merchant_id', '=', merchantId)
      .where('id', '=', samId)
      .execute()
    try {
      const v = await escalated('Where is my order?')
      await staff(sam, 'POST', `/api/conversations/${v.conversationId}/take-over`)
      await drain()
      const joined = (await v.transcript()).find((m) => m.body.notice === 'staff_joined')
      expect(joined?.body.text).toBe('Sammy from North Thread joined the chat')
    } finally {
      await t.deps.db
        .updateTable('users')
        .set({ display_name: null })
        .where('merchant_id', '=', merchantId)
        .where('id', '=', samId)
        .execute()
    }
  })

  it('sends the joined line as text on Telegram through the same send path', async () => {
    const telegram = await seedChannel(t.deps.db, merchantId, 'telegram')
    const { conversationId } = await ensureConversation(t.deps.db, merchantId, telegram.id, '424242')
    await t.deps.db
      .updateTable('conversations')
      .set({ status: 'waiting', last_inbound_at: new Date(t.clock.now()) })
      .where('merchant_id', '=', merchantId)
      .where('id', '=', conversationId)
      .execute()
    expect((await staff(sam, 'POST', `/api/conversations/${conversationId}/take-over`)).status).toBe(200)
    const queued = await t.deps.db
      .selectFrom('outbox')
      .innerJoin('messages', (j) =>
        j
          .onRef('messages.merchant_id', '=', 'outbox.merchant_id')
          .onRef('messages.id', '=', 'outbox.message_id'),
      )
      .select(['outbox.payload', 'messages.author', 'messages.body'])
      .where('outbox.merchant_id', '=', merchantId)
      .where('outbox.conversation_id', '=', conversationId)
      .execute()
    expect(queued).toHaveLength(1)
    expect(queued[0]?.author).toBe('system')
    expect((queued[0]!.payload as { message: { text: string } }).message).toEqual({
      text: 'Sam from North Thread joined the chat',
    })
  })

  it('carries typing both ways: shopper to the inbox, the assignee to the widget, throttled', async () => {
    const v = await escalated('Can I change the size?')
    const inbox = fakeSocket()
    const widget = fakeSocket()
    const detachInbox = t.deps.inboxHub.attach(merchantId, inbox)
    const detachWidget = t.deps.webchatHub.attach({ merchantId, channelId, visitorId: v.visitorId }, widget)
    try {
      const typing = async (res: Response | Promise<Response>) => {
        const r = await res
        return { status: r.status, body: (await r.json()) as { published?: boolean } }
      }
      expect(await typing(v.call('POST', '/typing'))).toEqual({ status: 202, body: { published: true } })
      await vi.waitFor(() =>
        expect(inbox.events).toContainEqual({
          type: 'typing',
          conversationId: v.conversationId,
          who: 'shopper',
        }),
      )
      // Inside the throttle: dropped; after it, sent again.
      expect((await typing(v.call('POST', '/typing'))).body).toEqual({ published: false })
      t.clock.advance(3000)
      expect((await typing(v.call('POST', '/typing'))).body).toEqual({ published: true })

      // Only the assignee types to the shopper.
      const before = await typing(staff(sam, 'POST', `/api/conversations/${v.conversationId}/typing`))
      expect(before.status).toBe(409)
      await staff(sam, 'POST', `/api/conversations/${v.conversationId}/take-over`)
      expect(await typing(staff(sam, 'POST', `/api/conversations/${v.conversationId}/typing`))).toEqual({
        status: 202,
        body: { published: true },
      })
      await vi.waitFor(() =>
        expect(widget.events).toContainEqual({
          type: 'typing',
          staff: { name: 'Sam', avatarUrl: 'https://cdn.example/sam.png' },
        }),
      )
      expect((await staff(other, 'POST', `/api/conversations/${v.conversationId}/typing`)).status).toBe(409)
      // Each side hears only the other.
      expect(widget.events.filter((e) => e.type === 'typing')).toHaveLength(1)
      expect(inbox.events.filter((e) => e.type === 'typing')).toHaveLength(2)
    } finally {
      detachInbox()
      detachWidget()
    }
  })

  it('does not tell the inbox when a shopper types to the bot', async () => {
    const v = await visitor()
    expect(await (await v.call('POST', '/typing')).json()).toEqual({ published: false })
  })

  it('stores a photo, shows it to its visitor and to staff, and refuses other types and sizes', async () => {
    const v = await visitor()
    const upload = (bytes: Uint8Array, type: string, id = 'p1') =>
      v.call('POST', `/photos?clientMessageId=${id}`, { body: bytes, headers: { 'content-type': type } })
    const accepted = await upload(PNG, 'image/png')
    expect(accepted.status).toBe(202)
    expect(await accepted.json()).toMatchObject({ accepted: true, clientMessageId: 'p1', duplicate: false })
    const sent = (await v.transcript()).find((m) => m.direction === 'in')!
    const media = sent.body.media?.[0]
    expect(media?.mimeType).toBe('image/png')
    const photoId = media!.url.replace('webchat-photo:', '')
    const back = await v.call('GET', `/photos/${photoId}`)
    expect(back.status).toBe(200)
    expect(back.headers.get('content-type')).toBe('image/png')
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(PNG)
    // Another visitor cannot read it; staff can, through the inbox media route.
    expect((await (await visitor()).call('GET', `/photos/${photoId}`)).status).toBe(404)
    const staffCopy = await app.request(
      `/api/conversations/${sent.conversationId}/messages/${sent.id}/media/0`,
      { headers: other.read },
    )
    expect(staffCopy.status).toBe(200)
    expect(new Uint8Array(await staffCopy.arrayBuffer())).toEqual(PNG)

    const count = async () =>
      Number(
        (
          await t.deps.db
            .selectFrom('webchat_photos')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const stored = await count()
    const refused = async (res: Response, status: number, message: RegExp) => {
      expect(res.status).toBe(status)
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message)
    }
    await refused(
      await upload(new TextEncoder().encode('<svg/>'), 'image/png', 'p2'),
      400,
      /JPEG, PNG, WebP or HEIC/,
    )
    await refused(await upload(new TextEncoder().encode('GIF89a....'), 'image/gif', 'p3'), 400, /JPEG, PNG/)
    // A real PNG claiming to be a JPEG is refused too: the bytes decide.
    await refused(await upload(PNG, 'image/jpeg', 'p4'), 400, /JPEG, PNG/)
    const big = new Uint8Array(10 * 1024 * 1024 + 1)
    big.set(PNG)
    await refused(await upload(big, 'image/png', 'p5'), 413, /up to 10 MB/)
    expect(await count()).toBe(stored)

    // Erasing the shopper (a privacy request) erases their photos too.
    await t.deps.db
      .updateTable('contacts')
      .set({ email: `photo-${v.visitorId}@shopper.example` })
      .where('merchant_id', '=', merchantId)
      .where('id', 'in', (eb) =>
        eb.selectFrom('contact_identities').select('contact_id').where('external_id', '=', v.visitorId),
      )
      .execute()
    expect(
      await redactShopper(t.deps.db, merchantId, { email: `photo-${v.visitorId}@shopper.example` }),
    ).toBe(1)
    expect(await count()).toBe(stored - 1)
  })
})
