// The message metrics of the rollup (recovery.sent / delivered / read / replied, template.cost, send.skipped,
// step.sent in analytics_hourly) stay in step with the inserted message rows: recomputed here in plain code from
// the rows (the oracle) after every shape of insert the engine makes — a step's inbound message and its replies in
// one statement, messages of a recovery run and of another run, a shopper's reply to a sent recovery message, to a
// failed one, to a message of another flow, a reply written in the same statement as the message it answers, paid
// templates and skipped sends, in several hours.
import type { Database, MessageStatus } from '@parley/db'
import { createTestDatabase, type TestDatabase, testDatabases } from '@parley/db/testing'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedRecoveryConversation } from '../testing/engine-fixtures.ts'
import { seedMerchant } from '../testing/test-deps.ts'

const HOUR = 3_600_000
const T0 = Date.parse('2026-03-01T10:20:00Z')
const SENT = ['sent', 'delivered', 'read']
const METRICS = [
  'recovery.sent',
  'recovery.delivered',
  'recovery.read',
  'recovery.replied',
  'template.cost',
  'send.skipped',
  'step.sent',
]

type Counts = Record<string, string>

/** The message metrics per hour and dimension, from the rows in plain code (n and amount). */
async function expectedCounts(db: Kysely<Database>, merchantId: string): Promise<Counts> {
  const messages = await db
    .selectFrom('messages')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at')
    .orderBy('seq')
    .execute()
  const runs = new Map(
    (await db.selectFrom('runs').selectAll().where('merchant_id', '=', merchantId).execute()).map((r) => [
      r.id,
      r,
    ]),
  )
  const totals = new Map<string, { n: number; amount: number }>()
  const add = (at: Date, metric: string, dim: string, amount = 0) => {
    const key = `${new Date(Math.floor(at.getTime() / HOUR) * HOUR).toISOString()} ${metric} ${dim}`
    const total = totals.get(key) ?? { n: 0, amount: 0 }
    totals.set(key, { n: total.n + 1, amount: total.amount + amount })
  }
  const previous = new Map<string, (typeof messages)[number]>()
  for (const m of messages) {
    const run = m.run_id ? runs.get(m.run_id) : undefined
    const botOut = m.direction === 'out' && m.author === 'bot'
    const recovery = botOut && run?.trigger_kind === 'cart.abandoned'
    if (recovery && SENT.includes(m.status)) add(m.created_at, 'recovery.sent', '')
    if (recovery && ['delivered', 'read'].includes(m.status)) add(m.created_at, 'recovery.delivered', '')
    if (recovery && m.status === 'read') add(m.created_at, 'recovery.read', '')
    if (m.cost !== null && Number(m.cost) > 0 && SENT.includes(m.status))
      add(
        m.created_at,
        'template.cost',
        `${m.template_category ?? 'service'} ${m.cost_currency ?? 'USD'}`,
        Number(m.cost),
      )
    if (m.status === 'skipped') add(m.created_at, 'send.skipped', m.skip_reason ?? 'unknown')
    if (botOut && m.node_id !== null && SENT.includes(m.status) && run)
      add(m.created_at, 'step.sent', `${run.flow_version_id} ${m.node_id}`)
    const before = previous.get(m.conversation_id)
    const beforeRun = before?.run_id ? runs.get(before.run_id) : undefined
    if (
      m.direction === 'in' &&
      m.author === 'shopper' &&
      before?.direction === 'out' &&
      before.author === 'bot' &&
      SENT.includes(before.status) &&
      beforeRun?.trigger_kind === 'cart.abandoned'
    )
      add(m.created_at, 'recovery.replied', '')
    previous.set(m.conversation_id, m)
  }
  const counts: Counts = {}
  for (const [key, { n, amount }] of totals) counts[key] = `${n} ${amount.toFixed(4)}`
  return counts
}

/** The rollup's rows for those metrics, summed over shards (as the reports read them). */
async function actualCounts(db: Kysely<Database>, merchantId: string): Promise<Counts> {
  const rows = await db
    .selectFrom('analytics_hourly')
    .select(['hour', 'metric', 'dim', 'n', 'amount'])
    .where('merchant_id', '=', merchantId)
    .where('metric', 'in', METRICS)
    .execute()
  const totals = new Map<string, { n: number; amount: number }>()
  for (const r of rows) {
    const key = `${new Date(r.hour).toISOString()} ${r.metric} ${r.dim}`
    const total = totals.get(key) ?? { n: 0, amount: 0 }
    totals.set(key, { n: total.n + Number(r.n), amount: total.amount + Number(r.amount) })
  }
  const counts: Counts = {}
  for (const [key, { n, amount }] of totals)
    if (n !== 0 || amount !== 0) counts[key] = `${n} ${amount.toFixed(4)}`
  return counts
}

describe.each(testDatabases())('message metrics in step with the message rows on %s', (kind) => {
  let t: TestDatabase
  let db: Kysely<Database>
  let merchantId: string
  let seeded: Awaited<ReturnType<typeof seedRecoveryConversation>>
  let recoveryRun: string
  let otherRun: string

  beforeAll(async () => {
    t = await createTestDatabase(kind)
    db = t.db
    merchantId = (await seedMerchant(db)).merchantId
    seeded = await seedRecoveryConversation(db, merchantId)
    recoveryRun = await seeded.insertRun('cart-1', new Date(T0))
    // A run of another trigger in the same conversation: its messages are no recovery messages.
    const other = await db
      .insertInto('runs')
      .values({
        merchant_id: merchantId,
        flow_id: seeded.flowId,
        flow_version_id: seeded.versionId,
        contact_id: seeded.contactId,
        conversation_id: seeded.conversationId,
        trigger_kind: 'message.received',
        snapshot: { value: 'wait' },
        started_at: new Date(T0),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    otherRun = other.id
  }, 120_000)
  afterAll(() => t?.close())

  const bot = (
    at: number,
    status: MessageStatus,
    run: string | null,
    extra: Record<string, unknown> = {},
  ) => ({
    merchant_id: merchantId,
    conversation_id: seeded.conversationId,
    contact_id: seeded.contactId,
    direction: 'out' as const,
    author: 'bot' as const,
    body: { kind: 'text', text: 'hello' },
    status,
    run_id: run,
    node_id: 'ask',
    created_at: new Date(at),
    ...extra,
  })
  const shopper = (at: number) => ({
    merchant_id: merchantId,
    conversation_id: seeded.conversationId,
    contact_id: seeded.contactId,
    direction: 'in' as const,
    author: 'shopper' as const,
    body: { kind: 'text', text: 'hi' },
    status: 'delivered' as const,
    created_at: new Date(at),
  })

  it('counts every message metric, across statements, runs and hours', async () => {
    // A sent recovery message, then the shopper's reply to it.
    await db
      .insertInto('messages')
      .values(bot(T0, 'sent', recoveryRun))
      .execute()
    await db
      .insertInto('messages')
      .values(shopper(T0 + 60_000))
      .execute()
    expect(await actualCounts(db, merchantId)).toEqual(await expectedCounts(db, merchantId))
    expect(await actualCounts(db, merchantId)).toMatchObject({
      '2026-03-01T10:00:00.000Z recovery.replied ': '1 0.0000',
      [`2026-03-01T10:00:00.000Z step.sent ${seeded.versionId} ask`]: '1 0.0000',
    })
    // One step's statement: a read and a delivered recovery message, a paid template, a skipped send, a message
    // of the other run, the shopper's reply to it (no recovery reply), and a bot message with no run.
    await db
      .insertInto('messages')
      .values([
        bot(T0 + HOUR, 'read', recoveryRun),
        bot(T0 + HOUR, 'delivered', recoveryRun, {
          template_name: 'cart_reminder',
          template_category: 'marketing',
          cost: '0.0350',
          cost_currency: 'EUR',
        }),
        bot(T0 + HOUR, 'skipped', recoveryRun, { skip_reason: 'frequency_cap' }),
        bot(T0 + HOUR, 'sent', otherRun, { node_id: 'answer' }),
        shopper(T0 + HOUR + 1),
        bot(T0 + HOUR + 2, 'sent', null, { node_id: null }),
      ])
      .execute()
    expect(await actualCounts(db, merchantId)).toEqual(await expectedCounts(db, merchantId))
    // The shopper's message and the recovery message it answers in one statement (the step writes the reply
    // after the inbound message; the next inbound message answers it), a reply to a failed recovery message, and
    // a reply in a later hour.
    await db
      .insertInto('messages')
      .values([
        shopper(T0 + 2 * HOUR),
        bot(T0 + 2 * HOUR, 'delivered', recoveryRun),
        shopper(T0 + 2 * HOUR + 5),
      ])
      .execute()
    await db
      .insertInto('messages')
      .values(bot(T0 + 3 * HOUR, 'failed', recoveryRun))
      .execute()
    await db
      .insertInto('messages')
      .values([shopper(T0 + 3 * HOUR + 1), bot(T0 + 4 * HOUR, 'queued', recoveryRun)])
      .execute()
    await db
      .insertInto('messages')
      .values([bot(T0 + 5 * HOUR, 'sent', recoveryRun, { node_id: 'done' }), shopper(T0 + 5 * HOUR + 1)])
      .execute()
    const actual = await actualCounts(db, merchantId)
    expect(actual).toEqual(await expectedCounts(db, merchantId))
    expect(actual).toMatchObject({
      '2026-03-01T10:00:00.000Z recovery.replied ': '1 0.0000',
      '2026-03-01T12:00:00.000Z recovery.replied ': '1 0.0000',
      '2026-03-01T15:00:00.000Z recovery.replied ': '1 0.0000',
      '2026-03-01T11:00:00.000Z recovery.read ': '1 0.0000',
      '2026-03-01T11:00:00.000Z template.cost marketing EUR': '1 0.0350',
      '2026-03-01T11:00:00.000Z send.skipped frequency_cap': '1 0.0000',
    })
    expect(actual['2026-03-01T13:00:00.000Z recovery.replied ']).toBeUndefined()
  })
})
