// The timer poller: exact firing times across lateness, runs pinned to the version they started on. (Stale
// revisions dropped: timer-poller-batch.test.ts, which also counts them.)
import type { Database } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { node } from '@parley/flow/test-support'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  engineReads,
  publishFlowDocument,
  RecordingAdapter,
  seedShop,
  textOf,
} from '../testing/engine-fixtures.ts'
import { createTestDeps, type TestDeps } from '../testing/test-deps.ts'
import { processInboundMessage } from './inbound.ts'
import { fireDueTimers } from './timer-poller.ts'

const HOUR = 3_600_000
const edge = (source: string, target: string, sourceHandle = 'next') => ({
  id: `${source}-${target}`,
  source,
  sourceHandle,
  target,
})

/** Message → 1 h → "<label> one" → 1 h → "<label> two" → end. */
function twoStepFlow(label: string) {
  return {
    version: 1,
    name: `Two steps ${label}`,
    nodes: [
      node('start', 'trigger-message', { match: 'any', keywords: [] }),
      node('wait1', 'delay', { mode: 'duration', duration: { amount: 1, unit: 'hours' } }),
      node('one', 'send-message', { text: `${label} one` }),
      node('wait2', 'delay', { mode: 'duration', duration: { amount: 1, unit: 'hours' } }),
      node('two', 'send-message', { text: `${label} two` }),
      node('done', 'end', { outcome: 'finished' }),
    ],
    edges: [
      edge('start', 'wait1'),
      edge('wait1', 'one'),
      edge('one', 'wait2'),
      edge('wait2', 'two'),
      edge('two', 'done'),
    ],
  }
}

describe.each(testDatabases())('timer poller on %s', (kind) => {
  let t: TestDeps
  let db: Kysely<Database>
  beforeAll(async () => {
    t = await createTestDeps(kind, { channels: { webchat: new RecordingAdapter() } })
    db = t.deps.db
  })
  afterAll(() => t.close())
  const { runOf, timersOf } = engineReads(() => db)

  async function startRun(flow = twoStepFlow('v1')) {
    const { merchantId, published, message } = await seedShop(db, { flows: [flow] })
    const say = (visitor: string) => processInboundMessage(t.deps, message(visitor, 'hi'))
    const started = await say('visitor-a')
    const runId = started.runIds[0]!
    const texts = async (id = runId) =>
      (
        await db
          .selectFrom('messages')
          .select(['body', 'created_at'])
          .where('merchant_id', '=', merchantId)
          .where('run_id', '=', id)
          .orderBy('created_at')
          .orderBy('seq')
          .execute()
      ).map(textOf)
    return { merchantId, published: published[0]!, runId, texts, say }
  }

  /** Fires everything due now (other suites' merchants included). */
  async function fireAll() {
    let total = { fired: 0, dropped: 0 }
    for (;;) {
      const r = await fireDueTimers(t.deps)
      total = { fired: total.fired + r.fired, dropped: total.dropped + r.dropped }
      if (r.claimed === 0) return total
    }
  }

  it('fires each timer once, keeping the schedule exact even when the poller is late', async () => {
    const { runId, texts } = await startRun()
    const startedAt = t.clock.now()
    const [timer] = await timersOf(runId)
    expect(timer?.due_at.getTime()).toBe(startedAt + HOUR)

    t.clock.advance(HOUR - 1)
    await fireAll()
    expect(await texts()).toEqual([])
    // The poller was down for 20 minutes past the due time.
    t.clock.advance(20 * 60_000 + 1)
    await fireAll()
    expect(await texts()).toEqual(['v1 one'])
    expect(await fireAll()).toEqual({ fired: 0, dropped: 0 })
    const [next] = await timersOf(runId)
    // Due one hour after the first was due, not one hour after it fired late.
    expect(next?.due_at.getTime()).toBe(startedAt + 2 * HOUR)
    t.clock.advance(40 * 60_000)
    await fireAll()
    expect(await texts()).toEqual(['v1 one', 'v1 two'])
    expect(await runOf(runId)).toMatchObject({ status: 'done', outcome: 'finished' })
    expect(await timersOf(runId)).toEqual([])
  })

  it('keeps a run on the version it started on after a re-publish; new runs take the new version', async () => {
    const { runId, texts, published, merchantId, say } = await startRun()
    const v2 = await publishFlowDocument(db, merchantId, twoStepFlow('v2'), published.flowId)
    expect(v2.version).toBe(2)
    const newer = await say('visitor-b')
    t.clock.advance(2 * HOUR)
    await fireAll()
    expect(await texts()).toEqual(['v1 one', 'v1 two'])
    expect(await texts(newer.runIds[0]!)).toEqual(['v2 one', 'v2 two'])
    const runs = await db
      .selectFrom('runs')
      .select(['id', 'flow_version_id'])
      .where('merchant_id', '=', merchantId)
      .execute()
    expect(runs.find((r) => r.id === runId)?.flow_version_id).toBe(published.versionId)
    expect(runs.find((r) => r.id === newer.runIds[0])?.flow_version_id).toBe(v2.versionId)
  })
})
