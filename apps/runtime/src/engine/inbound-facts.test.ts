import { testDatabases } from '@parley/db/testing'
import { edge, node } from '@parley/flow/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedShop, textOf } from '../testing/engine-fixtures.ts'
import { createTestDeps, loggingDb, type TestDeps } from '../testing/test-deps.ts'
import { processInboundBatch, processInboundMessage } from './inbound.ts'
import { inStepTransaction } from './step-transaction.ts'

/** Any message → "Hi!" → wait for a reply → "Got: reply" → wait again (no timeout). */
const chatFlow = {
  version: 1,
  name: 'Chat',
  nodes: [
    node('start', 'trigger-message', { match: 'any', keywords: [] }),
    node('hello', 'send-message', { text: 'Hi!' }),
    node('wait', 'wait-for-reply', { branches: [], timeout: null }),
    node('ack', 'send-message', { text: 'Got: {{reply}}' }),
  ],
  edges: [
    edge('start', 'hello'),
    edge('hello', 'wait'),
    edge('wait', 'ack', 'anything'),
    edge('ack', 'wait'),
  ],
}

describe.each(testDatabases())('inbound batch reads on %s', (kind) => {
  let t: TestDeps
  const statements: string[] = []

  beforeAll(async () => {
    t = await createTestDeps(kind)
    t.deps.db = loggingDb(t.database, (sql) => statements.push(sql))
  }, 120_000)
  afterAll(() => t?.close())

  it('reads known shoppers once per batch: twenty replies cost the statements of one', async () => {
    const { db } = t.deps
    const { merchantId, message } = await seedShop(db, { flows: [chatFlow] })
    const visitors = Array.from({ length: 21 }, (_, i) => `visitor-${i}`)
    // Every visitor's run starts and waits for their reply.
    for (const visitor of visitors) {
      expect((await processInboundMessage(t.deps, message(visitor, 'hi'))).route).toBe('flow')
    }

    const replyBatch = async (batch: string[]) => {
      statements.length = 0
      const results = await inStepTransaction(t.deps, (trx, ctx) =>
        processInboundBatch(
          trx,
          ctx,
          batch.map((v) => message(v, `answer from ${v}`)),
        ),
      )
      expect(results.map((r) => r.route)).toEqual(batch.map(() => 'run'))
      return statements.length
    }
    const one = await replyBatch(visitors.slice(0, 1))
    const twenty = await replyBatch(visitors.slice(1))
    expect(twenty).toBe(one)
    // BEGIN, receipts (with the channel and its merchant), contacts, conversations, waiting runs, the targets'
    // reads, the one write, COMMIT: a dozen, whatever the batch size.
    expect(one).toBeLessThanOrEqual(13)
    // The receipts claim reads the batch's channel and its merchant: no statement of their own.
    const claims = statements.filter((s) => /insert into "receipts"/.test(s))
    expect(claims).toHaveLength(1)
    expect(claims[0]).toMatch(/from channels ch join merchants m/)
    expect(statements.filter((s) => /\b(from|join) "?(channels|merchants)"?\s/.test(s))).toEqual(claims)

    // Each reply stepped its own visitor's run and queued its own answer.
    const acks = await db
      .selectFrom('messages')
      .innerJoin('contacts', 'contacts.id', 'messages.contact_id')
      .innerJoin('contact_identities', 'contact_identities.contact_id', 'contacts.id')
      .select(['contact_identities.external_id as visitor', 'messages.body'])
      .where('messages.merchant_id', '=', merchantId)
      .where('messages.direction', '=', 'out')
      .where('messages.status', '=', 'queued')
      .execute()
    const answered = acks.filter((a) => textOf(a).startsWith('Got: ')).map((a) => [a.visitor, textOf(a)])
    expect(answered.sort()).toEqual(visitors.map((v) => [v, `Got: answer from ${v}`]).sort())
  }, 120_000)
})
