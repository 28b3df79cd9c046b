// The write path's indexes (migrations 202612010100_partial_write_indexes, 202612010105_conversations_contact_index)
// hold only the rows their readers ask for, and no key twice, so a shopper's message, a bot reply, a conversation touch
// and an ended run write fewer index entries. Each reader must still reach its index as a prepared statement's
// generic plan, which proves a partial predicate only from the statement's text: the real functions run on a
// capturing handle and each statement they sent is explained as a generic plan.
import type { Database } from '@parley/db'
import { createTestDatabase, type TestDatabase, testDatabases } from '@parley/db/testing'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { flowReport } from '../analytics/flow-report.ts'
import { applyDeliveryStatus } from '../channels/delivery-status.ts'
import { latestConversationId, openConversation } from '../contacts/contact-repository.ts'
import { findMessageLanes } from '../delivery/outbox-claim.ts'
import { listInbox } from '../inbox/inbox-list.ts'
import { countMarketingSendsByContact, countMarketingSendsSince } from '../policy/frequency-cap.ts'
import { InProcessRealtime } from '../realtime/realtime.ts'
import { seedRecoveryConversation } from '../testing/engine-fixtures.ts'
import { capturingDb, genericPlan } from '../testing/generic-plans.ts'
import { seedMerchant } from '../testing/test-deps.ts'

const NOW = Date.parse('2026-11-30T12:00:00Z')

describe.each(testDatabases())('partial write-path indexes on %s', (kind) => {
  let t: TestDatabase
  let merchantId: string
  let userId: string
  let shop: Awaited<ReturnType<typeof seedRecoveryConversation>>

  beforeAll(async () => {
    t = await createTestDatabase(kind)
    ;({ merchantId, userId } = await seedMerchant(t.db))
    shop = await seedRecoveryConversation(t.db, merchantId)
  }, 60_000)
  afterAll(async () => {
    await t?.close()
  })

  /** The generic plans of every statement `run` sent, in order. */
  async function plansOf(run: (db: Kysely<Database>) => Promise<unknown>): Promise<string[]> {
    const { db, sent } = capturingDb(t.db)
    await run(db)
    const plans: string[] = []
    for (const query of sent) plans.push(await genericPlan(t.db, query))
    return plans
  }

  function message(values: {
    direction: 'in' | 'out'
    author: 'shopper' | 'bot' | 'staff'
    providerMessageId?: string
    isMarketing?: boolean
    status?: 'delivered' | 'sent' | 'queued'
    runId?: string
    createdAt?: Date
  }) {
    return t.db
      .insertInto('messages')
      .values({
        merchant_id: merchantId,
        conversation_id: shop.conversationId,
        contact_id: shop.contactId,
        direction: values.direction,
        author: values.author,
        body: { text: 'hello' },
        status: values.status ?? 'delivered',
        is_marketing: values.isMarketing ?? false,
        provider_message_id: values.providerMessageId ?? null,
        run_id: values.runId ?? null,
        created_at: values.createdAt ?? new Date(NOW - 60_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  }

  it('counts only the bot marketing sends for the cap, by messages_marketing_sends_idx', async () => {
    const runId = await shop.insertRun('cap', new Date(NOW - 120_000))
    await message({ direction: 'out', author: 'bot', isMarketing: true, status: 'sent', runId })
    await message({ direction: 'out', author: 'bot', isMarketing: false, status: 'sent', runId })
    await message({ direction: 'out', author: 'staff', isMarketing: true, status: 'sent' })
    await message({ direction: 'in', author: 'shopper' })
    const since = NOW - 3_600_000
    expect(await countMarketingSendsSince(t.db, merchantId, shop.contactId, since)).toBe(1)
    expect(await countMarketingSendsByContact(t.db, merchantId, [shop.contactId], since)).toEqual(
      new Map([[shop.contactId, 1]]),
    )
    const plans = await plansOf(async (db) => {
      await countMarketingSendsSince(db, merchantId, shop.contactId, since)
      await countMarketingSendsByContact(db, merchantId, [shop.contactId], since)
    })
    expect(plans).toHaveLength(2)
    for (const plan of plans) expect(plan).toContain('messages_marketing_sends_idx')
  })

  it("applies a delivery receipt to our send, never to a shopper's message with the same provider id, by messages_provider_idx", async () => {
    const realtime = new InProcessRealtime()
    const inbound = await message({ direction: 'in', author: 'shopper', providerMessageId: 'wamid.same' })
    const outbound = await message({
      direction: 'out',
      author: 'bot',
      status: 'sent',
      providerMessageId: 'wamid.same',
    })
    const receipt = { providerMessageId: 'wamid.same', status: 'read' as const }
    expect(await applyDeliveryStatus({ db: t.db, realtime }, merchantId, receipt, NOW)).toBe(true)
    const rows = await t.db
      .selectFrom('messages')
      .select(['id', 'status'])
      .where('id', 'in', [inbound.id, outbound.id])
      .execute()
    expect(new Map(rows.map((r) => [r.id, r.status]))).toEqual(
      new Map([
        [inbound.id, 'delivered'],
        [outbound.id, 'read'],
      ]),
    )
    const [lookup] = await plansOf((db) =>
      applyDeliveryStatus(
        { db, realtime },
        merchantId,
        { providerMessageId: 'wamid.none', status: 'read' },
        NOW,
      ),
    )
    expect(lookup).toContain('messages_provider_idx')
  })

  it('leaves web-chat sends out of messages_provider_idx: no receipt names one (migration 202612050048)', async () => {
    const realtime = new InProcessRealtime()
    const sent = await message({ direction: 'out', author: 'bot', status: 'sent' })
    const webchatId = `webchat:${sent.id}`
    await t.db
      .updateTable('messages')
      .set({ provider_message_id: webchatId })
      .where('id', '=', sent.id)
      .execute()
    const receipt = { providerMessageId: webchatId, status: 'read' as const }
    expect(await applyDeliveryStatus({ db: t.db, realtime }, merchantId, receipt, NOW)).toBe(false)
    const row = await t.db
      .selectFrom('messages')
      .select('status')
      .where('id', '=', sent.id)
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('sent')
    const { rows } = await sql<{ def: string }>`
      select indexdef as def from pg_indexes where indexname = 'messages_provider_idx'`.execute(t.db)
    expect(rows[0]?.def).toContain("'webchat:%'")
  })

  // A statement with no values went unnamed, and Postgres planned it at every relay poll (outbox-claim.ts).
  it("finds the relay's message lanes by outbox_lane_queue_idx as a prepared statement", async () => {
    const { db, sent } = capturingDb(t.db)
    await db.transaction().execute((trx) => findMessageLanes(trx))
    const lanes = sent.filter((query) => query.sql.includes('with recursive lane'))
    expect(lanes).toHaveLength(1)
    const [query] = lanes
    if (!query) throw new Error('no lane query')
    expect(query.parameters.length).toBeGreaterThan(0)
    const plan = await genericPlan(t.db, query)
    expect(plan).toContain('outbox_lane_queue_idx')
    expect(plan).not.toContain('Seq Scan on outbox')
  })

  it("counts a flow's active runs by runs_flow_version_active_idx", async () => {
    const before = await t.db
      .selectFrom('runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('merchant_id', '=', merchantId)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow()
    await shop.insertRun('report', new Date(NOW - 120_000))
    const ended = await shop.insertRun('ended', new Date(NOW - 120_000))
    await t.db
      .updateTable('runs')
      .set({ status: 'done', ended_at: new Date(NOW - 60_000) })
      .where('id', '=', ended)
      .execute()
    const period = {
      from: '2026-11-01',
      to: '2026-11-30',
      timezone: 'UTC',
      start: new Date('2026-11-01T00:00:00Z'),
      end: new Date('2026-12-01T00:00:00Z'),
    }
    const report = await flowReport(t.db, merchantId, shop.flowId, period, undefined)
    expect(report?.versions).toEqual([expect.objectContaining({ version: 1, active: Number(before.n) + 1 })])
    const plans = await plansOf((db) => flowReport(db, merchantId, shop.flowId, period, undefined))
    const runReads = plans.filter((plan) => plan.includes(' on runs'))
    expect(runReads).toHaveLength(2)
    for (const plan of runReads) expect(plan).toContain('runs_flow_version_active_idx')
  })

  it("reads each inbox view by its own index, the agent's own conversations by conversations_assignee_idx", async () => {
    const views = {
      mine: 'conversations_assignee_idx',
      open: 'conversations_open_activity_idx',
      waiting: 'conversations_waiting_idx',
      resolved: 'conversations_resolved_activity_idx',
    } as const
    for (const [view, index] of Object.entries(views)) {
      const [page, ...rest] = await plansOf((db) =>
        listInbox(db, merchantId, userId, {
          view: view as keyof typeof views,
          status: 'open',
          assigned: 'anyone',
          limit: 20,
        }),
      )
      expect(page, view).toContain(index)
      // The view counts: waiting, and open ones assigned to this user.
      const counts = rest.find(
        (plan) => plan.includes('conversations_waiting_idx') && plan.includes('Aggregate'),
      )
      expect(counts, view).toContain('conversations_assignee_idx')
    }
  })

  it("finds a contact's conversations by conversations_contact_id_key, the one index on the contact", async () => {
    const channelId = (
      await t.db
        .selectFrom('conversations')
        .select('channel_id')
        .where('id', '=', shop.conversationId)
        .executeTakeFirstOrThrow()
    ).channel_id
    const opened = await openConversation(t.db, merchantId, shop.contactId, channelId, NOW)
    expect(opened.id).toBe(shop.conversationId)
    expect(await latestConversationId(t.db, merchantId, shop.contactId)).toBe(shop.conversationId)
    const plans = await plansOf(async (db) => {
      await openConversation(db, merchantId, shop.contactId, channelId, NOW)
      await latestConversationId(db, merchantId, shop.contactId)
    })
    expect(plans).toHaveLength(2)
    for (const plan of plans) expect(plan).toContain('conversations_contact_id_key')
  })
})
