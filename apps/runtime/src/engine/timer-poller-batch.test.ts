// Timer firings in batches (`fireDueTimers`): many runs fired in one poll and written with one statement;
// stale timers are dropped; steps that escalate or look an order up are fired beside plain reminders; a batch
// that fails is fired run by run; the frequency cap and quiet hours hold across the batch.
import type { Database } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { edge, node } from '@parley/flow/test-support'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RuntimeDeps } from '../deps.ts'
import { metricValue } from '../observability/metrics.ts'
import { engineReads, RecordingAdapter, reminderFlow, seedShop, textOf } from '../testing/engine-fixtures.ts'
import { InsertRecorder } from '../testing/insert-recorder.ts'
import { createTestDeps, loggingDb, type TestDeps } from '../testing/test-deps.ts'
import { processInboundMessage } from './inbound.ts'
import { drainDueTimers, fireDueTimers } from './timer-poller.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** A poll that claimed `n` timers and fired each. */
const fired = (n: number) => ({ claimed: n, fired: n, dropped: 0, deferred: 0 })

/** Any message → 1 h → escalate with a note → (handed back) → send → end. */
const escalateFlow = {
  version: 1,
  name: 'Escalate later',
  nodes: [
    node('start', 'trigger-message', { match: 'any', keywords: [] }),
    node('wait', 'delay', { mode: 'duration', duration: { amount: 1, unit: 'hours' } }),
    node('handoff', 'escalate', { queue: 'support', summaryFields: [], note: 'A person will help you.' }),
    node('back', 'send-message', { text: 'Back with the bot.' }),
    node('done', 'end', { outcome: 'handed_back' }),
  ],
  edges: [edge('start', 'wait'), edge('wait', 'handoff'), edge('handoff', 'back'), edge('back', 'done')],
}

/** Any message → 1 h → look up the latest order → found / not found message → end. */
const lookupFlow = {
  version: 1,
  name: 'Order check later',
  nodes: [
    node('start', 'trigger-message', { match: 'any', keywords: [] }),
    node('wait', 'delay', { mode: 'duration', duration: { amount: 1, unit: 'hours' } }),
    node('lookup', 'lookup-order', { source: 'latest', variable: 'order_number' }),
    node('found', 'send-message', { text: 'Your order {{order.number}}' }),
    node('missing', 'send-message', { text: 'No order yet.' }),
    node('done', 'end', { outcome: 'checked' }),
  ],
  edges: [
    edge('start', 'wait'),
    edge('wait', 'lookup'),
    edge('lookup', 'found', 'found'),
    edge('lookup', 'missing', 'not_found'),
    edge('found', 'done'),
    edge('missing', 'done'),
  ],
}

describe.each(testDatabases())('timer batches on %s', (kind) => {
  let t: TestDeps
  let db: Kysely<Database>
  beforeAll(async () => {
    t = await createTestDeps(kind, { channels: { webchat: new RecordingAdapter() } })
    db = t.deps.db
  })
  afterAll(() => t.close())
  // Every test starts with nothing due, so a poll's counts are this test's.
  beforeEach(async () => {
    while ((await fireDueTimers(t.deps)).claimed > 0) {}
  })

  function recordingDeps() {
    const recorder = new InsertRecorder()
    const deps: RuntimeDeps = { ...t.deps, db: t.deps.db.withPlugin(recorder) }
    return { deps, recorder }
  }

  async function setUp(flows: unknown[]) {
    const { merchantId, channel, message } = await seedShop(db, { flows })
    const say = async (visitor: string, text = 'hi') => {
      const result = await processInboundMessage(t.deps, message(visitor, text))
      expect(result.route).toBe('flow')
      return { visitor, runId: result.runIds[0] as string, ...result }
    }
    const outbound = (runId: string) =>
      db
        .selectFrom('messages')
        .select(['id', 'body', 'status', 'skip_reason', 'author', 'node_id', 'created_at', 'is_marketing'])
        .where('run_id', '=', runId)
        .where('direction', '=', 'out')
        .orderBy('created_at')
        .orderBy('seq')
        .execute()
    /** The texts the run sent, in order. */
    const sentTexts = async (runId: string) => (await outbound(runId)).map(textOf)
    /** Marketing sends capped at `count` a day. */
    const capMarketing = async (count: number) => {
      await db
        .updateTable('merchants')
        .set({ frequency_cap_count: count, frequency_cap_window_minutes: 24 * 60 })
        .where('id', '=', merchantId)
        .execute()
    }
    return { merchantId, channel, say, outbound, sentTexts, capMarketing, ...engineReads(() => db) }
  }

  async function lateness(deps: RuntimeDeps) {
    const { values } = await deps.metrics.timerLateness.get()
    const value = (suffix: string) =>
      values.find((v) => v.metricName === `parley_timer_lateness_seconds_${suffix}`)?.value ?? 0
    return { count: value('count'), sum: value('sum') }
  }

  it('a batch write that fails falls back to one run at a time: the bad run ends failed, the others fire', async () => {
    const { say, outbound, runOf, timersOf } = await setUp([reminderFlow('Poison test')])
    const runs = []
    for (let i = 0; i < 5; i++) runs.push(await say(`poison-${i}`))
    const bad = runs[2]?.runId as string
    // The database refuses the bad run's node visits, as a constraint would: the whole batch statement fails.
    await sql`create function refuse_visit() returns trigger language plpgsql as $$
      begin
        if new.run_id = ${sql.lit(bad)}::uuid then raise exception 'refused visit for %', new.run_id; end if;
        return new;
      end $$`.execute(db)
    await sql`create trigger refuse_visit before insert on node_visits for each row execute function refuse_visit()`.execute(
      db,
    )
    try {
      t.clock.advance(HOUR + 1000)
      const result = await fireDueTimers(t.deps)
      expect(result).toEqual({ claimed: 5, fired: 4, dropped: 0, deferred: 1 })
      for (const r of runs) {
        const run = await runOf(r.runId)
        if (r.runId === bad) {
          expect(run).toMatchObject({ status: 'failed' })
          expect(run.error).toContain('refused visit')
          expect(await outbound(r.runId)).toEqual([])
        } else {
          expect(run).toMatchObject({ status: 'done', outcome: 'reminded' })
          expect(await outbound(r.runId)).toHaveLength(1)
        }
        expect(await timersOf(r.runId)).toEqual([])
      }
      // The next poll has nothing left to do: the failure is not retried forever.
      expect(await fireDueTimers(t.deps)).toMatchObject({ claimed: 0 })
    } finally {
      await sql`drop trigger refuse_visit on node_visits`.execute(db)
      await sql`drop function refuse_visit()`.execute(db)
    }
  })

  it('fires many runs with one due timer in one poll: each run done, timer gone, one message and outbox row', async () => {
    const { say, outbound, outboxOf, runOf, timersOf } = await setUp([reminderFlow('Still there?')])
    const runs = []
    for (let i = 0; i < 30; i++) runs.push(await say(`shopper-${i}`))
    for (const r of runs) expect(await timersOf(r.runId)).toHaveLength(1)
    const dueAt = t.clock.now() + HOUR
    t.clock.advance(HOUR + 90_000)
    const { deps, recorder } = recordingDeps()
    const latenessBefore = await lateness(deps)
    const firedBefore = await metricValue(deps.metrics.timersFired)

    const result = await fireDueTimers(deps)
    expect(result).toEqual(fired(30))
    // All through the batch: no transcript row was inserted one at a time.
    expect(recorder.count('messages')).toBe(0)
    expect(await metricValue(deps.metrics.timersFired)).toBe(firedBefore + 30)
    const latenessAfter = await lateness(deps)
    expect(latenessAfter.count - latenessBefore.count).toBe(30)
    expect(latenessAfter.sum - latenessBefore.sum).toBeCloseTo(30 * 90, 6)

    for (const r of runs) {
      const run = await runOf(r.runId)
      expect(run).toMatchObject({ status: 'done', outcome: 'reminded', waiting_for: null, revision: 2 })
      expect(run.ended_at?.getTime()).toBe(t.clock.now())
      expect(await timersOf(r.runId)).toEqual([])
      const sent = await outbound(r.runId)
      expect(sent).toHaveLength(1)
      expect(sent[0]).toMatchObject({ body: { text: 'Still there?' }, status: 'queued', node_id: 'remind' })
      // Stamped with the poll's time; the machine saw the due time.
      expect(sent[0]?.created_at.getTime()).toBe(t.clock.now())
      const outbox = await outboxOf(r.runId)
      expect(outbox).toHaveLength(1)
      expect(outbox[0]).toMatchObject({
        message_id: sent[0]?.id,
        status: 'pending',
        conversation_id: r.conversationId,
      })
      expect(outbox[0]?.payload).toMatchObject({ to: r.visitor, message: { text: 'Still there?' } })
      const visits = await db
        .selectFrom('node_visits')
        .select('node_ids')
        .where('run_id', '=', r.runId)
        .where('at', '=', new Date(t.clock.now()))
        .execute()
      expect(visits.map((v) => v.node_ids)).toEqual([['remind', 'done']])
    }
    expect(dueAt).toBeLessThan(t.clock.now())
    expect(await fireDueTimers(deps)).toEqual(fired(0))
  })

  // The send targets' merchant and channel rows come in one statement (policy/send-facts.ts
  // `readChannelsWithMerchants`), not one read each.
  it('a firing batch reads its merchant with its channel in one statement', async () => {
    const { say, outbound } = await setUp([reminderFlow('One read')])
    const runs = []
    for (let i = 0; i < 5; i++) runs.push(await say(`one-read-${i}`))
    t.clock.advance(HOUR + MINUTE)
    const statements: string[] = []
    const logged = loggingDb(t.database, (q) => statements.push(q.replace(/\s+/g, ' ').toLowerCase()))
    expect(await fireDueTimers({ ...t.deps, db: logged })).toEqual(fired(5))
    expect(statements.filter((q) => q.includes('from channels ch join merchants m'))).toHaveLength(1)
    expect(statements.filter((q) => /from "(merchants|channels)"/.test(q))).toEqual([])
    for (const r of runs) expect((await outbound(r.runId)).map((m) => m.body)).toEqual([{ text: 'One read' }])
  })

  it('drains in lanes: each lane claims again while its batch came back full, up to its bound; each timer fires once', async () => {
    const { say, outbound, runOf } = await setUp([reminderFlow('Lanes')])
    const runs = []
    for (let i = 0; i < 11; i++) runs.push(await say(`lane-${i}`))
    t.clock.advance(HOUR + 1000)
    const deps: RuntimeDeps = { ...t.deps, config: { ...t.deps.config, TIMER_BATCH_SIZE: 2 } }
    // PGlite serialises the lanes' transactions; on Postgres they run side by side and skip each other's claims.
    const lanes = kind === 'postgres' ? 2 : 1
    // Shutting down: no lane starts a batch.
    expect(await drainDueTimers(deps, lanes, 2, { stopping: () => true })).toEqual({
      claimed: 0,
      fired: 0,
      more: false,
    })
    let wakes = 0
    // Bounded: 2 batches a lane of 2 timers leaves some due and says so.
    const first = await drainDueTimers(deps, lanes, 2, {
      onFired: () => {
        wakes += 1
      },
    })
    expect(first).toMatchObject({ claimed: lanes * 4, fired: lanes * 4, more: true })
    expect(wakes).toBe(lanes * 2)
    // Stopping once a batch fired: that lane's one batch, the rest left due.
    let firedBatches = 0
    const stopped = await drainDueTimers(deps, 1, 2, {
      onFired: () => {
        firedBatches += 1
      },
      stopping: () => firedBatches > 0,
    })
    expect(stopped).toEqual({ claimed: 2, fired: 2, more: false })
    let rest = await drainDueTimers(deps, lanes, 2)
    while (rest.more) {
      const next = await drainDueTimers(deps, lanes, 2)
      rest = { claimed: rest.claimed + next.claimed, fired: rest.fired + next.fired, more: next.more }
    }
    expect(first.fired + stopped.fired + rest.fired).toBe(11)
    expect(rest.claimed).toBe(11 - first.claimed - stopped.claimed)
    for (const r of runs) {
      expect(await runOf(r.runId)).toMatchObject({ status: 'done', revision: 2 })
      expect(await outbound(r.runId)).toHaveLength(1)
    }
    expect(await drainDueTimers(deps, lanes, 2)).toEqual({ claimed: 0, fired: 0, more: false })
  })

  it('drops a stale timer (revision mismatch) and counts it, firing the others', async () => {
    const { say, outbound, runOf, timersOf, sentTexts } = await setUp([reminderFlow('Ping')])
    const stale = await say('stale')
    const fresh = [await say('fresh-1'), await say('fresh-2')]
    await db
      .updateTable('timers')
      .set({ revision: sql`revision - 1` })
      .where('run_id', '=', stale.runId)
      .execute()
    t.clock.advance(HOUR)
    const droppedBefore = await metricValue(t.deps.metrics.timersDropped)
    const result = await fireDueTimers(t.deps)
    expect(result).toEqual({ claimed: 3, fired: 2, dropped: 1, deferred: 0 })
    expect(await metricValue(t.deps.metrics.timersDropped)).toBe(droppedBefore + 1)
    expect(await timersOf(stale.runId)).toEqual([])
    expect(await outbound(stale.runId)).toEqual([])
    expect(await runOf(stale.runId)).toMatchObject({ status: 'active', revision: 1 })
    for (const r of fresh) {
      expect(await runOf(r.runId)).toMatchObject({ status: 'done', revision: 2 })
      expect(await sentTexts(r.runId)).toEqual(['Ping'])
    }
  })

  it('drops the timer of a run that already ended', async () => {
    const { say, outbound, timersOf } = await setUp([reminderFlow('Ping')])
    const ended = await say('ended')
    await db
      .updateTable('runs')
      .set({ status: 'done', outcome: 'cancelled', waiting_for: null })
      .where('id', '=', ended.runId)
      .execute()
    t.clock.advance(HOUR)
    expect(await fireDueTimers(t.deps)).toEqual({ claimed: 1, fired: 0, dropped: 1, deferred: 0 })
    expect(await timersOf(ended.runId)).toEqual([])
    expect(await outbound(ended.runId)).toEqual([])
  })

  it('fires runs whose step escalates or looks an order up beside plain reminders in one poll', async () => {
    const escalating = await setUp([escalateFlow])
    const looking = await setUp([lookupFlow])
    const reminding = await setUp([reminderFlow('Plain')])
    const e = await escalating.say('escalates')
    const l = await looking.say('looks-up')
    const r = await reminding.say('reminded')
    t.clock.advance(HOUR)
    const { deps, recorder } = recordingDeps()
    const result = await fireDueTimers(deps)
    expect(result).toMatchObject({ claimed: 3, dropped: 0, deferred: 0 })
    // The lookup's answer is a second, chained step of the same firing; fired counts timers.
    expect(result.fired).toBe(3)
    // Every row, escalation and look-up answer included, went into the batch's one write statement.
    expect(recorder.count('messages')).toBe(0)

    const escalatedRun = await escalating.runOf(e.runId)
    expect(escalatedRun).toMatchObject({ status: 'active', waiting_for: 'handback' })
    // Only the escalation's unclaimed timeout (handoff/unclaimed-timeout.ts), written in the same statement.
    expect((await escalating.timersOf(e.runId)).map((timer) => timer.timer_id)).toEqual(['handoff.unclaimed'])
    const conversation = await db
      .selectFrom('conversations')
      .select(['status', 'queue'])
      .where('id', '=', e.conversationId as string)
      .executeTakeFirstOrThrow()
    expect(conversation).toEqual({ status: 'waiting', queue: 'support' })
    const notes = await escalating.outbound(e.runId)
    expect(notes.map((m) => [m.author, m.status])).toEqual(
      expect.arrayContaining([
        ['system', 'sent'],
        ['bot', 'queued'],
      ]),
    )
    // The step's own note first, then the queue's acknowledgement.
    expect(notes.filter((m) => m.author === 'bot').map((m) => (m.body as { text: string }).text)).toEqual([
      'A person will help you.',
      "I've asked the team — a person will reply here, usually within 30 minutes.",
    ])
    expect(await escalating.outboxOf(e.runId)).toHaveLength(2)

    expect(await looking.runOf(l.runId)).toMatchObject({ status: 'done', outcome: 'checked' })
    expect(await looking.timersOf(l.runId)).toEqual([])
    expect(await looking.sentTexts(l.runId)).toEqual(['No order yet.'])

    expect(await reminding.runOf(r.runId)).toMatchObject({ status: 'done', outcome: 'reminded' })
    expect(await reminding.sentTexts(r.runId)).toEqual(['Plain'])
  })

  it('ends a run whose step throws as failed, and fires the rest of the batch', async () => {
    const { say, outbound, runOf, timersOf, sentTexts } = await setUp([reminderFlow('Fine')])
    const broken = await say('broken')
    const fine = [await say('fine-1'), await say('fine-2')]
    await db
      .updateTable('runs')
      .set({ snapshot: sql`jsonb_set(snapshot, '{value}', '"no-such-node"')` })
      .where('id', '=', broken.runId)
      .execute()
    // An earlier test's escalation left its unclaimed timeout armed in this shared database: not ours to count.
    await db.deleteFrom('timers').where('timer_id', '=', 'handoff.unclaimed').execute()
    t.clock.advance(HOUR)
    const result = await fireDueTimers(t.deps)
    expect(result).toMatchObject({ claimed: 3, fired: 2 })
    const failed = await runOf(broken.runId)
    expect(failed).toMatchObject({ status: 'failed', waiting_for: null })
    expect(failed.error).toBeTruthy()
    expect(await timersOf(broken.runId)).toEqual([])
    expect(await outbound(broken.runId)).toEqual([])
    for (const r of fine) {
      expect(await runOf(r.runId)).toMatchObject({ status: 'done', outcome: 'reminded' })
      expect(await sentTexts(r.runId)).toEqual(['Fine'])
    }
    // Nothing is left to fire again.
    expect((await fireDueTimers(t.deps)).claimed).toBe(0)
  })

  it('re-arms a delay the step re-enters (same timer id) instead of losing it', async () => {
    const loopFlow = {
      version: 1,
      name: 'Ticker',
      nodes: [
        node('start', 'trigger-message', { match: 'any', keywords: [] }),
        node('wait', 'delay', { mode: 'duration', duration: { amount: 1, unit: 'hours' } }),
        node('tick', 'send-message', { text: 'Tick' }),
      ],
      edges: [edge('start', 'wait'), edge('wait', 'tick'), edge('tick', 'wait')],
    }
    const { say, outbound, runOf, timersOf } = await setUp([loopFlow])
    const runs = [await say('ticker-1'), await say('ticker-2')]
    const startedAt = t.clock.now()
    const [first] = await timersOf(runs[0]?.runId as string)
    for (let round = 1; round <= 3; round++) {
      t.clock.set(startedAt + round * HOUR)
      const { deps, recorder } = recordingDeps()
      expect(await fireDueTimers(deps)).toEqual(fired(2))
      expect(recorder.count('messages')).toBe(0)
      for (const r of runs) {
        const timers = await timersOf(r.runId)
        expect(timers).toHaveLength(1)
        expect(timers[0]?.timer_id).toBe(first?.timer_id)
        expect(timers[0]?.due_at.getTime()).toBe(startedAt + (round + 1) * HOUR)
        expect(timers[0]?.revision).toBe(round + 1)
        expect(await runOf(r.runId)).toMatchObject({ status: 'active', revision: round + 1 })
        expect(await outbound(r.runId)).toHaveLength(round)
      }
    }
    // End the tickers so their timers do not fire in later tests.
    await db
      .deleteFrom('timers')
      .where(
        'run_id',
        'in',
        runs.map((r) => r.runId),
      )
      .execute()
  })

  it('fires a run with two due timers, both in order', async () => {
    const { merchantId, say, runOf, timersOf, sentTexts } = await setUp([reminderFlow('Once')])
    const r = await say('two-timers')
    const [timer] = await timersOf(r.runId)
    if (!timer) throw new Error('setup')
    // A second due timer of the run, set at the same revision a little later (its event means nothing here).
    await db
      .insertInto('timers')
      .values({
        merchant_id: merchantId,
        run_id: r.runId,
        timer_id: 'zz-extra',
        due_at: new Date(timer.due_at.getTime() + 1000),
        revision: timer.revision,
        event: { type: 'nothing.happens' },
      })
      .execute()
    t.clock.advance(HOUR + 1000)
    const result = await fireDueTimers(t.deps)
    expect(result.claimed).toBe(2)
    // The first fires and ends the run; the second is then stale.
    expect(result).toMatchObject({ fired: 1, dropped: 1 })
    expect(await runOf(r.runId)).toMatchObject({ status: 'done', outcome: 'reminded' })
    expect(await timersOf(r.runId)).toEqual([])
    expect(await sentTexts(r.runId)).toEqual(['Once'])
  })

  it('applies the frequency cap across two runs of the same contact fired in one batch', async () => {
    const { merchantId, say, outbound, capMarketing } = await setUp([
      reminderFlow('Offer A', 'marketing'),
      reminderFlow('Offer B', 'marketing'),
    ])
    await capMarketing(1)
    // Two messages from one shopper start both flows (the second flow starts when the first is running).
    const first = await say('capped')
    t.clock.advance(1000)
    const second = await say('capped', 'hi again')
    expect(second.runId).not.toBe(first.runId)
    expect(second.conversationId).toBe(first.conversationId)
    await db
      .updateTable('contacts')
      .set({ marketing_consent: true, marketing_consent_at: new Date(t.clock.now()) })
      .where('merchant_id', '=', merchantId)
      .execute()
    t.clock.advance(HOUR)
    const { deps, recorder } = recordingDeps()
    expect(await fireDueTimers(deps)).toEqual(fired(2))
    expect(recorder.count('messages')).toBe(0)
    const firstSends = await outbound(first.runId)
    const secondSends = await outbound(second.runId)
    // The earlier timer fires first and takes the one send the cap allows.
    expect(firstSends).toMatchObject([{ status: 'queued', skip_reason: null, is_marketing: true }])
    expect(secondSends).toMatchObject([
      { status: 'skipped', skip_reason: 'frequency_cap', is_marketing: true },
    ])
    const outbox = await db
      .selectFrom('outbox')
      .select('run_id')
      .where('merchant_id', '=', merchantId)
      .execute()
    expect(outbox).toEqual([{ run_id: first.runId }])
  })

  it('counts marketing sends already in the window towards the cap of a batch', async () => {
    const { merchantId, say, outbound, capMarketing } = await setUp([reminderFlow('Offer', 'marketing')])
    await capMarketing(1)
    const capped = await say('already-got-one')
    const free = await say('none-yet')
    await db
      .updateTable('contacts')
      .set({ marketing_consent: true })
      .where('merchant_id', '=', merchantId)
      .execute()
    // An earlier marketing message to the first shopper, inside the window.
    await db
      .insertInto('messages')
      .values({
        merchant_id: merchantId,
        conversation_id: capped.conversationId as string,
        contact_id: capped.contactId as string,
        direction: 'out',
        author: 'bot',
        body: { text: 'Earlier offer' },
        status: 'sent',
        is_marketing: true,
        created_at: new Date(t.clock.now()),
        updated_at: new Date(t.clock.now()),
      })
      .execute()
    t.clock.advance(HOUR)
    await fireDueTimers(t.deps)
    expect(await outbound(capped.runId)).toMatchObject([{ status: 'skipped', skip_reason: 'frequency_cap' }])
    expect(await outbound(free.runId)).toMatchObject([{ status: 'queued', skip_reason: null }])
  })

  it('defers a marketing send fired in quiet hours to their end; a service send goes now', async () => {
    const marketing = await setUp([reminderFlow('Sale', 'marketing')])
    const service = await setUp([reminderFlow('Your parcel', 'service')])
    const fireAt = t.clock.now() + HOUR
    const minuteOfDay = Math.floor((fireAt % (24 * HOUR)) / MINUTE)
    // Quiet from an hour before the firing until two hours after it (UTC shoppers, the merchant's zone).
    const quiet = {
      timezone: 'UTC',
      quiet_hours_start_minute: (minuteOfDay - 60 + 1440) % 1440,
      quiet_hours_end_minute: (minuteOfDay + 120) % 1440,
    }
    await db
      .updateTable('merchants')
      .set(quiet)
      .where('id', 'in', [marketing.merchantId, service.merchantId])
      .execute()
    const m = await marketing.say('night-owl')
    const s = await service.say('night-owl-2')
    await db
      .updateTable('contacts')
      .set({ marketing_consent: true })
      .where('merchant_id', 'in', [marketing.merchantId, service.merchantId])
      .execute()
    t.clock.set(fireAt)
    const { deps, recorder } = recordingDeps()
    expect(await fireDueTimers(deps)).toMatchObject({ claimed: 2, fired: 2 })
    expect(recorder.count('messages')).toBe(0)
    const deferred = await marketing.outboxOf(m.runId)
    expect(deferred).toHaveLength(1)
    expect(deferred[0]?.next_attempt_at.getTime()).toBe(fireAt - (fireAt % MINUTE) + 2 * HOUR)
    expect(await marketing.outbound(m.runId)).toMatchObject([{ status: 'queued', is_marketing: true }])
    const now = await service.outboxOf(s.runId)
    expect(now[0]?.next_attempt_at.getTime()).toBe(fireAt)
  })
})
