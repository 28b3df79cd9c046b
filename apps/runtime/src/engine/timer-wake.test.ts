// The timer poller sleeps until the next due timer rather than a whole poll interval (issue 9, due →
// delivered): with a ten-minute interval, a timer due two seconds after the loops went idle still fires at its
// due time (not before it), and its send is relayed at once through the wake signal.
import { testDatabases } from '@parley/db/testing'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import { WakeSignal } from '../delivery/wake-signal.ts'
import { RecordingAdapter, reminderFlow, seedShop } from '../testing/engine-fixtures.ts'
import { createTestDeps, type TestDeps } from '../testing/test-deps.ts'
import { systemClock } from '../time/clock.ts'
import { processInboundMessage } from './inbound.ts'
import { type BackgroundLoops, startBackgroundLoops } from './loops.ts'
import { nextTimerDueAt } from './timer-poller.ts'

const _edge = (source: string, target: string) => ({
  id: `${source}-${target}`,
  source,
  sourceHandle: 'next',
  target,
})

describe.each(testDatabases())('timer poller woken at the next due time on %s', (kind) => {
  let t: TestDeps
  let loops: BackgroundLoops | undefined
  const webchat = new RecordingAdapter('webchat')
  const sentAt = new Map<string, number>()

  beforeAll(async () => {
    t = await createTestDeps(kind, {
      channels: { webchat },
      clock: systemClock,
      relayWake: new WakeSignal(),
      config: loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        OUTBOX_POLL_INTERVAL_MS: String(10 * 60_000),
        TIMER_POLL_INTERVAL_MS: String(10 * 60_000),
      }),
    })
    const send = webchat.send.bind(webchat)
    webchat.send = async (channel, payload) => {
      sentAt.set(String(payload.message.text), Date.now())
      return send(channel, payload)
    }
  }, 120_000)
  afterAll(async () => {
    await loops?.stop()
    await t?.close()
  })

  it('fires a timer due after the loops went idle at its due time, not a poll interval later', async () => {
    const { db } = t.deps
    const { merchantId, message } = await seedShop(db, { flows: [reminderFlow('still there?')] })
    const started = await processInboundMessage(t.deps, message('visitor', 'hi'))
    expect(started.route).toBe('flow')
    const inAnHour = await nextTimerDueAt(db)
    expect(inAnHour).toBeGreaterThan(Date.now() + 50 * 60_000)

    loops = startBackgroundLoops(t.deps)
    // Let the first ticks pass: from here on, only a due time (or a wake) runs the poller before ten minutes.
    await new Promise((resolve) => setTimeout(resolve, 500))
    // The timer now comes due in 2 s; one look (a wake, as a step of this process gives) finds nothing due,
    // and from then on only the next-due sleep can fire it before the ten-minute interval.
    const dueAt = Date.now() + 2000
    await sql`update timers set due_at = ${new Date(dueAt)} where merchant_id = ${merchantId}`.execute(db)
    loops.wake()
    const deadline = Date.now() + 60_000
    while (!sentAt.has('still there?')) {
      if (Date.now() > deadline) throw new Error('the timer did not fire')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(sentAt.get('still there?')).toBeGreaterThanOrEqual(dueAt)
    expect(await nextTimerDueAt(db)).toBeNull()
  }, 120_000)
})
