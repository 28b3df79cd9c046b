// StepWrites, the write set of a step transaction: runs, timer cancels / re-stamps / sets at the new revision
// (a run stepped twice keeps its final state), all timers of an ended run gone, visits, transcript and outbox
// rows in the order added, conversations touched (a resolved one handed back to the bot, an escalated one queued).
import type { Database, Run } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { type FlowEventInput, type PersistedFlowSnapshot, type StepResult, step } from '@parley/flow'
import { edge, node } from '@parley/flow/test-support'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecordingAdapter, seedShop } from '../testing/engine-fixtures.ts'
import { createTestDeps, type TestDeps } from '../testing/test-deps.ts'
import { type LoadedFlowVersion, loadFlowVersion } from './flow-versions.ts'
import { processInboundMessage } from './inbound.ts'
import type { Db } from './step-transaction.ts'
import { type ConversationTouch, StepWrites } from './step-writes.ts'

const DAY = 86_400_000

/** Message → hello → wait (1 day timeout) → ack → wait (1 day timeout) → bye → end; a timeout ends it. */
const waitingFlow = {
  version: 1,
  name: 'Two waits with timeouts',
  nodes: [
    node('start', 'trigger-message', { match: 'any', keywords: [] }),
    node('hello', 'send-message', { text: 'Hello' }),
    node('wait1', 'wait-for-reply', { branches: [], timeout: { amount: 1, unit: 'days' } }),
    node('ack', 'send-message', { text: 'Got: {{reply}}' }),
    node('wait2', 'wait-for-reply', { branches: [], timeout: { amount: 1, unit: 'days' } }),
    node('bye', 'send-message', { text: 'Bye: {{reply}}' }),
    node('done', 'end', { outcome: 'finished' }),
    node('gave-up', 'end', { outcome: 'no_reply' }),
  ],
  edges: [
    edge('start', 'hello'),
    edge('hello', 'wait1'),
    edge('wait1', 'ack', 'anything'),
    edge('wait1', 'gave-up', 'timeout'),
    edge('ack', 'wait2'),
    edge('wait2', 'bye', 'anything'),
    edge('wait2', 'gave-up', 'timeout'),
    edge('bye', 'done'),
  ],
}

describe.each(testDatabases())('step writes on %s', (kind) => {
  let t: TestDeps
  let db: Kysely<Database>
  beforeAll(async () => {
    t = await createTestDeps(kind, { channels: { webchat: new RecordingAdapter() } })
    db = t.deps.db
  })
  afterAll(() => t.close())

  /** A merchant with the flow and `n` shoppers whose runs wait at wait1 (revision 1, a timeout timer). */
  async function startRuns(n: number) {
    const { merchantId, channel, message } = await seedShop(db, { flows: [waitingFlow] })
    const runs: Run[] = []
    for (let i = 0; i < n; i++) {
      const started = await processInboundMessage(t.deps, message(`shopper-${i}`, 'hi'))
      expect(started.route).toBe('flow')
      runs.push(await readRun(started.runIds[0]!))
    }
    return { merchantId, channel, runs }
  }

  const readRun = (id: string) =>
    db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const timersOf = (runId: string) =>
    db
      .selectFrom('timers')
      .select(['timer_id', 'due_at', 'revision', 'event', 'locked_until', 'locked_by'])
      .where('run_id', '=', runId)
      .orderBy('timer_id')
      .execute()
  /** A run's step rows in order (`seq`). */
  const stepVisitsOf = (runId: string) =>
    db
      .selectFrom('node_visits')
      .select(['node_ids', 'at', 'flow_version_id'])
      .where('run_id', '=', runId)
      .orderBy('seq')
      .execute()
  /** A run's visits one per node entered, in the order entered. */
  const visitsOf = async (runId: string) =>
    (await stepVisitsOf(runId)).flatMap((row) =>
      row.node_ids.map((node_id) => ({ node_id, at: row.at, flow_version_id: row.flow_version_id })),
    )

  async function stepInMemory(
    trx: Db,
    run: Run,
    event: FlowEventInput,
  ): Promise<{ version: LoadedFlowVersion; result: StepResult }> {
    const version = await loadFlowVersion(trx, t.deps.flowVersions, run.merchant_id, run.flow_version_id)
    const result = step(version.machine, run.snapshot as PersistedFlowSnapshot, event, { now: t.clock.now() })
    return { version, result }
  }

  /** Steps `run` with a reply `text` in a transaction of its own, writes it, and returns the saved run. */
  async function stepAndWrite(run: Run, text: string, now = t.clock.now()): Promise<Run> {
    return db.transaction().execute(async (trx) => {
      const { version, result } = await stepInMemory(trx, run, { type: 'message.received', text })
      const writes = new StepWrites()
      const saved = writes.saveRunStep(run, version, result, now)
      await writes.flush(trx)
      return saved
    })
  }

  /** A conversation touch at `now`: the shopper wrote, no reopening, no escalation, unless `touch` says otherwise. */
  const touchOf = (merchantId: string, id: string, now: Date, touch: Partial<ConversationTouch> = {}) => ({
    merchant_id: merchantId,
    id,
    last_inbound_at: now,
    last_message_at: now,
    updated_at: now,
    reopen: false,
    escalation: null,
    ...touch,
  })

  it('writes a step: run row, cancelled timeout, new timer at the new revision, visits', async () => {
    const { runs } = await startRuns(1)
    const run = runs[0] as Run
    const before = await timersOf(run.id)
    expect(before).toMatchObject([{ revision: 1 }])
    t.clock.advance(60_000)
    const now = t.clock.now()
    let stepped: StepResult | undefined
    await db.transaction().execute(async (trx) => {
      const { version, result } = await stepInMemory(trx, run, { type: 'message.received', text: 'blue' })
      stepped = result
      // The step cancels wait1's timeout and sets wait2's.
      expect(result.timers.cancel).toHaveLength(1)
      expect(result.timers.set).toHaveLength(1)
      const writes = new StepWrites()
      const returned = writes.saveRunStep(run, version, result, now)
      expect(returned).toMatchObject({ id: run.id, revision: 2, status: 'active', waiting_for: 'reply' })
      // Nothing is written before the flush.
      const stored = await trx
        .selectFrom('runs')
        .select('revision')
        .where('id', '=', run.id)
        .executeTakeFirst()
      expect(stored?.revision).toBe(1)
      await writes.flush(trx)
    })

    const stored = await readRun(run.id)
    expect(stored).toMatchObject({ revision: 2, status: 'active', waiting_for: 'reply', outcome: null })
    expect(stored.ended_at).toBeNull()
    expect(stored.updated_at.getTime()).toBe(now)
    expect(stored.snapshot).toEqual(JSON.parse(JSON.stringify(stepped?.snapshot)))
    const timers = await timersOf(run.id)
    expect(timers).toHaveLength(1)
    expect(timers[0]).toMatchObject({ revision: 2, locked_until: null, locked_by: null })
    expect(timers[0]?.timer_id).toBe(stepped?.timers.set[0]?.id)
    expect(timers[0]?.due_at.getTime()).toBe(now + DAY)
    expect(timers[0]?.timer_id).not.toBe(before[0]?.timer_id)
    const visits = await visitsOf(run.id)
    expect(visits.filter((v) => v.at.getTime() === now).map((v) => v.node_id)).toEqual(['ack', 'wait2'])
    expect(visits.every((v) => v.flow_version_id === run.flow_version_id)).toBe(true)
  })

  it('keeps the final state of a run stepped twice in one batch: last row, timers as cancel and set left them', async () => {
    const { runs } = await startRuns(1)
    const run = runs[0] as Run
    const [wait1Timer] = await timersOf(run.id)
    t.clock.advance(1000)
    const now = t.clock.now()
    await db.transaction().execute(async (trx) => {
      const writes = new StepWrites()
      const first = await stepInMemory(trx, run, { type: 'message.received', text: 'a' })
      const middle = writes.saveRunStep(run, first.version, first.result, now)
      // wait1's timeout is cancelled, wait2's set; the second step (to the end) leaves no timer at all.
      expect(writes.timerState(run.id, wait1Timer?.timer_id as string)).toBeNull()
      expect(writes.timerState(run.id, first.result.timers.set[0]?.id as string)).toMatchObject({
        revision: 2,
      })
      const second = await stepInMemory(trx, middle, { type: 'message.received', text: 'b' })
      writes.saveRunStep(middle, second.version, second.result, now)
      await writes.flush(trx)
    })
    expect(await readRun(run.id)).toMatchObject({ revision: 3, status: 'done', outcome: 'finished' })
    expect(await timersOf(run.id)).toEqual([])
    // One row per step, each with its nodes in the order entered.
    expect((await stepVisitsOf(run.id)).filter((v) => v.at.getTime() === now).map((v) => v.node_ids)).toEqual(
      [
        ['ack', 'wait2'],
        ['bye', 'done'],
      ],
    )
  })

  it('re-stamps a timer the step did not cancel, and deletes one named by deleteTimer', async () => {
    const { merchantId, runs } = await startRuns(1)
    const run = runs[0] as Run
    // Two extra pending timers of the run (say a reminder the machine still holds), at the old revision.
    await db
      .insertInto('timers')
      .values(
        ['pending-a', 'pending-b'].map((timerId) => ({
          merchant_id: merchantId,
          run_id: run.id,
          timer_id: timerId,
          due_at: new Date(t.clock.now() + 5 * DAY),
          revision: 1,
          event: { type: 'noop' },
        })),
      )
      .execute()
    t.clock.advance(1000)
    await db.transaction().execute(async (trx) => {
      const { version, result } = await stepInMemory(trx, run, { type: 'message.received', text: 'x' })
      const writes = new StepWrites()
      writes.deleteTimer(merchantId, run.id, 'pending-b')
      writes.saveRunStep(run, version, result, t.clock.now())
      await writes.flush(trx)
    })
    const timers = await timersOf(run.id)
    expect(timers.map((tm) => [tm.timer_id, tm.revision])).toEqual(
      expect.arrayContaining([
        ['pending-a', 2],
        [expect.stringContaining('wait2'), 2],
      ]),
    )
    expect(timers.map((tm) => tm.timer_id)).not.toContain('pending-b')
    expect(timers).toHaveLength(2)
  })

  it('a timer set before a later step of its run in the batch is written at the run final revision', async () => {
    const { merchantId, runs } = await startRuns(1)
    const run = runs[0] as Run
    const [timeout] = await timersOf(run.id)
    t.clock.advance(1000)
    const movedTo = new Date(t.clock.now() + 5000)
    await db.transaction().execute(async (trx) => {
      const writes = new StepWrites()
      // The timer poller moves wait1's timeout behind a held answer (timer-poller.ts) at the revision it read...
      writes.setTimer({
        merchant_id: merchantId,
        run_id: run.id,
        timer_id: timeout!.timer_id,
        due_at: movedTo,
        revision: run.revision,
        event: timeout!.event,
      })
      // ...then the run is stepped in the same batch by an event its wait ignores (a parallel branch's timer).
      const { version, result } = await stepInMemory(trx, run, {
        type: 'other.tick',
      } as unknown as FlowEventInput)
      expect(result.timers.cancel).toEqual([])
      expect(writes.saveRunStep(run, version, result, t.clock.now())).toMatchObject({ revision: 2 })
      await writes.flush(trx)
    })
    // Still pending in the machine, so valid at the run's revision: it fires instead of being dropped.
    expect(await timersOf(run.id)).toMatchObject([
      { timer_id: timeout!.timer_id, due_at: movedTo, revision: 2 },
    ])
  })

  it('deletes every timer of a run that ended', async () => {
    const { merchantId, runs } = await startRuns(1)
    let run = runs[0] as Run
    // Step to wait2 in a batch of its own, then add a stray timer.
    t.clock.advance(1000)
    run = await stepAndWrite(run, 'a')
    await db
      .insertInto('timers')
      .values({
        merchant_id: merchantId,
        run_id: run.id,
        timer_id: 'stray',
        due_at: new Date(t.clock.now() + DAY),
        revision: run.revision,
        event: { type: 'noop' },
      })
      .execute()
    expect(await timersOf(run.id)).toHaveLength(2)
    t.clock.advance(1000)
    const endedAt = t.clock.now()
    expect(await stepAndWrite(run, 'b', endedAt)).toMatchObject({ status: 'done' })
    expect(await timersOf(run.id)).toEqual([])
    const stored = await readRun(run.id)
    expect(stored).toMatchObject({ status: 'done', outcome: 'finished', waiting_for: null, revision: 3 })
    expect(stored.ended_at?.getTime()).toBe(endedAt)
    expect((await visitsOf(run.id)).filter((v) => v.at.getTime() === endedAt).map((v) => v.node_id)).toEqual([
      'bye',
      'done',
    ])
  })

  it('inserts transcript and outbox rows in the order added, and writes many runs in one flush', async () => {
    const { merchantId, channel, runs } = await startRuns(5)
    t.clock.advance(1000)
    const now = new Date(t.clock.now())
    const conversationOf = new Map<string, string>()
    for (const run of runs) conversationOf.set(run.id, run.conversation_id as string)
    const ids: string[] = []
    await db.transaction().execute(async (trx) => {
      const writes = new StepWrites()
      // Reverse id order on purpose: the batch sorts run updates by id, but rows keep the order added.
      for (const run of [...runs].reverse()) {
        const { version, result } = await stepInMemory(trx, run, { type: 'message.received', text: run.id })
        writes.saveRunStep(run, version, result, now.getTime())
        for (const text of ['first', 'second']) {
          const id = crypto.randomUUID()
          ids.push(id)
          writes.addMessage({
            merchant_id: merchantId,
            id,
            conversation_id: run.conversation_id as string,
            contact_id: run.contact_id,
            direction: 'out',
            author: 'bot',
            body: { text: `${text} ${run.id}` },
            status: 'queued',
            run_id: run.id,
            node_id: 'ack',
            created_at: now,
            updated_at: now,
          })
          writes.addOutbox({
            merchant_id: merchantId,
            run_id: run.id,
            message_id: id,
            conversation_id: run.conversation_id as string,
            channel_id: channel.id,
            payload: { kind: 'message', text },
            next_attempt_at: now,
            created_at: now,
            updated_at: now,
          })
        }
      }
      await writes.flush(trx)
    })
    const messages = await db
      .selectFrom('messages')
      .select(['id', 'seq', 'run_id'])
      .where('merchant_id', '=', merchantId)
      .where('created_at', '=', now)
      .orderBy('seq')
      .execute()
    expect(messages.map((m) => m.id)).toEqual(ids)
    const outbox = await db
      .selectFrom('outbox')
      .select(['message_id', 'status', 'next_attempt_at'])
      .where('merchant_id', '=', merchantId)
      .where('created_at', '=', now)
      .execute()
    expect(outbox.map((o) => o.message_id).sort()).toEqual([...ids].sort())
    expect(outbox.every((o) => o.status === 'pending')).toBe(true)
    for (const run of runs) {
      expect(await readRun(run.id)).toMatchObject({ revision: 2, status: 'active', waiting_for: 'reply' })
    }
  })

  it('touches conversations: opens the window, hands a resolved one back to the bot, keeps last_inbound_at when null, queues an escalated one', async () => {
    const { merchantId, runs } = await startRuns(4)
    const [resolved, keptResolved, plain, escalated] = runs.map((r) => r.conversation_id as string) as [
      string,
      string,
      string,
      string,
    ]
    const earlier = new Date(t.clock.now())
    await db
      .updateTable('conversations')
      .set({ status: 'resolved', resolved_at: earlier })
      .where('id', 'in', [resolved, keptResolved])
      .execute()
    t.clock.advance(5000)
    const now = new Date(t.clock.now())
    await db.transaction().execute(async (trx) => {
      const writes = new StepWrites()
      writes.touchConversation(touchOf(merchantId, resolved, now, { reopen: true }))
      writes.touchConversation(touchOf(merchantId, keptResolved, now, { last_inbound_at: null }))
      writes.touchConversation(touchOf(merchantId, plain, now))
      // The shopper wrote, then the run escalated: both touches merge into one row write.
      writes.touchConversation(touchOf(merchantId, escalated, now))
      writes.touchConversation(
        touchOf(merchantId, escalated, now, {
          last_inbound_at: null,
          escalation: { queue: 'sales', details: { summary: 'wants blue' } },
        }),
      )
      await writes.flush(trx)
    })
    const rows = await db
      .selectFrom('conversations')
      .select(['id', 'status', 'resolved_at', 'last_inbound_at', 'last_message_at', 'updated_at'])
      .where('id', 'in', [resolved, keptResolved, plain])
      .execute()
    const queued = await db
      .selectFrom('conversations')
      .select(['status', 'queue', 'escalation', 'escalated_at', 'last_inbound_at'])
      .where('id', '=', escalated)
      .executeTakeFirstOrThrow()
    expect(queued).toEqual({
      status: 'waiting',
      queue: 'sales',
      escalation: { summary: 'wants blue' },
      escalated_at: now,
      last_inbound_at: now,
    })
    const byId = new Map(rows.map((r) => [r.id, r]))
    expect(byId.get(resolved)).toMatchObject({
      status: 'bot',
      resolved_at: null,
      last_inbound_at: now,
      last_message_at: now,
      updated_at: now,
    })
    expect(byId.get(keptResolved)).toMatchObject({
      status: 'resolved',
      resolved_at: earlier,
      // The first message set it; a null touch keeps it.
      last_inbound_at: earlier,
      last_message_at: now,
    })
    expect(byId.get(plain)).toMatchObject({ status: 'bot', resolved_at: null, last_inbound_at: now })
  })

  it('locks the touched conversations in the write unless lockConversations holds them all already; the rows the same', async () => {
    const { merchantId, runs } = await startRuns(3)
    const [lockedFirst, lockedLater, unlocked] = runs.map((r) => r.conversation_id as string) as [
      string,
      string,
      string,
    ]
    t.clock.advance(5000)
    const now = new Date(t.clock.now())
    const touch = (id: string) => touchOf(merchantId, id, now)
    /** A sql`` template's text, nested templates written out and values as `?`. */
    const textOf = (node: {
      kind: string
      sqlFragments?: readonly string[]
      parameters?: readonly unknown[]
    }): string =>
      node.kind !== 'RawNode'
        ? '?'
        : (node.sqlFragments ?? [])
            .map((fragment, i) => {
              const parameter = node.parameters?.[i] as Parameters<typeof textOf>[0] | undefined
              return fragment + (parameter ? textOf(parameter) : '')
            })
            .join('')
    /** The text of every statement run through `trx`. */
    const recording = (trx: Db, texts: string[]) =>
      trx.withPlugin({
        transformQuery: ({ node }) => {
          texts.push(textOf(node))
          return node
        },
        transformResult: async ({ result }) => result,
      })
    const flushes: string[][] = []
    await db.transaction().execute(async (trx) => {
      // All held: a statement of their own locked them (and one more), the write does not again.
      const writes = new StepWrites()
      writes.touchConversation(touch(lockedFirst))
      await writes.lockConversations(trx, [{ merchant_id: merchantId, id: lockedLater }])
      writes.touchConversation(touch(lockedLater))
      const texts: string[] = []
      await writes.flush(recording(trx, texts))
      flushes.push(texts)
      // One not held: the write locks them all, in id order.
      writes.touchConversation(touch(lockedFirst))
      writes.touchConversation(touch(unlocked))
      const again: string[] = []
      await writes.flush(recording(trx, again))
      flushes.push(again)
    })
    expect(flushes.map((texts) => texts.length)).toEqual([1, 1])
    expect(flushes[0]?.[0]).toContain('update conversations')
    expect(flushes[0]?.[0]).not.toContain('conversations_locked')
    expect(flushes[1]?.[0]).toContain('conversations_locked as materialized')
    const rows = await db
      .selectFrom('conversations')
      .select(['id', 'last_inbound_at', 'last_message_at', 'updated_at'])
      .where('id', 'in', [lockedFirst, lockedLater, unlocked])
      .execute()
    expect(rows).toHaveLength(3)
    for (const row of rows)
      expect(row).toMatchObject({ last_inbound_at: now, last_message_at: now, updated_at: now })
  })

  it('flushes nothing when empty, and a second flush does not write the rows again', async () => {
    const { merchantId, runs } = await startRuns(1)
    const run = runs[0] as Run
    t.clock.advance(1000)
    const now = new Date(t.clock.now())
    await db.transaction().execute(async (trx) => {
      await new StepWrites().flush(trx)
      const writes = new StepWrites()
      const { version, result } = await stepInMemory(trx, run, { type: 'message.received', text: 'once' })
      writes.saveRunStep(run, version, result, now.getTime())
      writes.addMessage({
        merchant_id: merchantId,
        id: crypto.randomUUID(),
        conversation_id: run.conversation_id as string,
        contact_id: run.contact_id,
        direction: 'in',
        author: 'shopper',
        body: { text: 'once' },
        status: 'delivered',
        created_at: now,
        updated_at: now,
      })
      await writes.flush(trx)
      await writes.flush(trx)
    })
    const inbound = await db
      .selectFrom('messages')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('created_at', '=', now)
      .execute()
    expect(inbound).toHaveLength(1)
    expect((await stepVisitsOf(run.id)).filter((v) => v.at.getTime() === now.getTime())).toHaveLength(1)
    expect((await visitsOf(run.id)).filter((v) => v.at.getTime() === now.getTime())).toHaveLength(2)
    expect((await readRun(run.id)).revision).toBe(2)
  })
})
