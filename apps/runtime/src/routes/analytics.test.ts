// The reports API over a small hand-built store: days in the merchant's zone, the funnel from the rollup the
// triggers keep (inserts and status updates), credited vs uncredited orders, the previous period, the CSV, the
// per-step canvas numbers, conversation numbers, key numbers, and nothing of another merchant's.
import type { ConversationReport, FlowKeyNumbers, FlowReport, RecoveryReport } from '@parley/api'
import type { Database, NewMessage } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { parse } from 'csv-parse/sync'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { seedChannel } from '../testing/engine-fixtures.ts'
import { signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../testing/test-deps.ts'

const MINUTE = 60_000
const at = (iso: string) => new Date(iso)
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms)

const DOCUMENT = {
  version: 2,
  name: 'Recovery',
  nodes: [
    { id: 'start', kind: 'trigger.cart_abandoned', position: { x: 0, y: 0 }, config: {} },
    { id: 'remind', kind: 'send_message', position: { x: 0, y: 100 }, config: {} },
    { id: 'done', kind: 'end', position: { x: 0, y: 200 }, config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'out', target: 'remind' },
    { id: 'e2', source: 'remind', sourceHandle: 'out', target: 'done' },
  ],
  settings: {},
}

/** A store in New York with five abandonments in the first week of 2026 and one the week before. */
async function seedStore(db: Kysely<Database>, merchantId: string) {
  await db
    .updateTable('merchants')
    .set({ timezone: 'America/New_York' })
    .where('id', '=', merchantId)
    .execute()
  const channel = await seedChannel(db, merchantId)
  const contact = await db
    .insertInto('contacts')
    .values({ merchant_id: merchantId, name: 'Shopper', opted_out_at: at('2026-01-04T12:00:00Z') })
    .returning('id')
    .executeTakeFirstOrThrow()
  const flow = await db
    .insertInto('flows')
    .values({ merchant_id: merchantId, name: 'Recovery', document: DOCUMENT })
    .returning('id')
    .executeTakeFirstOrThrow()
  const version = await db
    .insertInto('flow_versions')
    .values({
      merchant_id: merchantId,
      flow_id: flow.id,
      version: 1,
      document: DOCUMENT,
      trigger_kinds: ['cart.abandoned'],
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .updateTable('flows')
    .set({ published_version_id: version.id })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', flow.id)
    .execute()

  const episodes: {
    abandoned: string
    holdout: boolean
    sent: number
    status: 'open' | 'recovered' | 'ordered_without_messages' | 'expired'
    total?: number
    currency?: string
  }[] = [
    {
      abandoned: '2026-01-02T15:00:00Z',
      holdout: false,
      sent: 2,
      status: 'recovered',
      total: 110,
      currency: 'USD',
    },
    // 22:00 on Jan 2 in New York: the merchant's day, not UTC's.
    {
      abandoned: '2026-01-03T03:00:00Z',
      holdout: false,
      sent: 0,
      status: 'ordered_without_messages',
      total: 500,
      currency: 'USD',
    },
    {
      abandoned: '2026-01-04T12:00:00Z',
      holdout: true,
      sent: 0,
      status: 'ordered_without_messages',
      total: 40,
      currency: 'EUR',
    },
    {
      abandoned: '2026-01-04T13:00:00Z',
      holdout: false,
      sent: 1,
      status: 'recovered',
      total: 80,
      currency: 'EUR',
    },
    { abandoned: '2026-01-05T14:00:00Z', holdout: true, sent: 0, status: 'open' },
    // The previous period (Dec 27 – Dec 31).
    {
      abandoned: '2025-12-30T15:00:00Z',
      holdout: false,
      sent: 1,
      status: 'recovered',
      total: 20,
      currency: 'USD',
    },
  ]
  const episodeIds: string[] = []
  for (const [i, e] of episodes.entries()) {
    const cart = await db
      .insertInto('carts')
      .values({
        merchant_id: merchantId,
        token: `cart-${merchantId}-${i}`,
        contact_id: contact.id,
        value: e.total ?? 10,
        currency: e.currency ?? 'USD',
        last_activity_at: e.abandoned,
        status: 'abandoned',
        abandoned_at: e.abandoned,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const row = await db
      .insertInto('cart_episodes')
      .values({
        merchant_id: merchantId,
        cart_id: cart.id,
        contact_id: contact.id,
        abandoned_at: e.abandoned,
        expires_at: plus(e.abandoned, 30 * 24 * 60 * MINUTE),
        holdout: e.holdout,
        messages_sent: e.sent,
        status: e.status,
        ordered_at: e.total ? plus(e.abandoned, 120 * MINUTE) : null,
        order_total: e.total ?? null,
        order_currency: e.currency ?? null,
        flow_id: e.sent > 0 ? flow.id : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    episodeIds.push(row.id)
  }

  const conversation = await db
    .insertInto('conversations')
    .values({ merchant_id: merchantId, contact_id: contact.id, channel_id: channel.id })
    .returning('id')
    .executeTakeFirstOrThrow()
  const run = await db
    .insertInto('runs')
    .values({
      merchant_id: merchantId,
      flow_id: flow.id,
      flow_version_id: version.id,
      contact_id: contact.id,
      conversation_id: conversation.id,
      trigger_kind: 'cart.abandoned',
      snapshot: { status: 'active', value: 'remind' },
      started_at: '2026-01-02T15:00:00Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  // A step enters two nodes at once (one row, in the order entered); a later step loops back into `remind` (not a
  // second run reaching it).
  await db
    .insertInto('node_visits')
    .values({
      merchant_id: merchantId,
      run_id: run.id,
      flow_version_id: version.id,
      node_ids: ['start', 'remind'],
      at: '2026-01-02T15:00:00Z',
    })
    .execute()
  await db
    .insertInto('node_visits')
    .values({
      merchant_id: merchantId,
      run_id: run.id,
      flow_version_id: version.id,
      node_ids: ['remind'],
      at: '2026-01-03T15:00:00Z',
    })
    .execute()

  const message = (created: string, values: Partial<NewMessage> = {}) =>
    insertMessage(db, {
      merchant_id: merchantId,
      conversation_id: conversation.id,
      contact_id: contact.id,
      direction: 'out',
      author: 'bot',
      body: { text: 'Still thinking it over?' },
      status: 'sent',
      run_id: run.id,
      node_id: 'remind',
      created_at: created,
      ...values,
    })
  const read = await message('2026-01-02T16:00:00Z', {
    status: 'read',
    cost: 0.06,
    cost_currency: 'USD',
    template_category: 'marketing',
  })
  await message('2026-01-02T16:05:00Z', {
    direction: 'in',
    author: 'shopper',
    status: 'delivered',
    run_id: null,
    node_id: null,
  })
  await message('2026-01-03T16:00:00Z', { status: 'delivered' })
  const queued = await message('2026-01-04T16:00:00Z', { status: 'queued' })
  await message('2026-01-04T17:00:00Z', { status: 'skipped', skip_reason: 'frequency_cap' })
  // The relay marks the queued one sent: the update trigger moves it into "sent".
  await db
    .updateTable('messages')
    .set({ status: 'sent' })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', queued)
    .execute()

  await db
    .insertInto('message_links')
    .values({
      id: `link-${merchantId}`,
      merchant_id: merchantId,
      message_id: read,
      episode_id: episodeIds[0] as string,
      target_url: 'https://shop.example/cart',
    })
    .execute()
  // Two clicks on the same link: one "clicked".
  for (const click of ['2026-01-02T18:00:00Z', '2026-01-02T19:00:00Z'])
    await db
      .updateTable('message_links')
      .set((eb) => ({
        clicks: eb('clicks', '+', 1),
        first_clicked_at: eb.fn.coalesce('first_clicked_at', eb.val(at(click))),
        last_clicked_at: click,
      }))
      .where('id', '=', `link-${merchantId}`)
      .execute()

  await db
    .insertInto('conversations')
    .values([
      {
        merchant_id: merchantId,
        contact_id: contact.id,
        channel_id: channel.id,
        status: 'resolved',
        queue: 'returns',
        escalated_at: '2026-01-03T10:00:00Z',
        first_staff_reply_at: '2026-01-03T10:01:00Z',
        resolved_at: '2026-01-03T11:00:00Z',
      },
      {
        merchant_id: merchantId,
        contact_id: contact.id,
        channel_id: channel.id,
        status: 'waiting',
        escalated_at: '2026-01-04T10:00:00Z',
        unclaimed_at: '2026-01-04T10:15:00Z',
      },
    ])
    .execute()
  return { flowId: flow.id }
}

async function insertMessage(db: Kysely<Database>, values: NewMessage): Promise<string> {
  const row = await db.insertInto('messages').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

describe.each(testDatabases())('analytics API on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  let owner: Awaited<ReturnType<typeof signIn>>
  let editor: Awaited<ReturnType<typeof signIn>>
  let flowId: string
  const week = 'from=2026-01-01&to=2026-01-05'

  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
    const m = await seedMerchant(t.deps.db)
    ;({ flowId } = await seedStore(t.deps.db, m.merchantId))
    // Another store's identical week must not leak into this one's numbers.
    await seedStore(t.deps.db, (await seedMerchant(t.deps.db)).merchantId)
    owner = await signIn(app, m)
    const editorUser = await seedUser(t.deps.db, m.merchantId, { role: 'editor' })
    editor = await signIn(app, { ...m, ...editorUser })
  }, 120_000)
  afterAll(() => t.close())

  async function get<T>(path: string, as = owner): Promise<T> {
    const res = await app.request(path, { headers: as.read })
    expect(res.status).toBe(200)
    return (await res.json()) as T
  }

  it('reports recovery by day in the merchant zone, credited apart from uncredited, with the previous period', async () => {
    const report = await get<RecoveryReport>(`/api/analytics/recovery?${week}`)
    expect(report.period).toEqual({ from: '2026-01-01', to: '2026-01-05', timezone: 'America/New_York' })
    expect(report.previousPeriod).toEqual({
      from: '2025-12-27',
      to: '2025-12-31',
      timezone: 'America/New_York',
    })
    expect(report.days.map((d) => d.date)).toEqual([
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      '2026-01-04',
      '2026-01-05',
    ])
    const jan2 = report.days[1]
    expect(jan2).toMatchObject({
      abandoned: 2,
      recoveredByParley: 1,
      recoveredWithoutMessages: 1,
      sent: 1,
      read: 1,
      replied: 1,
      clicked: 1,
      revenue: [{ currency: 'USD', amount: 110 }],
      templateCost: [{ currency: 'USD', amount: 0.06 }],
    })
    expect(report.totals).toMatchObject({
      abandoned: 5,
      inHoldout: 2,
      messaged: 2,
      sent: 3,
      delivered: 2,
      read: 1,
      clicked: 1,
      replied: 1,
      recoveredByParley: 2,
      recoveredWithoutMessages: 2,
      revenue: [
        { currency: 'EUR', amount: 80 },
        { currency: 'USD', amount: 110 },
      ],
      templateCost: [{ currency: 'USD', amount: 0.06 }],
      templateCostByCategory: [{ category: 'marketing', currency: 'USD', amount: 0.06, messages: 1 }],
      costPerRecoveredCart: [{ currency: 'USD', amount: 0.03 }],
      roi: [{ currency: 'USD', value: 1832.33 }],
    })
    expect(report.totals.recoveryRate).toBeCloseTo(2 / 3)
    expect(report.previousTotals).toMatchObject({
      abandoned: 1,
      recoveredByParley: 1,
      revenue: [{ currency: 'USD', amount: 20 }],
    })
    // The holdout cart that ordered counts in the control group's rate, never as credited.
    expect(report.lift.messagedGroup).toEqual({ carts: 3, ordered: 3, rate: 1 })
    expect(report.lift.controlGroup).toEqual({ carts: 2, ordered: 1, rate: 0.5 })
    expect(report.lift).toMatchObject({ verdict: 'too_few_carts', incremental: null })
    expect(report.lift.summary).toMatch(/^Too few carts to tell yet/)
  })

  it('defaults to the 30 days up to today and lets an editor read it', async () => {
    const report = await get<RecoveryReport>('/api/analytics/recovery', editor)
    // The clock says 2026-01-05 10:00 UTC: 05:00 in New York.
    expect(report.period).toMatchObject({ from: '2025-12-07', to: '2026-01-05' })
    expect(report.totals.abandoned).toBe(6)
  })

  it('downloads the same numbers as CSV', async () => {
    const [json, res] = await Promise.all([
      get<RecoveryReport>(`/api/analytics/recovery?${week}`),
      app.request(`/api/analytics/recovery.csv?${week}`, { headers: owner.read }),
    ])
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/csv')
    expect(res.headers.get('content-disposition')).toContain('recovery-2026-01-01-to-2026-01-05.csv')
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[]
    expect(rows.map((r) => r.date)).toEqual([...json.days.map((d) => d.date), 'total'])
    for (const [i, day] of [...json.days, { ...json.totals, date: 'total' }].entries()) {
      const row = rows[i] as Record<string, string>
      expect(Number(row.abandoned)).toBe(day.abandoned)
      expect(Number(row.sent)).toBe(day.sent)
      expect(Number(row.recovered_by_parley)).toBe(day.recoveredByParley)
      expect(Number(row.revenue_USD)).toBe(day.revenue.find((m) => m.currency === 'USD')?.amount ?? 0)
      expect(Number(row.revenue_EUR)).toBe(day.revenue.find((m) => m.currency === 'EUR')?.amount ?? 0)
      expect(Number(row.template_cost_USD)).toBe(
        day.templateCost.find((m) => m.currency === 'USD')?.amount ?? 0,
      )
    }
  })

  it('counts each step of the live version for the canvas', async () => {
    const report = await get<FlowReport>(`/api/analytics/flows/${flowId}?${week}`)
    expect(report.version).toBe(1)
    expect(report.versions).toEqual([{ version: 1, runsStarted: 1, ended: [], active: 1 }])
    expect(report.nodes).toEqual([
      { nodeId: 'start', reached: 1, waiting: 0, messagesSent: 0 },
      { nodeId: 'remind', reached: 1, waiting: 1, messagesSent: 3 },
      { nodeId: 'done', reached: 0, waiting: 0, messagesSent: 0 },
    ])
    expect(report.edges).toEqual([
      { edgeId: 'e1', source: 'start', target: 'remind', continued: 1, dropOff: 0 },
      { edgeId: 'e2', source: 'remind', target: 'done', continued: 0, dropOff: 1 },
    ])
    const missing = await app.request(`/api/analytics/flows/${flowId}?version=9`, { headers: owner.read })
    expect(missing.status).toBe(404)
  })

  it('reports conversations: escalations per queue, reply and resolution times, opt-outs, skipped sends', async () => {
    const report = await get<ConversationReport>(`/api/analytics/conversations?${week}`)
    expect(report).toMatchObject({
      escalations: [
        { queue: 'returns', count: 1 },
        { queue: null, count: 1 },
      ],
      firstHumanReply: { count: 1, p50Seconds: 60, p90Seconds: 60 },
      resolution: { count: 1, p50Seconds: 3600, p90Seconds: 3600 },
      unclaimedTimeouts: 1,
      optOuts: 1,
      unreachableContacts: 0,
      skippedSends: [{ reason: 'frequency_cap', count: 1 }],
    })
  })

  it("gives each live flow's key number over the last 30 days", async () => {
    const numbers = await get<FlowKeyNumbers>('/api/analytics/flow-numbers')
    expect(numbers.flows).toEqual([
      {
        flowId,
        kind: 'revenue',
        recovered: 3,
        revenue: [
          { currency: 'EUR', amount: 80 },
          { currency: 'USD', amount: 130 },
        ],
        runsFinished: 0,
      },
    ])
  })
})
