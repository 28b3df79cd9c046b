// Inbound routing: dedupe (acceptance 4), the waiting run, keyword and any-message triggers, opt-out and
// opt-in, staff takeover.
import type { Database } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { edge, node } from '@parley/flow/test-support'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InboundMessage } from '../channels/types.ts'
import { relayOutbox } from '../delivery/outbox-relay.ts'
import { echoFlow, engineReads, RecordingAdapter, seedShop, textOf } from '../testing/engine-fixtures.ts'
import { createTestDeps, type TestDeps } from '../testing/test-deps.ts'
import { OPT_IN_CONFIRMATION, OPT_OUT_CONFIRMATION, processInboundMessage } from './inbound.ts'

const keywordFlow = {
  version: 1,
  name: 'Order help',
  nodes: [
    node('start', 'trigger-message', { match: 'keyword', keywords: ['where is my order'] }),
    node('answer', 'send-message', { text: 'Let me look that up.' }),
    node('done', 'end', { outcome: 'answered' }),
  ],
  edges: [edge('start', 'answer'), edge('answer', 'done')],
}

describe.each(testDatabases())('inbound messages on %s', (kind) => {
  let t: TestDeps
  let db: Kysely<Database>
  const webchat = new RecordingAdapter('webchat')
  beforeAll(async () => {
    t = await createTestDeps(kind, { channels: { webchat } })
    db = t.deps.db
  })
  afterAll(() => t.close())
  const { runOf } = engineReads(() => db)

  async function setUp(flows: unknown[] = [echoFlow]) {
    const { merchantId, channel, message } = await seedShop(db, { flows, senderName: 'Ada' })
    const defaultVisitor = `visitor-${merchantId}`
    const say = (text: string, visitor = defaultVisitor, externalId?: string): InboundMessage => {
      // Each message a second later, so transcripts have an order.
      t.clock.advance(1000)
      return message(visitor, text, externalId)
    }
    const outbound = (conversationId: string) =>
      db
        .selectFrom('messages')
        .select(['body', 'status', 'skip_reason', 'author'])
        .where('merchant_id', '=', merchantId)
        .where('conversation_id', '=', conversationId)
        .where('direction', '=', 'out')
        .orderBy('created_at')
        .orderBy('seq')
        .execute()
    const sendsTo = () => webchat.sends.filter((s) => s.payload.to === defaultVisitor).length
    return { merchantId, channel, say, outbound, sendsTo }
  }

  it('processes the same inbound event once (acceptance 4)', async () => {
    const { merchantId, say } = await setUp()
    const message = say('hello', 'visitor-dup', 'wamid.same')
    const first = await processInboundMessage(t.deps, message)
    const second = await processInboundMessage(t.deps, message)
    expect(first).toMatchObject({ duplicate: false, route: 'flow' })
    expect(second).toEqual({ duplicate: true, route: 'duplicate', runIds: [] })
    const inbound = await db
      .selectFrom('messages')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('direction', '=', 'in')
      .execute()
    expect(inbound).toHaveLength(1)
    const visits = await db
      .selectFrom('node_visits')
      .select('node_ids')
      .where('merchant_id', '=', merchantId)
      .execute()
    // One step (the duplicate made none), its nodes in the order entered.
    expect(visits.map((v) => v.node_ids)).toEqual([['start', 'echo', 'wait']])
    const runs = await db
      .selectFrom('runs')
      .select(['revision'])
      .where('merchant_id', '=', merchantId)
      .execute()
    expect(runs).toEqual([{ revision: 1 }])
  })

  it('starts a flow on any message, then hands the next message to the run waiting for it', async () => {
    const { say, outbound } = await setUp()
    const first = await processInboundMessage(t.deps, say('hi there'))
    expect(first.route).toBe('flow')
    const second = await processInboundMessage(t.deps, say('blue please'))
    expect(second).toMatchObject({ route: 'run', runIds: first.runIds })
    const texts = (await outbound(first.conversationId!)).map(textOf)
    expect(texts).toEqual(['You said: hi there', 'And then: blue please'])
    const third = await processInboundMessage(t.deps, say('anyone?'))
    // The first run ended; a new one starts for the new message.
    expect(third.route).toBe('flow')
    expect(third.runIds).not.toEqual(first.runIds)
  })

  it('prefers a keyword flow over an any-message flow, and records unrouted messages', async () => {
    const keywordOnly = await setUp([keywordFlow])
    const none = await processInboundMessage(t.deps, keywordOnly.say('hello'))
    expect(none.route).toBe('none')
    const both = await setUp([echoFlow, keywordFlow])
    const routed = await processInboundMessage(t.deps, both.say('Hi, where is my order?'))
    expect(routed.route).toBe('flow')
    const texts = (await both.outbound(routed.conversationId!)).map(textOf)
    expect(texts).toEqual(['Let me look that up.'])
  })

  it('STOP opts out: ends active runs, confirms once, blocks later sends; START opts back in', async () => {
    const { say, outbound, merchantId } = await setUp()
    const started = await processInboundMessage(t.deps, say('hello'))
    const stop = await processInboundMessage(t.deps, say('stop'))
    expect(stop).toMatchObject({ route: 'opt_out', runIds: started.runIds })
    expect(await runOf(started.runIds[0]!)).toMatchObject({ status: 'done', outcome: 'opted_out' })
    await processInboundMessage(t.deps, say('STOP'))
    const afterStop = await outbound(started.conversationId!)
    expect(afterStop.filter((m) => textOf(m) === OPT_OUT_CONFIRMATION)).toHaveLength(1)

    // A message that starts a flow while opted out: the run's send is skipped, recorded.
    await processInboundMessage(t.deps, say('hello again'))
    const skipped = (await outbound(started.conversationId!)).filter((m) => m.status === 'skipped')
    expect(skipped).toMatchObject([{ skip_reason: 'opted_out' }])

    await processInboundMessage(t.deps, say('start'))
    const contact = await db
      .selectFrom('contacts')
      .select('opted_out_at')
      .where('merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow()
    expect(contact.opted_out_at).toBeNull()
    const texts = (await outbound(started.conversationId!)).map(textOf)
    expect(texts.at(-1)).toBe(OPT_IN_CONFIRMATION)
  })

  it('a send queued before an opt-out is skipped by the relay, not sent', async () => {
    const { say, outbound, sendsTo, merchantId } = await setUp()
    const started = await processInboundMessage(t.deps, say('hello'))
    // Opt out directly (as if through another channel) while the echo is still in the outbox.
    await db
      .updateTable('contacts')
      .set({ opted_out_at: new Date(t.clock.now()) })
      .where('merchant_id', '=', merchantId)
      .execute()
    const relayed = await relayOutbox(t.deps)
    expect(relayed.skipped).toBeGreaterThanOrEqual(1)
    expect(sendsTo()).toBe(0)
    expect((await outbound(started.conversationId!))[0]).toMatchObject({
      status: 'skipped',
      skip_reason: 'opted_out',
    })
  })

  it('staff takeover: messages go to the inbox only, and queued bot sends are held back', async () => {
    const { say, outbound } = await setUp()
    const started = await processInboundMessage(t.deps, say('hello'))
    await db
      .updateTable('conversations')
      .set({ status: 'assigned' })
      .where('id', '=', started.conversationId!)
      .execute()
    const during = await processInboundMessage(t.deps, say('can a person help?'))
    expect(during).toMatchObject({ route: 'staff', runIds: [] })
    await relayOutbox(t.deps)
    expect((await outbound(started.conversationId!))[0]).toMatchObject({
      status: 'skipped',
      skip_reason: 'staff_takeover',
    })
  })
})
