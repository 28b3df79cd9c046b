// What staff do beside replying, through the real app: internal notes (in the staff transcript, never sent),
// assign to a colleague or a queue, reopen, canned replies (everyone reads, owners and editors write), and the
// context panel (contact, cart, orders, escalation, what the bot did).
import type { CannedReplyDto, InboxContext, InboxMessage, InboxOptions } from '@parley/api'
import { jsonb } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { seedInboxConversation } from '../inbox/testing/inbox-fixtures.ts'
import { publishFlowDocument, seedChannel } from '../testing/engine-fixtures.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../testing/test-deps.ts'

describe.each(testDatabases())('inbox workspace on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>

  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
  }, 60_000)
  afterAll(() => t?.close())

  const call = async <T>(s: SignedIn, method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: method === 'GET' ? s.read : s.write,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T }
  }

  async function seedStore() {
    const merchant = await seedMerchant(t.deps.db)
    const owner = await signIn(app, merchant)
    const agentUser = await seedUser(t.deps.db, merchant.merchantId, { role: 'agent' })
    const agent = await signIn(app, agentUser)
    const channel = await seedChannel(t.deps.db, merchant.merchantId, 'webchat')
    const { conversationId, contactId } = await seedInboxConversation(t.deps.db, {
      merchantId: merchant.merchantId,
      channelId: channel.id,
      contact: { name: 'Sam Lee', email: 'sam@example.com' },
      status: 'waiting',
      queue: 'returns',
      escalatedAt: new Date(t.clock.now()),
    })
    return { merchant, owner, agent, agentUser, channel, conversationId, contactId }
  }

  it('keeps an internal note in the staff transcript and sends nothing', async () => {
    const s = await seedStore()
    const note = await call<InboxMessage>(s.agent, 'POST', `/api/conversations/${s.conversationId}/notes`, {
      text: 'Customer is upset: offer a free return',
    })
    expect(note.status).toBe(201)
    expect(note.body).toMatchObject({
      author: 'system',
      body: { text: 'Customer is upset: offer a free return', note: true },
    })
    const detail = await call<{ messages: InboxMessage[] }>(
      s.agent,
      'GET',
      `/api/conversations/${s.conversationId}`,
    )
    expect(detail.body.messages.map((m) => m.body.text)).toContain('Customer is upset: offer a free return')
    const outbox = await t.deps.db
      .selectFrom('outbox')
      .select('id')
      .where('merchant_id', '=', s.merchant.merchantId)
      .execute()
    expect(outbox).toEqual([])
    const empty = await call(s.agent, 'POST', `/api/conversations/${s.conversationId}/notes`, { text: '  ' })
    expect(empty.status).toBe(400)
  })

  it('assigns to a colleague or a queue, and reopens a resolved conversation', async () => {
    const s = await seedStore()
    const path = `/api/conversations/${s.conversationId}`
    type Result = {
      conversation: {
        status: string
        assignedUserId: string | null
        assignedUserName: string | null
        queue: string | null
      }
    }
    const toAgent = await call<Result>(s.owner, 'POST', `${path}/assign`, { userId: s.agentUser.userId })
    expect(toAgent.status).toBe(200)
    expect(toAgent.body.conversation).toMatchObject({
      status: 'assigned',
      assignedUserId: s.agentUser.userId,
    })
    const toQueue = await call<Result>(s.agent, 'POST', `${path}/assign`, { queue: 'sales' })
    expect(toQueue.body.conversation).toMatchObject({
      status: 'waiting',
      assignedUserId: null,
      queue: 'sales',
    })
    const stranger = await seedMerchant(t.deps.db)
    expect((await call(s.owner, 'POST', `${path}/assign`, { userId: stranger.userId })).status).toBe(404)
    expect(
      (await call(s.owner, 'POST', `${path}/assign`, { userId: s.agentUser.userId, queue: 'x' })).status,
    ).toBe(400)
    const notes = await call<{ messages: InboxMessage[] }>(s.agent, 'GET', path)
    expect(notes.body.messages.map((m) => m.body.text)).toEqual([
      'owner assigned the conversation to agent',
      'agent moved the conversation to the sales queue',
    ])

    expect((await call(s.agent, 'POST', `${path}/reopen`)).status).toBe(409)
    expect((await call(s.agent, 'POST', `${path}/resolve`)).status).toBe(200)
    const reopened = await call<Result>(s.agent, 'POST', `${path}/reopen`)
    expect(reopened.body.conversation).toMatchObject({
      status: 'assigned',
      assignedUserId: s.agentUser.userId,
    })
  })

  it('lets every staff member read canned replies and owners and editors write them', async () => {
    const s = await seedStore()
    const created = await call<CannedReplyDto>(s.owner, 'POST', '/api/canned-replies', {
      title: 'Returns policy',
      body: 'You can return anything within 30 days.',
    })
    expect(created.status).toBe(201)
    const duplicate = await call(s.owner, 'POST', '/api/canned-replies', {
      title: 'returns POLICY',
      body: 'x',
    })
    expect(duplicate.status).toBe(409)
    expect((await call(s.agent, 'POST', '/api/canned-replies', { title: 'Mine', body: 'x' })).status).toBe(
      403,
    )
    const listed = await call<{ cannedReplies: CannedReplyDto[] }>(s.agent, 'GET', '/api/canned-replies')
    expect(listed.body.cannedReplies.map((r) => r.title)).toEqual(['Returns policy'])
    const updated = await call<CannedReplyDto>(s.owner, 'PUT', `/api/canned-replies/${created.body.id}`, {
      title: 'Returns',
      body: 'Within 60 days.',
    })
    expect(updated.body).toMatchObject({ title: 'Returns', body: 'Within 60 days.' })
    const other = await signIn(app, await seedMerchant(t.deps.db))
    expect(
      (await call(other, 'PUT', `/api/canned-replies/${created.body.id}`, { title: 'a', body: 'b' })).status,
    ).toBe(404)
    expect((await call(other, 'GET', '/api/canned-replies')).body).toEqual({ cannedReplies: [] })
    expect((await call(s.owner, 'DELETE', `/api/canned-replies/${created.body.id}`)).status).toBe(204)
    expect((await call(s.owner, 'DELETE', `/api/canned-replies/${created.body.id}`)).status).toBe(404)
  })

  it('gives the context: contact, cart, orders, escalation and what the bot did', async () => {
    const s = await seedStore()
    const { db } = t.deps
    const m = s.merchant.merchantId
    await db
      .updateTable('contacts')
      .set({ timezone: 'Europe/London', opted_out_at: new Date() })
      .where('id', '=', s.contactId)
      .execute()
    await db
      .updateTable('conversations')
      .set({ escalation: { summary: 'Order: #1042', fields: { Order: '#1042' } } })
      .where('id', '=', s.conversationId)
      .execute()
    await db
      .insertInto('carts')
      .values({
        merchant_id: m,
        token: 'cart-ctx',
        contact_id: s.contactId,
        items: jsonb([
          { title: 'Linen shirt', quantity: 2, price: '29.00', image: null, product_id: null, url: null },
        ]),
        value: '58.00',
        currency: 'GBP',
        checkout_url: 'https://shop.example/cart/ctx',
        last_activity_at: new Date(),
      })
      .execute()
    await db
      .insertInto('orders')
      .values({
        merchant_id: m,
        number: '#1042',
        contact_id: s.contactId,
        total: '58.00',
        currency: 'GBP',
        status: 'shipped',
        tracking_number: 'RM123',
        tracking_carrier: 'Royal Mail',
      })
      .execute()
    const flow = await publishFlowDocument(db, m, {
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
          id: 'hi',
          kind: 'send-message',
          position: { x: 0, y: 100 },
          config: { text: 'Let me get someone' },
        },
        { id: 'done', kind: 'end', position: { x: 0, y: 200 }, config: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'hi' },
        { id: 'e2', source: 'hi', sourceHandle: 'next', target: 'done' },
      ],
    })
    const run = await db
      .insertInto('runs')
      .values({
        merchant_id: m,
        flow_id: flow.flowId,
        flow_version_id: flow.versionId,
        contact_id: s.contactId,
        conversation_id: s.conversationId,
        trigger_kind: 'message.received',
        snapshot: {},
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const [i, node] of ['start', 'hi'].entries()) {
      await db
        .insertInto('node_visits')
        .values({
          merchant_id: m,
          run_id: run.id,
          flow_version_id: flow.versionId,
          node_ids: [node],
          at: new Date(Date.UTC(2026, 10, 30, 9, i)),
        })
        .execute()
    }
    await db
      .insertInto('messages')
      .values({
        merchant_id: m,
        conversation_id: s.conversationId,
        contact_id: s.contactId,
        direction: 'out',
        author: 'bot',
        body: { text: 'Let me get someone' },
        status: 'sent',
        run_id: run.id,
      })
      .execute()

    const context = await call<InboxContext>(s.agent, 'GET', `/api/conversations/${s.conversationId}/context`)
    expect(context.status).toBe(200)
    expect(context.body.contact).toMatchObject({
      name: 'Sam Lee',
      timezone: 'Europe/London',
      optedOut: true,
      channels: [{ kind: 'webchat', name: 'Test webchat', unreachable: false }],
    })
    expect(context.body.cart).toMatchObject({
      items: [{ title: 'Linen shirt', quantity: 2, price: '29.00' }],
      total: '58.00',
      link: 'https://shop.example/cart/ctx',
    })
    expect(context.body.orders).toMatchObject([
      { number: '#1042', status: 'shipped', trackingNumber: 'RM123', trackingCarrier: 'Royal Mail' },
    ])
    expect(context.body.escalation).toMatchObject({ queue: 'returns', summary: 'Order: #1042' })
    expect(context.body.bot).toMatchObject({
      flowName: 'Returns triage',
      version: flow.version,
      steps: [
        { title: 'Message received', detail: null },
        { title: 'Send message', detail: 'Let me get someone' },
      ],
      lastMessages: [{ text: 'Let me get someone' }],
    })

    const options = await call<InboxOptions>(s.agent, 'GET', '/api/conversations/options')
    expect(options.body.queues).toEqual(['returns'])
    expect(options.body.channels.map((c) => c.kind)).toEqual(['webchat'])
    expect(options.body.staff.map((u) => u.name).sort()).toEqual(['agent', 'owner'])
    const other = await signIn(app, await seedMerchant(t.deps.db))
    expect((await call(other, 'GET', `/api/conversations/${s.conversationId}/context`)).status).toBe(404)
  })
})
