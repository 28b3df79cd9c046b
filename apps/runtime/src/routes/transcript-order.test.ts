// Transcript order when one step writes several messages with one timestamp: the shopper's message, then the
// bot's replies in the order the flow sent them, in the visitor's transcript and the staff inbox alike.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { createWebchatAdapter } from '../channels/webchat/webchat-adapter.ts'
import { relayOutbox } from '../engine/outbox-relay.ts'
import type { InboxConversation, InboxMessage } from '../inbox/inbox-schemas.ts'
import { publishFlowDocument, seedChannel } from '../testing/engine-fixtures.ts'
import { signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

// Four sends in one step: with ids as the tie-breaker they would come back in insertion order 1 time in 24.
const replies = ['One', 'Two', 'Three', 'Four']
const chattyFlow = {
  version: 1,
  name: 'Four replies',
  nodes: [
    {
      id: 'start',
      kind: 'trigger-message',
      position: { x: 0, y: 0 },
      config: { match: 'any', keywords: [] },
    },
    ...replies.map((text, i) => ({
      id: `say${i}`,
      kind: 'send-message',
      position: { x: 0, y: 160 * (i + 1) },
      config: { text },
    })),
    { id: 'done', kind: 'end', position: { x: 0, y: 800 }, config: {} },
  ],
  edges: [
    { id: 'e0', source: 'start', sourceHandle: 'next', target: 'say0' },
    ...replies.map((_, i) => ({
      id: `e${i + 1}`,
      source: `say${i}`,
      sourceHandle: 'next',
      target: i + 1 < replies.length ? `say${i + 1}` : 'done',
    })),
  ],
}

describe.each(testDatabases())('transcript order on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>

  beforeAll(async () => {
    t = await createTestDeps(kind)
    t.deps.channels.webchat = createWebchatAdapter(t.deps)
    app = createApp(t.deps)
  })
  afterAll(() => t?.close())

  it('reads back the messages of one step in the order the step wrote them', async () => {
    const merchant = await seedMerchant(t.deps.db)
    const owner = await signIn(app, merchant)
    const channel = await seedChannel(t.deps.db, merchant.merchantId, 'webchat')
    await publishFlowDocument(t.deps.db, merchant.merchantId, chattyFlow)

    const session = await app.request(`/api/webchat/${channel.id}/session`, { method: 'POST' })
    const { token } = (await session.json()) as { token: string }
    const visitor = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    const sent = await app.request(`/api/webchat/${channel.id}/messages`, {
      method: 'POST',
      headers: visitor,
      body: JSON.stringify({ clientMessageId: 'm1', text: 'Hello?' }),
    })
    expect(sent.status).toBe(202)
    // Marking the sends 'sent' rewrites their rows; the order must not follow the rewrite either. The relay
    // sends a conversation's messages one batch at a time, in order: relay until none is left.
    while ((await relayOutbox(t.deps)).claimed > 0) {}

    const rows = await t.deps.db
      .selectFrom('messages')
      .select(['created_at'])
      .where('merchant_id', '=', merchant.merchantId)
      .execute()
    expect(new Set(rows.map((r) => r.created_at.getTime())).size).toBe(1)

    const expected = ['shopper: Hello?', ...replies.map((text) => `bot: ${text}`)]
    const transcript = await app.request(`/api/webchat/${channel.id}/messages`, { headers: visitor })
    const visible = (await transcript.json()) as { messages: { author: string; body: { text: string } }[] }
    expect(visible.messages.map((m) => `${m.author}: ${m.body.text}`)).toEqual(expected)

    const list = await app.request('/api/conversations', { headers: owner.read })
    const { conversations } = (await list.json()) as { conversations: InboxConversation[] }
    expect(conversations).toHaveLength(1)
    expect(conversations[0]?.lastMessage?.text).toBe('Four')
    const detail = await app.request(`/api/conversations/${conversations[0]?.id}`, { headers: owner.read })
    const { messages } = (await detail.json()) as { messages: InboxMessage[] }
    expect(messages.map((m) => `${m.author}: ${(m.body as { text: string }).text}`)).toEqual(expected)
  })
})
