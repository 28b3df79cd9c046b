// The inbox list through the real app: its views and their order, queue and channel filters, search by name,
// email, phone, order number and message text, keyset pages, and each agent's unread counts. Tenant-scoped.
import type { InboxList } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { addSeedMessage, seedInboxConversation } from '../inbox/testing/inbox-fixtures.ts'
import { seedChannel } from '../testing/engine-fixtures.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../testing/test-deps.ts'

const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 9, minute))

describe.each(testDatabases())('inbox list on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>

  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
  }, 60_000)
  afterAll(() => t?.close())

  const list = async (s: SignedIn, query: string) => {
    const res = await app.request(`/api/conversations?${query}`, { headers: s.read })
    expect(res.status).toBe(200)
    return (await res.json()) as InboxList
  }
  const names = (l: InboxList) => l.conversations.map((c) => c.contact.name)

  async function seedStore() {
    const merchant = await seedMerchant(t.deps.db)
    const owner = await signIn(app, merchant)
    const agentUser = await seedUser(t.deps.db, merchant.merchantId, { role: 'agent' })
    const agent = await signIn(app, agentUser)
    const webchat = await seedChannel(t.deps.db, merchant.merchantId, 'webchat')
    const whatsapp = await seedChannel(t.deps.db, merchant.merchantId, 'whatsapp')
    const seed = (
      name: string,
      options: Omit<Parameters<typeof seedInboxConversation>[1], 'merchantId' | 'channelId'> & {
        channelId?: string
      },
    ) =>
      seedInboxConversation(t.deps.db, {
        ...options,
        merchantId: merchant.merchantId,
        channelId: options.channelId ?? webchat.id,
        contact: { name, ...options.contact },
      })
    return { merchant, owner, agent, agentUser, webchat, whatsapp, seed }
  }

  it('lists each view in its order, with filters, and never another merchant’s conversations', async () => {
    const s = await seedStore()
    await s.seed('Ada Waiting-Late', {
      status: 'waiting',
      queue: 'returns',
      escalatedAt: at(30),
      lastMessageAt: at(31),
    })
    await s.seed('Bea Waiting-Early', {
      status: 'waiting',
      queue: 'sales',
      escalatedAt: at(10),
      lastMessageAt: at(50),
      channelId: s.whatsapp.id,
    })
    await s.seed('Cy Mine', { status: 'assigned', assignedUserId: s.agentUser.userId, lastMessageAt: at(20) })
    await s.seed('Di Bot', { status: 'bot', lastMessageAt: at(40) })
    await s.seed('Ed Resolved', { status: 'resolved', lastMessageAt: at(45) })
    // Another store's waiting conversation, older than all: never listed here.
    const other = await seedMerchant(t.deps.db)
    const otherChannel = await seedChannel(t.deps.db, other.merchantId)
    await seedInboxConversation(t.deps.db, {
      merchantId: other.merchantId,
      channelId: otherChannel.id,
      contact: { name: 'Zed Elsewhere' },
      status: 'waiting',
      escalatedAt: at(1),
    })

    const waiting = await list(s.agent, 'view=waiting')
    expect(names(waiting)).toEqual(['Bea Waiting-Early', 'Ada Waiting-Late'])
    expect(waiting.conversations[0]?.escalatedAt).toBe(at(10).toISOString())
    expect(waiting.counts).toEqual({ waiting: 2, mine: 1 })
    expect(names(await list(s.agent, 'view=mine'))).toEqual(['Cy Mine'])
    expect(names(await list(s.owner, 'view=mine'))).toEqual([])
    expect(names(await list(s.agent, 'view=open'))).toEqual([
      'Bea Waiting-Early',
      'Di Bot',
      'Ada Waiting-Late',
      'Cy Mine',
    ])
    expect(names(await list(s.agent, 'view=resolved'))).toEqual(['Ed Resolved'])
    expect(names(await list(s.agent, 'view=open&queue=returns'))).toEqual(['Ada Waiting-Late'])
    expect(names(await list(s.agent, `view=open&channelId=${s.whatsapp.id}`))).toEqual(['Bea Waiting-Early'])
  })

  it('pages by keyset without repeating or skipping, ties included', async () => {
    const s = await seedStore()
    // Two share each timestamp: the id breaks the tie.
    for (let i = 0; i < 7; i += 1) {
      await s.seed(`Shopper ${i}`, {
        status: 'waiting',
        escalatedAt: at(Math.floor(i / 2)),
        lastMessageAt: at(Math.floor(i / 2)),
      })
    }
    for (const view of ['waiting', 'open']) {
      const seen: string[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const page: InboxList = await list(
          s.agent,
          `view=${view}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        )
        seen.push(...page.conversations.map((c) => c.id))
        cursor = page.nextCursor
        pages += 1
      } while (cursor && pages < 10)
      expect(pages).toBe(3)
      const whole = await list(s.agent, `view=${view}&limit=50`)
      expect(seen).toEqual(whole.conversations.map((c) => c.id))
      expect(new Set(seen).size).toBe(7)
    }
  })

  it('finds a conversation by name, email, phone, order number or message text', async () => {
    const s = await seedStore()
    const sam = await s.seed('Sam Lee', {
      status: 'waiting',
      escalatedAt: at(5),
      contact: { email: 'sam.lee@example.com', phone: '+44 7700 900123' },
      messages: [{ author: 'shopper', text: 'Is the linen shirt available in M?', at: at(5) }],
    })
    await s.seed('Robin Hood', {
      status: 'waiting',
      escalatedAt: at(6),
      contact: { email: 'robin@sherwood.test', phone: '+1 555 0100' },
      messages: [{ author: 'shopper', text: 'Where is my parcel?', at: at(6) }],
    })
    await t.deps.db
      .insertInto('orders')
      .values({
        merchant_id: s.merchant.merchantId,
        number: '#1042',
        contact_id: sam.contactId,
        total: '58.00',
        currency: 'GBP',
        status: 'shipped',
      })
      .execute()
    const search = async (q: string) => names(await list(s.agent, `view=open&q=${encodeURIComponent(q)}`))
    expect(await search('sam')).toEqual(['Sam Lee'])
    expect(await search('Lee Sa')).toEqual(['Sam Lee'])
    expect(await search('sam.lee@example.com')).toEqual(['Sam Lee'])
    expect(await search('sherwood')).toEqual(['Robin Hood'])
    expect(await search('07700 900123')).toEqual(['Sam Lee'])
    expect(await search('+447700900123')).toEqual(['Sam Lee'])
    expect(await search('#1042')).toEqual(['Sam Lee'])
    expect(await search('1042')).toEqual(['Sam Lee'])
    expect(await search('linen shirt')).toEqual(['Sam Lee'])
    expect(await search('parcel')).toEqual(['Robin Hood'])
    expect(await search('kayak')).toEqual([])
    // Punctuation cannot break the query.
    expect(await search("'&|!(:*")).toHaveLength(2)
  })

  it('counts unread shopper messages per agent and clears them when read', async () => {
    const s = await seedStore()
    const { conversationId, contactId } = await s.seed('Uma Unread', {
      status: 'waiting',
      escalatedAt: at(1),
      messages: [
        { author: 'shopper', text: 'Hello?', at: at(1) },
        { author: 'bot', text: 'Let me find someone', at: at(1) },
        { author: 'shopper', text: 'Thanks', at: at(2) },
      ],
    })
    const unread = async (who: SignedIn) => (await list(who, 'view=waiting')).conversations[0]?.unread
    expect(await unread(s.agent)).toBe(2)
    const read = await app.request(`/api/conversations/${conversationId}/read`, {
      method: 'POST',
      headers: s.agent.write,
    })
    expect(read.status).toBe(204)
    expect(await unread(s.agent)).toBe(0)
    expect(await unread(s.owner)).toBe(2)
    await addSeedMessage(t.deps.db, s.merchant.merchantId, conversationId, contactId, {
      author: 'shopper',
      text: 'Still there?',
      at: at(3),
    })
    expect(await unread(s.agent)).toBe(1)
    const otherStore = await seedMerchant(t.deps.db)
    const stranger = await signIn(app, otherStore)
    const refused = await app.request(`/api/conversations/${conversationId}/read`, {
      method: 'POST',
      headers: stranger.write,
    })
    expect(refused.status).toBe(404)
  })
})
