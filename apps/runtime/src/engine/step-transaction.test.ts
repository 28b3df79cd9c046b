// What a step publishes after commit: each changed row once, in the order the step changed them, in one call.
import { describe, expect, it } from 'vitest'
import type { RuntimeDeps } from '../deps.ts'
import { createLogger } from '../observability/logger.ts'
import { createRuntimeMetrics } from '../observability/metrics.ts'
import { InProcessRealtime, type RealtimeEvent } from '../realtime/realtime.ts'
import { ManualClock } from '../time/clock.ts'
import { afterCommit, newStepContext } from './step-transaction.ts'

class CountingRealtime extends InProcessRealtime {
  calls: RealtimeEvent[][] = []
  override async publishMany(events: readonly RealtimeEvent[]): Promise<void> {
    this.calls.push([...events])
    if (events.some((event) => event.id === 'boom')) throw new Error('connection lost')
  }
}

function depsWith(realtime: InProcessRealtime): RuntimeDeps {
  return {
    clock: new ManualClock(),
    logger: createLogger('silent'),
    metrics: createRuntimeMetrics(),
    realtime,
  } as Partial<RuntimeDeps> as RuntimeDeps
}

const message = (id: string): RealtimeEvent => ({ merchantId: 'm', conversationId: 'c', kind: 'message', id })

describe('afterCommit', () => {
  it('publishes the step’s notifications once each, in order, in one call', async () => {
    const realtime = new CountingRealtime()
    const ctx = newStepContext(depsWith(realtime))
    const conversation: RealtimeEvent = {
      merchantId: 'm',
      conversationId: 'c',
      kind: 'conversation',
      id: 'c',
    }
    ctx.notifications.push(message('a'), conversation, message('b'), message('a'), conversation)
    await afterCommit(ctx)
    expect(realtime.calls).toEqual([[message('a'), conversation, message('b')]])
  })

  it('publishes only what no write carried, skipping changes a write already announced', async () => {
    const realtime = new CountingRealtime()
    const ctx = newStepContext(depsWith(realtime))
    ctx.notifications.push(message('a'), message('b'))
    // A write carried these two as NOTIFYs (engine/step-batch.ts flush); the step went on changing rows.
    ctx.notificationsCarried = 2
    ctx.notifications.push(message('b'), message('c'), message('c'))
    await afterCommit(ctx)
    expect(realtime.calls).toEqual([[message('c')]])
  })

  it('publishes nothing when the step changed nothing, and survives a failed publish', async () => {
    const realtime = new CountingRealtime()
    const deps = depsWith(realtime)
    await afterCommit(newStepContext(deps))
    expect(realtime.calls).toEqual([])
    const ctx = newStepContext(deps)
    ctx.notifications.push(message('boom'))
    await expect(afterCommit(ctx)).resolves.toBeUndefined()
  })
})
