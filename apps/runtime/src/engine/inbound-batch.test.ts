// Inbound messages in batches (group commit + one StepBatch per transaction): many shoppers answering the runs
// waiting for them are stepped together and written with one statement; a batch
// mixing new shoppers, keywords, duplicates and one shopper's two messages routes each right; the frequency
// cap still counts.
import type { Database } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { edge, node } from '@parley/flow/test-support'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withProcessState } from '../process-state.ts'
import { engineReads, RecordingAdapter, seedShop, textOf } from '../testing/engine-fixtures.ts'
import { InsertRecorder } from '../testing/insert-recorder.ts'
import { createTestDeps, type TestDeps } from '../testing/test-deps.ts'
import { OPT_OUT_CONFIRMATION, processInboundMessage } from './inbound.ts'

const DAY = 86_400_000

/** Any message → "Hi!" → wait (1 day) → "One: reply" → wait (1 day) → "Two: reply" → end. */
function chatFlow(
  purpose: 'service' | 'marketing' = 'service',
  timeout: { amount: number; unit: string } | null = { amount: 1, unit: 'days' },
) {
  return {
    version: 1,
    name: `Chat ${purpose}`,
    nodes: [
      node('start', 'trigger-message', { match: 'any', keywords: [] }),
      node('hello', 'send-message', { text: 'Hi!' }),
      node('wait1', 'wait-for-reply', { branches: [], timeout }),
      node('ack1', 'send-message', { text: 'One: {{reply}}', purpose }),
      node('wait2', 'wait-for-reply', { branches: [], timeout }),
      node('ack2', 'send-message', { text: 'Two: {{reply}}', purpose }),
      node('done', 'end', { outcome: 'finished' }),
      ...(timeout ? [node('gave-up', 'end', { outcome: 'no_reply' })] : []),
    ],
    edges: [
      edge('start', 'hello'),
      edge('hello', 'wait1'),
      edge('wait1', 'ack1', 'anything'),
      edge('ack1', 'wait2'),
      edge('wait2', 'ack2', 'anything'),
      edge('ack2', 'done'),
      ...(timeout ? [edge('wait1', 'gave-up', 'timeout'), edge('wait2', 'gave-up', 'timeout')] : []),
    ],
  }
}

describe.each(testDatabases())('inbound batches on %s', (kind) => {
  let t: TestDeps
  let db: Kysely<Database>
  beforeAll(async () => {
    t = await createTestDeps(kind, { channels: { webchat: new RecordingAdapter('webchat') } })
    db = t.deps.db
  })
  afterAll(() => t.close())

  /**
   * Deps of their own (so their own group commit: batches of up to 64, `inFlight` at a time) and a statement
   * recorder.
   */
  function batchDeps(inFlight = 1) {
    const recorder = new InsertRecorder()
    const deps = withProcessState({
      ...t.deps,
      db: t.deps.db.withPlugin(recorder),
      config: { ...t.deps.config, INBOUND_BATCH_SIZE: 64, INBOUND_BATCHES_IN_FLIGHT: inFlight },
    })
    return { deps, recorder }
  }

  async function setUp(flow: unknown = chatFlow(), channelKind: 'webchat' | 'whatsapp' = 'webchat') {
    const { merchantId, channel, message } = await seedShop(db, {
      flows: [flow],
      channelKind,
      senderName: 'Ada',
    })
    /** `n` shoppers, each with a run waiting at wait1 (started one at a time). */
    const startShoppers = async (n: number, prefix = 'shopper') => {
      const shoppers = []
      for (let i = 0; i < n; i++) {
        const visitor = `${prefix}-${i}`
        const started = await processInboundMessage(t.deps, message(visitor, 'hi', `${visitor}-first`))
        expect(started.route).toBe('flow')
        shoppers.push({ visitor, ...started, runId: started.runIds[0] as string })
      }
      return shoppers
    }
    return { merchantId, channel, message, startShoppers }
  }

  const { runOf, timersOf, transcriptOf: transcript, linesOf, conversationOf } = engineReads(() => db)

  it('steps 20 waiting runs from concurrent replies in a few batches, each written in full', async () => {
    const { merchantId, message, startShoppers } = await setUp()
    const shoppers = await startShoppers(20)
    t.clock.advance(1000)
    const now = t.clock.now()
    const { deps, recorder } = batchDeps(2)
    const results = await Promise.all(
      shoppers.map((s, i) => processInboundMessage(deps, message(s.visitor, `blue ${i}`, `${s.visitor}-2`))),
    )
    // Group commit: one receipts claim per batch, far fewer batches than messages ([1], [1], [18]).
    expect(recorder.count('receipts')).toBeLessThanOrEqual(3)
    // Every transcript row went into the batch's one write statement.
    expect(recorder.count('messages')).toBe(0)

    for (const [i, s] of shoppers.entries()) {
      const result = results[i]
      expect(result).toMatchObject({
        duplicate: false,
        route: 'run',
        runIds: [s.runId],
        contactId: s.contactId,
        conversationId: s.conversationId,
      })
      const rows = await transcript(s.conversationId as string)
      expect(rows.map((m) => [m.direction, textOf(m)])).toEqual([
        ['in', 'hi'],
        ['out', 'Hi!'],
        ['in', `blue ${i}`],
        ['out', `One: blue ${i}`],
      ])
      const [inbound, reply] = rows.slice(2)
      expect(inbound).toMatchObject({
        id: result?.messageId,
        author: 'shopper',
        status: 'delivered',
        provider_message_id: `${s.visitor}-2`,
        run_id: null,
      })
      expect(reply).toMatchObject({ author: 'bot', status: 'queued', node_id: 'ack1', run_id: s.runId })
      expect(inbound?.created_at.getTime()).toBe(now)
      expect(reply?.created_at.getTime()).toBe(now)
      expect(inbound?.seq).toBeLessThan(reply?.seq as number)

      const outbox = await db
        .selectFrom('outbox')
        .selectAll()
        .where('conversation_id', '=', s.conversationId as string)
        .where('created_at', '=', new Date(now))
        .execute()
      expect(outbox).toHaveLength(1)
      expect(outbox[0]).toMatchObject({ message_id: reply?.id, status: 'pending', run_id: s.runId })
      expect(outbox[0]?.next_attempt_at.getTime()).toBe(now)
      expect(outbox[0]?.payload).toMatchObject({
        to: s.visitor,
        messageId: reply?.id,
        message: { text: `One: blue ${i}` },
      })

      const run = await runOf(s.runId)
      expect(run).toMatchObject({ revision: 2, status: 'active', waiting_for: 'reply' })
      expect(run.updated_at.getTime()).toBe(now)
      const timers = await timersOf(s.runId)
      // wait1's timeout is gone; wait2's is set at the new revision.
      expect(timers.map((tm) => [tm.revision, tm.due_at.getTime()])).toEqual([[2, now + DAY]])
      const visits = await db
        .selectFrom('node_visits')
        .select('node_ids')
        .where('run_id', '=', s.runId)
        .where('at', '=', new Date(now))
        .execute()
      // One row for the step, its nodes in the order entered.
      expect(visits.map((v) => v.node_ids)).toEqual([['ack1', 'wait2']])
      const conversation = await conversationOf(s.conversationId as string)
      expect(conversation.last_inbound_at?.getTime()).toBe(now)
      expect(conversation.last_message_at?.getTime()).toBe(now)
      expect(conversation.status).toBe('bot')
    }
    const receipts = await db
      .selectFrom('receipts')
      .select('external_id')
      .where('merchant_id', '=', merchantId)
      .execute()
    expect(receipts).toHaveLength(40)
  })

  it('routes a mixed batch: a waiting run, a new shopper, STOP, a duplicate, one shopper twice in order', async () => {
    const { merchantId, message, startShoppers } = await setUp()
    const [fast, stopper, redelivered, twice] = await startShoppers(4)
    if (!fast || !stopper || !redelivered || !twice) throw new Error('setup')
    t.clock.advance(1000)
    const { deps, recorder } = batchDeps()
    const submitted = [
      // The first goes alone; everything after it waits for the next batch.
      message('plug', 'hello', 'plug-1'),
      message(fast.visitor, 'fast reply', 'fast-2'),
      message('newcomer', 'hello there', 'newcomer-1'),
      message(stopper.visitor, 'STOP', 'stop-2'),
      message(redelivered.visitor, 'hi', `${redelivered.visitor}-first`),
      message(twice.visitor, 'first of two', 'twice-2'),
      message(twice.visitor, 'second of two', 'twice-3'),
    ].map((m) => processInboundMessage(deps, m))
    const [plug, fastR, newcomer, stop, dup, twice1, twice2] = await Promise.all(submitted)
    // [plug], [fast, newcomer, stop, dup, twice-2], [twice-3]
    expect(recorder.count('receipts')).toBe(3)

    expect(plug).toMatchObject({ route: 'flow', duplicate: false })
    expect(fastR).toMatchObject({ route: 'run', runIds: [fast.runId] })
    expect(newcomer?.route).toBe('flow')
    expect(newcomer?.runIds).toHaveLength(1)
    expect(await linesOf(newcomer?.conversationId as string)).toEqual([
      ['in', 'hello there'],
      ['out', 'Hi!'],
    ])

    expect(stop).toMatchObject({ route: 'opt_out', runIds: [stopper.runId] })
    const stopperRun = await runOf(stopper.runId)
    expect(stopperRun).toMatchObject({ status: 'done', outcome: 'opted_out' })
    expect(await timersOf(stopper.runId)).toEqual([])
    const stopTranscript = await transcript(stopper.conversationId as string)
    expect(stopTranscript.map((m) => [m.direction, textOf(m)])).toEqual([
      ['in', 'hi'],
      ['out', 'Hi!'],
      ['in', 'STOP'],
      ['out', OPT_OUT_CONFIRMATION],
    ])
    expect(stopTranscript[3]).toMatchObject({ author: 'system', status: 'queued' })
    const stopperContact = await db
      .selectFrom('contacts')
      .select('opted_out_at')
      .where('id', '=', stopper.contactId as string)
      .executeTakeFirstOrThrow()
    expect(stopperContact.opted_out_at?.getTime()).toBe(t.clock.now())

    expect(dup).toEqual({ duplicate: true, route: 'duplicate', runIds: [] })
    expect(await transcript(redelivered.conversationId as string)).toHaveLength(2)
    expect(await runOf(redelivered.runId)).toMatchObject({ revision: 1, status: 'active' })

    expect(twice1).toMatchObject({ route: 'run', runIds: [twice.runId] })
    expect(twice2).toMatchObject({ route: 'run', runIds: [twice.runId] })
    expect(await linesOf(twice.conversationId as string)).toEqual([
      ['in', 'hi'],
      ['out', 'Hi!'],
      ['in', 'first of two'],
      ['out', 'One: first of two'],
      ['in', 'second of two'],
      ['out', 'Two: second of two'],
    ])
    const twiceRun = await runOf(twice.runId)
    expect(twiceRun).toMatchObject({ status: 'done', outcome: 'finished', revision: 3 })

    const inbound = await db
      .selectFrom('messages')
      .select('provider_message_id')
      .where('merchant_id', '=', merchantId)
      .where('direction', '=', 'in')
      .execute()
    // 4 first messages + 6 new ones; the redelivered one is not stored twice.
    expect(inbound).toHaveLength(10)
    expect(inbound.filter((m) => m.provider_message_id === `${redelivered.visitor}-first`)).toHaveLength(1)
  })

  it('takes the same provider id twice in one batch once (two senders, one claim)', async () => {
    const { merchantId, message, startShoppers } = await setUp()
    const [a, b] = await startShoppers(2)
    if (!a || !b) throw new Error('setup')
    t.clock.advance(1000)
    const { deps } = batchDeps()
    const [, first, second] = await Promise.all([
      processInboundMessage(deps, message('plug', 'hello', 'plug-x')),
      processInboundMessage(deps, message(a.visitor, 'one', 'same-id')),
      processInboundMessage(deps, message(b.visitor, 'two', 'same-id')),
    ])
    expect(first).toMatchObject({ duplicate: false, route: 'run', runIds: [a.runId] })
    expect(second).toEqual({ duplicate: true, route: 'duplicate', runIds: [] })
    const rows = await db
      .selectFrom('messages')
      .select('contact_id')
      .where('merchant_id', '=', merchantId)
      .where('provider_message_id', '=', 'same-id')
      .execute()
    expect(rows).toEqual([{ contact_id: a.contactId }])
  })

  it('a run that cannot be stepped fails its own message only: the batch is retried message by message', async () => {
    const { merchantId, message, startShoppers } = await setUp()
    const shoppers = await startShoppers(4)
    const broken = shoppers[2]
    if (!broken) throw new Error('setup')
    // A stored snapshot that no longer fits the flow: stepping it throws.
    await db
      .updateTable('runs')
      .set({ snapshot: sql`jsonb_set(snapshot, '{value}', '"no-such-node"')` })
      .where('id', '=', broken.runId)
      .execute()
    t.clock.advance(1000)
    const { deps, recorder } = batchDeps()
    const settled = await Promise.allSettled([
      processInboundMessage(deps, message('plug', 'hello', 'plug-b')),
      ...shoppers.map((s) => processInboundMessage(deps, message(s.visitor, 'next', `${s.visitor}-2`))),
    ])
    expect(settled.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ])
    // [plug], [4 replies] failed whole, then each reply alone.
    expect(recorder.count('receipts')).toBe(2 + 4)
    for (const s of shoppers) {
      const rows = await transcript(s.conversationId as string)
      if (s === broken) {
        // Rolled back: no inbound row, no receipt; the run as it was.
        expect(rows).toHaveLength(2)
        continue
      }
      expect(rows.map((m) => [m.direction, textOf(m)])).toEqual([
        ['in', 'hi'],
        ['out', 'Hi!'],
        ['in', 'next'],
        ['out', 'One: next'],
      ])
    }
    const receipt = await db
      .selectFrom('receipts')
      .select('external_id')
      .where('merchant_id', '=', merchantId)
      .where('external_id', '=', `${broken.visitor}-2`)
      .execute()
    expect(receipt).toEqual([])
    expect((await runOf(broken.runId)).revision).toBe(1)
  })

  it('steps a reply that looks an order up next to plain replies in the same batch', async () => {
    const lookupOnReply = {
      version: 1,
      name: 'Order on reply',
      nodes: [
        node('start', 'trigger-message', { match: 'any', keywords: [] }),
        node('ask', 'send-message', { text: 'Order number?' }),
        node('wait', 'wait-for-reply', { branches: [], timeout: null }),
        node('lookup', 'lookup-order', { source: 'variable', variable: 'reply' }),
        node('found', 'send-message', { text: 'Found {{order.number}}' }),
        node('missing', 'send-message', { text: 'No order {{reply}}' }),
        node('done', 'end', { outcome: 'looked_up' }),
      ],
      edges: [
        edge('start', 'ask'),
        edge('ask', 'wait'),
        edge('wait', 'lookup', 'anything'),
        edge('lookup', 'found', 'found'),
        edge('lookup', 'missing', 'not_found'),
        edge('found', 'done'),
        edge('missing', 'done'),
      ],
    }
    const looking = await setUp(lookupOnReply)
    const [l] = await looking.startShoppers(1, 'looker')
    const chatting = await setUp()
    const fastOnes = await chatting.startShoppers(3)
    if (!l) throw new Error('setup')
    t.clock.advance(1000)
    const { deps, recorder } = batchDeps()
    const [, lookedUp, ...fast] = await Promise.all([
      processInboundMessage(deps, chatting.message('plug', 'hello', 'plug-l')),
      processInboundMessage(deps, looking.message(l.visitor, '#4711', 'looker-2')),
      ...fastOnes.map((s) =>
        processInboundMessage(deps, chatting.message(s.visitor, 'ok', `${s.visitor}-2`)),
      ),
    ])
    expect(lookedUp).toMatchObject({ route: 'run', runIds: [l.runId] })
    expect(fast.map((r) => r.route)).toEqual(['run', 'run', 'run'])
    expect(recorder.count('messages')).toBe(0)
    expect((await transcript(l.conversationId as string)).map((m) => textOf(m))).toEqual([
      'hi',
      'Order number?',
      '#4711',
      'No order #4711',
    ])
    const run = await runOf(l.runId)
    expect(run).toMatchObject({ status: 'done', outcome: 'looked_up' })
  })

  it('re-arms the timeout of a wait the reply loops back to (same timer id, new due time and revision)', async () => {
    const askAgain = {
      version: 1,
      name: 'Ask again',
      nodes: [
        node('start', 'trigger-message', { match: 'any', keywords: [] }),
        node('ask', 'send-message', { text: 'Yes or no?' }),
        node('wait', 'wait-for-reply', {
          branches: [{ id: 'yes', title: 'Yes', keywords: ['yes'] }],
          timeout: { amount: 1, unit: 'days' },
        }),
        node('thanks', 'send-message', { text: 'Thanks' }),
        node('done', 'end', { outcome: 'answered' }),
        node('gave-up', 'end', { outcome: 'no_reply' }),
      ],
      edges: [
        edge('start', 'ask'),
        edge('ask', 'wait'),
        edge('wait', 'thanks', 'yes'),
        edge('wait', 'ask', 'anything'),
        edge('wait', 'gave-up', 'timeout'),
        edge('thanks', 'done'),
      ],
    }
    const { message, startShoppers } = await setUp(askAgain)
    const shoppers = await startShoppers(3)
    const before = await timersOf(shoppers[0]?.runId as string)
    expect(before).toHaveLength(1)
    const { deps, recorder } = batchDeps()
    for (let round = 1; round <= 2; round++) {
      t.clock.advance(60_000)
      const results = await Promise.all(
        shoppers.map((s) =>
          processInboundMessage(deps, message(s.visitor, 'maybe', `${s.visitor}-${round}`)),
        ),
      )
      expect(results.map((r) => r.route)).toEqual(['run', 'run', 'run'])
      for (const s of shoppers) {
        const timers = await timersOf(s.runId)
        expect(timers.map((tm) => [tm.timer_id, tm.revision, tm.due_at.getTime()])).toEqual([
          [before[0]?.timer_id, round + 1, t.clock.now() + DAY],
        ])
        expect((await transcript(s.conversationId as string)).map(textOf)).toEqual([
          'hi',
          ...Array.from({ length: round }, () => ['Yes or no?', 'maybe']).flat(),
          'Yes or no?',
        ])
      }
    }
    expect(recorder.count('messages')).toBe(0)
  })

  it('hands a resolved conversation back to the bot when its shopper answers the waiting run', async () => {
    const { message, startShoppers } = await setUp()
    const shoppers = await startShoppers(3)
    const resolvedAt = new Date(t.clock.now())
    const conversationIds = shoppers.map((s) => s.conversationId as string)
    await db
      .updateTable('conversations')
      .set({ status: 'resolved', resolved_at: resolvedAt })
      .where('id', 'in', conversationIds)
      .execute()
    t.clock.advance(1000)
    const { deps, recorder } = batchDeps()
    const results = await Promise.all(
      shoppers.map((s) => processInboundMessage(deps, message(s.visitor, 'back again', `${s.visitor}-2`))),
    )
    expect(recorder.count('messages')).toBe(0)
    expect(results.map((r) => r.route)).toEqual(['run', 'run', 'run'])
    for (const s of shoppers) {
      expect(await conversationOf(s.conversationId as string)).toMatchObject({
        status: 'bot',
        resolved_at: null,
        last_inbound_at: new Date(t.clock.now()),
      })
    }
  })

  it('leaves a conversation staff took over to the inbox, even in a batch', async () => {
    const { message, startShoppers } = await setUp()
    const [staffed, free] = await startShoppers(2)
    if (!staffed || !free) throw new Error('setup')
    await db
      .updateTable('conversations')
      .set({ status: 'assigned' })
      .where('id', '=', staffed.conversationId as string)
      .execute()
    t.clock.advance(1000)
    const { deps } = batchDeps()
    const [, staffedR, freeR] = await Promise.all([
      processInboundMessage(deps, message('plug', 'hello', 'plug-s')),
      processInboundMessage(deps, message(staffed.visitor, 'a person please', 'staffed-2')),
      processInboundMessage(deps, message(free.visitor, 'ok', 'free-2')),
    ])
    expect(staffedR).toMatchObject({ route: 'staff', runIds: [] })
    expect(freeR).toMatchObject({ route: 'run', runIds: [free.runId] })
    expect(await runOf(staffed.runId)).toMatchObject({ revision: 1, waiting_for: 'reply' })
  })

  it('applies the frequency cap to marketing replies stepped in a batch', async () => {
    const { merchantId, message, startShoppers } = await setUp(chatFlow('marketing'))
    await db
      .updateTable('merchants')
      .set({ frequency_cap_count: 1, frequency_cap_window_minutes: 60 })
      .where('id', '=', merchantId)
      .execute()
    const shoppers = await startShoppers(6)
    await db
      .updateTable('contacts')
      .set({ marketing_consent: true })
      .where('merchant_id', '=', merchantId)
      .execute()
    const { deps, recorder } = batchDeps()
    for (const round of [1, 2]) {
      t.clock.advance(1000)
      await Promise.all(
        shoppers.map((s) =>
          processInboundMessage(deps, message(s.visitor, `r${round}`, `${s.visitor}-${round}`)),
        ),
      )
    }
    const outs = await db
      .selectFrom('messages')
      .select(['node_id', 'status', 'skip_reason', 'is_marketing'])
      .where('merchant_id', '=', merchantId)
      .where('direction', '=', 'out')
      .where('node_id', 'in', ['ack1', 'ack2'])
      .execute()
    expect(recorder.count('messages')).toBe(0)
    // ack1 is the first marketing send in the window: queued; ack2 hits the cap of 1: skipped.
    expect(outs.filter((m) => m.node_id === 'ack1')).toEqual(
      Array.from({ length: 6 }, () => ({
        node_id: 'ack1',
        status: 'queued',
        skip_reason: null,
        is_marketing: true,
      })),
    )
    expect(outs.filter((m) => m.node_id === 'ack2')).toEqual(
      Array.from({ length: 6 }, () => ({
        node_id: 'ack2',
        status: 'skipped',
        skip_reason: 'frequency_cap',
        is_marketing: true,
      })),
    )
  })

  // The conversation row is written after the runs are locked (run locks come first), so the batch's sends
  // must see the window the message just opened (StepBatch.noteInbound).
  it('on WhatsApp, a reply after the 24-hour window closed goes out free-form', async () => {
    const { message, startShoppers } = await setUp(chatFlow('service', null), 'whatsapp')
    const [s] = await startShoppers(1)
    if (!s) throw new Error('setup')
    t.clock.advance(DAY + 3_600_000)
    const { deps, recorder } = batchDeps()
    const msg = message(s.visitor, 'still there?', `${s.visitor}-2`)
    msg.sender = { ...msg.sender, name: 'Ada Renamed' }
    const result = await processInboundMessage(deps, msg)
    expect(result.route).toBe('run')
    expect(recorder.count('messages')).toBe(0)
    const reply = (await transcript(s.conversationId as string)).at(-1)
    expect(reply).toMatchObject({ direction: 'out', status: 'queued', skip_reason: null })
  })
})
