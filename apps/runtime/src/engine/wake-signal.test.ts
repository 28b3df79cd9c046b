// A send queued by a committed step is relayed at once through the wake signal, not at the next poll: with a
// poll interval of ten minutes, the send still goes out.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import { queueSend } from '../effects/send.ts'
import { RecordingAdapter, seedChannel } from '../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { openConversation, upsertContactByIdentity } from './contacts.ts'
import { type BackgroundLoops, startBackgroundLoops } from './loops.ts'
import { inStepTransaction } from './step-transaction.ts'
import { WakeSignal } from './wake-signal.ts'

describe.each(testDatabases())('waking the relay on commit on %s', (kind) => {
  let t: TestDeps
  let loops: BackgroundLoops
  const webchat = new RecordingAdapter('webchat')
  let ticks = 0

  beforeAll(async () => {
    t = await createTestDeps(kind, {
      channels: { webchat },
      relayWake: new WakeSignal(),
      config: loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        OUTBOX_POLL_INTERVAL_MS: String(10 * 60_000),
        TIMER_POLL_INTERVAL_MS: String(10 * 60_000),
      }),
    })
    t.deps.relayWake?.subscribe(() => {
      ticks += 1
    })
    loops = startBackgroundLoops(t.deps)
  })
  afterAll(async () => {
    await loops?.stop()
    await t?.close()
  })

  it('relays a send queued after the loops went idle', async () => {
    const { merchantId } = await seedMerchant(t.deps.db)
    const channel = await seedChannel(t.deps.db, merchantId, 'webchat')
    // Let the loops' first ticks pass: from here on, only a wake runs the relay before ten minutes.
    await new Promise((resolve) => setTimeout(resolve, 500))
    const { messageId } = await inStepTransaction(t.deps, async (trx, ctx) => {
      const contact = await upsertContactByIdentity(trx, merchantId, channel.id, 'visitor-wake', {}, ctx.now)
      const conversation = await openConversation(trx, merchantId, contact.id, channel.id, ctx.now)
      const outcome = await queueSend(trx, ctx, {
        merchantId,
        conversationId: conversation.id,
        runId: null,
        nodeId: null,
        message: { text: 'woken' },
        purpose: 'transactional',
        exemption: 'none',
      })
      if (outcome.status !== 'queued') throw new Error('not queued')
      return outcome
    })
    expect(ticks).toBe(1)
    const deadline = Date.now() + 60_000
    while (!webchat.sends.some((s) => s.payload.messageId === messageId)) {
      if (Date.now() > deadline) throw new Error('the send was not relayed')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  })
})
