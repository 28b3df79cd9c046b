// Everything that comes due with time, run to a fixed point: carts to abandon, timers to fire (which may
// set timers already due after a big clock jump), then the outbox and the HTTP-request jobs. The dev clock
// runs it right after an advance; the background loops run the same pieces on their own intervals.

import { abandonDueCarts } from '../commerce/cart-abandonment.ts'
import { runDueHttpJobs } from '../delivery/http-lane.ts'
import { relayOutbox } from '../delivery/outbox-relay.ts'
import type { RuntimeDeps } from '../deps.ts'
import { stepDueBursts } from './burst-poller.ts'
import { fireDueTimers } from './timer-poller.ts'

export interface DueWorkResult {
  cartsAbandoned: number
  timersFired: number
  timersDropped: number
  messagesSent: number
}

/** Bounded so a flow that keeps re-arming zero-length timers cannot spin forever. */
const MAX_ROUNDS = 1000

export async function runDueWork(deps: RuntimeDeps): Promise<DueWorkResult> {
  const total: DueWorkResult = { cartsAbandoned: 0, timersFired: 0, timersDropped: 0, messagesSent: 0 }
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const carts = await abandonDueCarts(deps)
    const timers = await fireDueTimers(deps)
    // Bursts whose quiet window has passed (engine/burst-poller.ts).
    const bursts = await stepDueBursts(deps)
    total.cartsAbandoned += carts.abandoned
    total.timersFired += timers.fired
    total.timersDropped += timers.dropped
    if (carts.abandoned === 0 && timers.claimed === 0 && bursts.claimed === 0) break
  }
  // HTTP-request jobs run to their answers here (the clock's caller waits for a fixed point); an answer steps
  // its run, which may queue sends: those are relayed in the next round.
  for (let round = 0; round < MAX_ROUNDS; round++) {
    for (let batch = 0; batch < MAX_ROUNDS; batch++) {
      const relayed = await relayOutbox(deps)
      total.messagesSent += relayed.sent
      if (relayed.claimed === 0 && !relayed.more) break
    }
    if ((await runDueHttpJobs(deps)) === 0) break
  }
  return total
}
