// The background loops a runtime process runs: the timer poller (with the cart-abandonment sweep) and the
// outbox relay, each on its interval, draining full batches back to back. stop() lets the batch in flight
// finish (its transaction commits or rolls back whole) and resolves when both loops are idle.
import type { RuntimeDeps } from '../deps.ts'
import { abandonDueCarts } from './cart-abandonment.ts'
import { syncClockOffset } from './clock-offset.ts'
import { countPendingOutbox, relayOutbox } from './outbox-relay.ts'
import { countDueTimers, fireDueTimers } from './timer-poller.ts'

/** How stale the database gauges on /metrics may be. */
export const METRICS_REFRESH_MS = 10_000

export interface BackgroundLoops {
  /** Runs the loops now instead of at their next tick (e.g. after a step queued a send). */
  wake(): void
  stop(): Promise<void>
}

interface Loop {
  wake(): void
  stop(): Promise<void>
}

function startLoop(name: string, intervalMs: number, deps: RuntimeDeps, tick: () => Promise<boolean>): Loop {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let wakeRequested = false

  const run = async () => {
    timer = undefined
    if (stopped) return
    let more = true
    try {
      // A full batch means more is due: go again at once, but yield to I/O between batches.
      while (more && !stopped) {
        wakeRequested = false
        more = (await tick()) || wakeRequested
      }
    } catch (error) {
      deps.logger.error(`${name} failed`, { error })
    }
    running = undefined
    if (!stopped) timer = setTimeout(launch, intervalMs)
  }
  const launch = () => {
    if (running) {
      wakeRequested = true
      return
    }
    if (timer) clearTimeout(timer)
    running = run()
  }
  timer = setTimeout(launch, 0)
  return {
    wake: launch,
    stop: async () => {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}

/**
 * @example const loops = startBackgroundLoops(deps); process.on('SIGTERM', () => loops.stop())
 */
export function startBackgroundLoops(deps: RuntimeDeps): BackgroundLoops {
  const { config, metrics } = deps
  // Two count queries, so at most once per METRICS_REFRESH_MS whatever the scrape rate.
  metrics.registry.collect(
    async () => {
      metrics.timersDue.set(await countDueTimers(deps.db, deps.clock.now()))
      metrics.outboxPending.set(await countPendingOutbox(deps.db))
    },
    { minIntervalMs: METRICS_REFRESH_MS, now: () => deps.clock.now() },
  )
  let outbox: Loop | undefined
  const timers = startLoop('timer poller', config.TIMER_POLL_INTERVAL_MS, deps, async () => {
    await syncClockOffset(deps.db, deps.clock)
    const carts = await abandonDueCarts(deps)
    // Batches side by side (each its own transaction; SKIP LOCKED keeps their claims apart, as between
    // replicas) overlap one batch's round trips with another's work. PGlite has one connection: one batch.
    const batches = await Promise.all(
      Array.from({ length: deps.dbKind === 'postgres' ? config.TIMER_BATCHES_IN_FLIGHT : 1 }, () =>
        fireDueTimers(deps),
      ),
    )
    if (batches.some((b) => b.fired > 0) || carts.runsStarted > 0) outbox?.wake()
    return (
      carts.abandoned === config.TIMER_BATCH_SIZE ||
      batches.some((b) => b.claimed === config.TIMER_BATCH_SIZE)
    )
  })
  outbox = startLoop('outbox relay', config.OUTBOX_POLL_INTERVAL_MS, deps, async () => {
    const relayed = await relayOutbox(deps)
    return relayed.claimed === config.OUTBOX_BATCH_SIZE
  })
  return {
    wake: () => {
      timers.wake()
      outbox?.wake()
    },
    stop: async () => {
      await Promise.all([timers.stop(), outbox?.stop()])
    },
  }
}
