// The staff inbox through the real app: a web-chat shopper escalated by a flow, the agent takes over,
// replies (the visitor sees it), hands back (the flow continues), resolves. Tenant-scoped and CSRF-guarded.

import type { InboxConversation, InboxMessage } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { ensureConversation } from '../channels/testing/channel-fixtures.ts'
import { createWebchatAdapter } from '../channels/webchat/webchat-adapter.ts'
import { relayOutbox } from '../delivery/outbox-relay.ts'
import { publishFlowDocument, seedChannel } from '../testing/engine-fixtures.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../testing/test-deps.ts'

const escalationFlow = {
  version: 1,
  name: 'Returns triage',
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
      config: {
        queue: 'returns',
        summaryFields: [{ label: 'Said', path: 'trigger.text' }],
        note: 'Connecting you to our team',
      },
    },
    {
      id: 'back',
      kind: 'send-message',
      position: { x: 0, y: 320 },
      config: { text: 'The bot is back. Anything else?' },
    },
    { id: 'done', kind: 'end', position: { x: 0, y: 480 }, config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'human' },
    { id: 'e2', source: 'human', sourceHandle: 'next', target: 'back' },
    { id: 'e3', source: 'back', sourceHandle: 'next', target: 'done' },
  ],
}

describe.each(testDatabases())('staff inbox on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>

  beforeAll(async () => {
    t = await createTestDeps(kind)
    t.deps.channels.webchat = createWebchatAdapter(t.deps)
    app = createApp(t.deps)
  })
  afterAll(() => t?.close())

  const call = async <T>(s: SignedIn | null, method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: s ? (method === 'GET' ? s.read : s.write) : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T }
  }
  const visitorCall = async <T>(channelId: string, token: string, method: string, body?: unknown) => {
    const res = await app.request(`/api/webchat/${channelId}/messages`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as T }
  }
  type Transcript = { messages: { author: string; body: { text: string } }[]; conversationStatus: string }
  const visitorTexts = async (channelId: string, token: string) =>
    (await visitorCall<Transcript>(channelId, token, 'GET')).body.messages.map(
      (m) => `${m.author}: ${m.body.text}`,
    )

  it('takes a web-chat conversation from escalation through take-over, reply, hand-back and resolve', async () => {
    const merchant = await seedMerchant(t.deps.db)
    const agentUser = await seedUser(t.deps.db, merchant.merchantId, { role: 'agent' })
    const agent = await signIn(app, agentUser)
    const channel = await seedChannel(t.deps.db, merchant.merchantId, 'webchat')
    await publishFlowDocument(t.deps.db, merchant.merchantId, escalationFlow)

    // A quieter conversation, still with the bot, and more recent.
    const quiet = await ensureConversation(t.deps.db, merchant.merchantId, channel.id, 'v_quiet')
    const session = await app.request(`/api/webchat/${channel.id}/session`, { method: 'POST' })
    const { token } = (await session.json()) as { token: string }
    const sent = await visitorCall(channel.id, token, 'POST', {
      clientMessageId: 'm1',
      text: 'I want to return my order',
    })
    expect(sent.status).toBe(202)
    await t.deps.db
      .updateTable('conversations')
      .set({ last_message_at: new Date(t.clock.now() + 60_000) })
      .where('merchant_id', '=', merchant.merchantId)
      .where('id', '=', quiet.conversationId)
      .execute()
    // One send per conversation in flight: the step's note, then the acknowledgement.
    await relayOutbox(t.deps)
    await relayOutbox(t.deps)
    expect(await visitorTexts(channel.id, token)).toEqual([
      'shopper: I want to return my order',
      'bot: Connecting you to our team',
      "bot: I've asked the team — a person will reply here, usually within 1 hour.",
    ])

    // All open, newest activity first; the waiting view holds only the one waiting for a person.
    const allOpen = await call<{ conversations: InboxConversation[] }>(agent, 'GET', '/api/conversations')
    expect(allOpen.body.conversations.map((c) => c.status)).toEqual(['bot', 'waiting'])
    const list = await call<{ conversations: InboxConversation[] }>(
      agent,
      'GET',
      '/api/conversations?view=waiting',
    )
    expect(list.status).toBe(200)
    expect(list.body.conversations.map((c) => c.status)).toEqual(['waiting'])
    const waiting = list.body.conversations[0]!
    expect(waiting).toMatchObject({
      queue: 'returns',
      escalation: {
        summary: 'Said: I want to return my order',
        fields: { Said: 'I want to return my order' },
      },
      channel: { id: channel.id, kind: 'webchat' },
      assignedUserId: null,
    })
    // Written in one step after the flow's note (same timestamp): seq makes the acknowledgement the latest.
    expect(waiting.lastMessage?.text).toBe(
      "I've asked the team — a person will reply here, usually within 1 hour.",
    )
    const id = waiting.id

    const detail = await call<{ conversation: InboxConversation; messages: InboxMessage[] }>(
      agent,
      'GET',
      `/api/conversations/${id}`,
    )
    // One step, one timestamp: the shopper's message, the step's own hand-off message, the escalation note, then
    // the queue's acknowledgement.
    expect(detail.body.messages.map((m) => m.author)).toEqual(['shopper', 'bot', 'system', 'bot'])

    // Replying needs the conversation first.
    expect((await call(agent, 'POST', `/api/conversations/${id}/messages`, { text: 'Hi!' })).status).toBe(409)
    const taken = await call<{ conversation: InboxConversation }>(
      agent,
      'POST',
      `/api/conversations/${id}/take-over`,
    )
    expect(taken.status).toBe(200)
    expect(taken.body.conversation).toMatchObject({ status: 'assigned', assignedUserId: agentUser.userId })

    t.clock.advance(1000)
    const reply = await call<{ status: string; message: InboxMessage }>(
      agent,
      'POST',
      `/api/conversations/${id}/messages`,
      {
        text: 'Hi, I am Sam. Which order is it?',
        clientMessageId: 'r1',
      },
    )
    expect(reply.status).toBe(201)
    expect(reply.body).toMatchObject({
      status: 'queued',
      message: { author: 'staff', authorUserId: agentUser.userId },
    })
    const again = await call<{ duplicate: boolean }>(agent, 'POST', `/api/conversations/${id}/messages`, {
      text: 'Hi, I am Sam. Which order is it?',
      clientMessageId: 'r1',
    })
    expect(again.body.duplicate).toBe(true)
    await relayOutbox(t.deps)

    t.clock.advance(1000)
    // The shopper answers: staff has the conversation, so no flow starts and the bot stays quiet.
    await visitorCall(channel.id, token, 'POST', { clientMessageId: 'm2', text: 'Order #1001' })
    await relayOutbox(t.deps)
    expect(await visitorTexts(channel.id, token)).toEqual([
      'shopper: I want to return my order',
      'bot: Connecting you to our team',
      "bot: I've asked the team — a person will reply here, usually within 1 hour.",
      // The shopper is told who joined (the seeded agent's name is "agent").
      expect.stringMatching(/^system: agent from .+ joined the chat$/),
      'staff: Hi, I am Sam. Which order is it?',
      'shopper: Order #1001',
    ])

    t.clock.advance(1000)
    const back = await call<{ conversation: InboxConversation; runIds: string[] }>(
      agent,
      'POST',
      `/api/conversations/${id}/hand-back`,
      { note: 'Refund approved' },
    )
    expect(back.status).toBe(200)
    expect(back.body.conversation).toMatchObject({ status: 'bot', assignedUserId: null })
    expect(back.body.runIds).toHaveLength(1)
    // One send at a time per conversation: "back with the assistant", then the resumed bot.
    await relayOutbox(t.deps)
    await relayOutbox(t.deps)
    expect((await visitorTexts(channel.id, token)).slice(-2)).toEqual([
      "system: You're back with the assistant",
      'bot: The bot is back. Anything else?',
    ])
    const run = await t.deps.db
      .selectFrom('runs')
      .select(['status', 'outcome'])
      .where('merchant_id', '=', merchant.merchantId)
      .where('id', '=', back.body.runIds[0]!)
      .executeTakeFirstOrThrow()
    expect(run.status).toBe('done')

    // Handing back twice is a conflict; resolving closes it.
    expect((await call(agent, 'POST', `/api/conversations/${id}/hand-back`)).status).toBe(409)
    const resolved = await call<{ conversation: InboxConversation }>(
      agent,
      'POST',
      `/api/conversations/${id}/resolve`,
    )
    expect(resolved.body.conversation.status).toBe('resolved')
    const open = await call<{ conversations: InboxConversation[] }>(
      agent,
      'GET',
      '/api/conversations?status=open',
    )
    expect(open.body.conversations.map((c) => c.id)).not.toContain(id)
    const all = await call<{ conversations: InboxConversation[] }>(
      agent,
      'GET',
      '/api/conversations?status=all',
    )
    expect(all.body.conversations.map((c) => c.id)).toContain(id)
  })

  it('ends the waiting run as resolved by staff when staff resolve without handing back', async () => {
    const merchant = await seedMerchant(t.deps.db)
    const owner = await signIn(app, merchant)
    const channel = await seedChannel(t.deps.db, merchant.merchantId, 'webchat')
    await publishFlowDocument(t.deps.db, merchant.merchantId, escalationFlow)
    const { token } = (await (
      await app.request(`/api/webchat/${channel.id}/session`, { method: 'POST' })
    ).json()) as {
      token: string
    }
    await visitorCall(channel.id, token, 'POST', { clientMessageId: 'm1', text: 'Help' })
    const [conversation] = (
      await call<{ conversations: InboxConversation[] }>(owner, 'GET', '/api/conversations')
    ).body.conversations
    const resolved = await call<{ runIds: string[] }>(
      owner,
      'POST',
      `/api/conversations/${conversation!.id}/resolve`,
    )
    expect(resolved.body.runIds).toHaveLength(1)
    const run = await t.deps.db
      .selectFrom('runs')
      .select(['status', 'outcome'])
      .where('merchant_id', '=', merchant.merchantId)
      .where('id', '=', resolved.body.runIds[0]!)
      .executeTakeFirstOrThrow()
    expect(run).toEqual({ status: 'done', outcome: 'resolved_by_staff' })
  })

  it("answers 404 for another merchant's conversation, 401 signed out, 403 without CSRF, writing nothing", async () => {
    const a = await seedMerchant(t.deps.db)
    const b = await seedMerchant(t.deps.db)
    const staffB = await signIn(app, b)
    const channel = await seedChannel(t.deps.db, a.merchantId, 'webchat')
    const { conversationId } = await ensureConversation(t.deps.db, a.merchantId, channel.id, 'v_a')
    for (const [method, path] of [
      ['GET', `/api/conversations/${conversationId}`],
      ['POST', `/api/conversations/${conversationId}/take-over`],
      ['POST', `/api/conversations/${conversationId}/resolve`],
      ['POST', `/api/conversations/${conversationId}/hand-back`],
      ['GET', '/api/conversations/not-a-uuid'],
    ] as const) {
      const res = await call<{ error: { code: string } }>(staffB, method, path)
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(res.body.error.code).toBe('not_found')
    }
    expect(
      (await call<{ conversations: unknown[] }>(staffB, 'GET', '/api/conversations')).body.conversations,
    ).toEqual([])
    expect((await call(null, 'GET', '/api/conversations')).status).toBe(401)
    const staffA = await signIn(app, a)
    const noCsrf = await app.request(`/api/conversations/${conversationId}/take-over`, {
      method: 'POST',
      headers: staffA.read,
    })
    expect(noCsrf.status).toBe(403)
    const bad = await call(staffA, 'POST', `/api/conversations/${conversationId}/messages`, { text: '' })
    expect(bad.status).toBe(400)
    const row = await t.deps.db
      .selectFrom('conversations')
      .select(['status', 'assigned_user_id'])
      .where('merchant_id', '=', a.merchantId)
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'bot', assigned_user_id: null })
  })
})
