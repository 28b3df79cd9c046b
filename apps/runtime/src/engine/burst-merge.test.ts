// Burst merge (issue 14, acceptance 3): quick messages of one shopper are stepped once, texts joined, after the
// quiet window; messages further apart are answered each; a button tap, a window of 0 and a keyword do not wait;
// typing extends the window within its bound; two pollers at once step each burst once. The clock is the
// ManualClock: nothing here sleeps.
import type { Database } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { edge, node } from '@parley/flow/test-support'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InboundMessage } from '../channels/types.ts'
import {
  countRows,
  echoFlow,
  engineReads,
  RecordingAdapter,
  seedShop,
  textOf,
} from '../testing/engine-fixtures.ts'
import { createTestDeps, type TestDeps } from '../testing/test-deps.ts'
import { extendBurstWhileTyping } from './burst-merge.ts'
import { stepDueBursts } from './burst-poller.ts'
import { runDueWork } from './due-work.ts'
import { processInboundMessage } from './inbound.ts'

const WINDOW = 2500

/** Any message → a question that waits a minute for the answer → the answer, or "No answer" once it is up. */
const askFlow = {
  version: 1,
  name: 'Ask',
  nodes: [
    node('start', 'trigger-message', { match: 'any', keywords: [] }),
    node('ask', 'send-message', { text: 'Which colour?' }),
    node('wait', 'wait-for-reply', { branches: [], timeout: { amount: 1, unit: 'minutes' } }),
    node('got', 'send-message', { text: 'Colour: {{reply}}' }),
    node('none', 'send-message', { text: 'No answer' }),
  ],
  edges: [
    edge('start', 'ask'),
    edge('ask', 'wait'),
    edge('wait', 'got', 'anything'),
    edge('wait', 'none', 'timeout'),
  ],
}

describe.each(testDatabases())('burst merge on %s', (kind) => {
  let t: TestDeps
  let db: Kysely<Database>
  const webchat = new RecordingAdapter('webchat')
  beforeAll(async () => {
    t = await createTestDeps(kind, { channels: { webchat } })
    db = t.deps.db
  })
  afterAll(() => t.close())
  const { runOf, timersOf } = engineReads(() => db)

  async function setUp(burstWindowMs = WINDOW, flow: object = echoFlow) {
    const { merchantId, message } = await seedShop(db, { flows: [flow], burstWindowMs })
    const visitor = `visitor-${merchantId}`
    const say = (text: string, extra: Partial<InboundMessage> = {}) =>
      processInboundMessage(t.deps, { ...message(visitor, text), ...extra })
    const replies = () =>
      webchat.sends.filter((s) => s.payload.to === visitor).map((s) => s.payload.message.text)
    const count = (table: 'runs' | 'inbound_bursts') => countRows(db, table, merchantId)
    const inboundRows = () =>
      db
        .selectFrom('messages')
        .select('body')
        .where('merchant_id', '=', merchantId)
        .where('direction', '=', 'in')
        .orderBy('created_at')
        .orderBy('seq')
        .execute()
    /** Moves the clock and runs what came due (bursts, timers, the outbox), as the background loops would. */
    const advance = async (ms: number) => {
      t.clock.advance(ms)
      await runDueWork(t.deps)
    }
    /** The shopper typing now (the web chat's typing signal) in their one conversation. */
    const typing = async () => {
      const { id } = await db
        .selectFrom('conversations')
        .select('id')
        .where('merchant_id', '=', merchantId)
        .executeTakeFirstOrThrow()
      return extendBurstWhileTyping(db, merchantId, id, t.clock.now())
    }
    return { merchantId, message, say, replies, count, inboundRows, advance, typing }
  }

  it('steps three messages 300 ms apart once, texts joined, with one reply', async () => {
    const { say, replies, count, inboundRows, advance } = await setUp()
    expect(await say('hi')).toMatchObject({ route: 'held', runIds: [] })
    await advance(300)
    expect(await say('is the Classic Hoodie available in M?')).toMatchObject({ route: 'held' })
    await advance(300)
    expect(await say('and do you ship to Germany?')).toMatchObject({ route: 'held' })
    // Each message is in the transcript the moment it was accepted; nothing is stepped yet.
    expect((await inboundRows()).map(textOf)).toEqual([
      'hi',
      'is the Classic Hoodie available in M?',
      'and do you ship to Germany?',
    ])
    await advance(WINDOW - 100)
    expect(await count('runs')).toBe(0)
    expect(replies()).toEqual([])
    await advance(100)
    expect(await count('runs')).toBe(1)
    expect(await count('inbound_bursts')).toBe(0)
    expect(replies()).toEqual([
      'You said: hi\nis the Classic Hoodie available in M?\nand do you ship to Germany?',
    ])
    // Nothing is left to step twice.
    await advance(60_000)
    expect(replies()).toHaveLength(1)
  })

  it('answers two messages 5 s apart each', async () => {
    const { say, replies, count, advance } = await setUp()
    await say('hi')
    await advance(5000)
    expect(replies()).toEqual(['You said: hi'])
    await say('where is my order?')
    await advance(5000)
    expect(replies()).toEqual(['You said: hi', 'And then: where is my order?'])
    expect(await count('runs')).toBe(1)
  })

  it('does not delay a button tap; a tap ends a pending burst and carries its texts', async () => {
    const alone = await setUp()
    expect(await alone.say('Yes please', { buttonId: 'yes' })).toMatchObject({ route: 'flow' })
    await runDueWork(t.deps)
    expect(alone.replies()).toEqual(['You said: Yes please'])

    const after = await setUp()
    await after.say('hmm')
    await after.advance(300)
    expect(await after.say('Yes please', { buttonId: 'yes' })).toMatchObject({ route: 'flow' })
    await runDueWork(t.deps)
    expect(after.replies()).toEqual(['You said: hmm\nYes please'])
    expect(await after.count('inbound_bursts')).toBe(0)
  })

  it('an answer held in a burst when the wait runs out is the answer, not "no reply"', async () => {
    const { say, replies, advance } = await setUp(WINDOW, askFlow)
    await say('hi')
    await advance(WINDOW)
    expect(replies()).toEqual(['Which colour?'])
    // The shopper answers 59 s in; the minute is up while the answer is still held in its burst.
    await advance(59_000 - WINDOW)
    expect(await say('navy')).toMatchObject({ route: 'held' })
    await advance(1500)
    expect(replies()).toEqual(['Which colour?'])
    await advance(WINDOW)
    expect(replies()).toEqual(['Which colour?', 'Colour: navy'])
    // The timeout it replaced never fires later.
    await advance(120_000)
    expect(replies()).toEqual(['Which colour?', 'Colour: navy'])
  })

  it('a held answer defers every timer of its waiting run; the moved timeout still runs out if nothing answers', async () => {
    const { merchantId, say, replies, advance } = await setUp(WINDOW, askFlow)
    await say('hi')
    await advance(WINDOW)
    const run = await db
      .selectFrom('runs')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow()
    const [timeout] = await timersOf(run.id)
    // A second timer of the run comes due just after the wait's (what a parallel branch would set; no node kind
    // arms two at once today, so it is written here). Its event is one the wait ignores.
    await db
      .insertInto('timers')
      .values({
        merchant_id: merchantId,
        run_id: run.id,
        timer_id: 'other.tick',
        due_at: new Date(timeout!.due_at.getTime() + 1),
        revision: run.revision,
        event: { type: 'other.tick' },
      })
      .execute()
    await advance(59_000 - WINDOW)
    expect(await say('navy')).toMatchObject({ route: 'held' })
    // The minute is up while "navy" is held: both timers move behind the burst, neither steps the run, so the
    // moved timeout keeps a revision that matches (timer-poller.ts).
    await advance(1500)
    const now = t.clock.now()
    expect(await runOf(run.id)).toMatchObject({ revision: run.revision })
    const moved = await timersOf(run.id)
    expect(
      Object.fromEntries(moved.map((m) => [m.timer_id, [m.revision, m.due_at.getTime() > now]])),
    ).toEqual({
      'other.tick': [run.revision, true],
      [timeout!.timer_id]: [run.revision, true],
    })
    // The burst goes without stepping the run (as one whose messages were dropped would): the moved timeout is
    // all that can move the run on, and it fires, after the other timer stepped the run in the same batch.
    await db.deleteFrom('inbound_bursts').where('merchant_id', '=', merchantId).execute()
    await advance(WINDOW)
    expect(replies()).toEqual(['Which colour?', 'No answer'])
  })

  it('a wait with no answer held still runs out on time', async () => {
    const { say, replies, advance } = await setUp(WINDOW, askFlow)
    await say('hi')
    await advance(WINDOW)
    await advance(60_000)
    expect(replies()).toEqual(['Which colour?', 'No answer'])
  })

  it('answers at once when the window is 0', async () => {
    const { say, replies, count } = await setUp(0)
    expect(await say('hi')).toMatchObject({ route: 'flow' })
    await runDueWork(t.deps)
    expect(replies()).toEqual(['You said: hi'])
    expect(await count('inbound_bursts')).toBe(0)
  })

  it('waits while the shopper types, at most 10 s after the first message', async () => {
    const { say, replies, advance, typing } = await setUp()
    const result = await say('hi')
    expect(result.route).toBe('held')
    await advance(2000)
    expect(await typing()).toBe(true)
    // Past the plain window: still waiting for what is being typed.
    await advance(1000)
    expect(replies()).toEqual([])
    // They keep typing: the answer still comes 10 s after the first message at the latest.
    for (let at = 3000; at < 9000; at += 2000) {
      await typing()
      await advance(2000)
      expect(replies()).toEqual([])
    }
    await typing()
    await advance(1000)
    expect(replies()).toEqual(['You said: hi'])
    // Typing with nothing pending changes nothing.
    expect(await typing()).toBe(false)
  })

  it('a message sent ends the typing wait: the window counts from it again', async () => {
    const { say, replies, advance, typing } = await setUp()
    await say('hi')
    await typing()
    await advance(500)
    await say('one more thing')
    await advance(WINDOW)
    expect(replies()).toEqual(['You said: hi\none more thing'])
  })

  it('acts on STOP at once and drops what was held', async () => {
    const { say, replies, count, advance } = await setUp()
    await say('hi')
    expect(await say('STOP')).toMatchObject({ route: 'opt_out' })
    await advance(WINDOW)
    expect(await count('inbound_bursts')).toBe(0)
    expect(await count('runs')).toBe(0)
    expect(replies()).toHaveLength(1) // the opt-out confirmation only
  })

  it('two pollers at once step each burst exactly once', async () => {
    const { merchantId, message, count } = await setUp()
    const shoppers = Array.from({ length: 20 }, (_, i) => `crowd-${merchantId}-${i}`)
    for (const shopper of shoppers) {
      for (const text of ['hi', 'a question']) await processInboundMessage(t.deps, message(shopper, text))
    }
    t.clock.advance(WINDOW)
    const drain = async () => {
      let claimed = 0
      for (let round = 0; round < 50; round++) {
        const stepped = await stepDueBursts(t.deps, 4)
        claimed += stepped.claimed
        if (stepped.claimed === 0 && (await count('inbound_bursts')) === 0) break
      }
      return claimed
    }
    const [a, b] = await Promise.all([drain(), drain()])
    expect(a + b).toBe(shoppers.length)
    expect(await count('runs')).toBe(shoppers.length)
    await runDueWork(t.deps)
    const texts = webchat.sends
      .filter((s) => shoppers.includes(s.payload.to))
      .map((s) => s.payload.message.text)
    expect(texts).toEqual(shoppers.map(() => 'You said: hi\na question'))
  })
})
