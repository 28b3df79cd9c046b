// The background loops a runtime process runs: the timer poller (with the cart-abandonment sweep), the outbox
// relay (message sends), the HTTP-request lane, the burst poller and the receipt purge, each on its interval,
// draining full batches back to back. The relay also wakes when a paced channel may send again, the lane when a
// request ends and frees room. stop() lets the batch in flight finish (its transaction commits or rolls back
// whole), waits for the HTTP requests under way (each ends within its timeout) and resolves when every loop is idle.

import { abandonDueCarts } from '../commerce/cart-abandonment.ts'
import { HttpLane } from '../delivery/http-lane.ts'
import { pruneIdleBuckets } from '../delivery/outbox-claim.ts'
import { countPendingOutbox, relayOutbox } from '../delivery/outbox-relay.ts'
import type { RuntimeDeps } from '../deps.ts'
import { purgeReceipts, RECEIPT_PURGE_CHUNK, receiptCutoff } from '../maintenance/receipt-retention.ts'
import { syncClockOffset } from '../time/clock-offset.ts'
import { pollBursts } from './burst-poller.ts'
import { countDueTimers, drainDueTimers, nextTimerDueAt } from './timer-poller.ts'

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

const PRUNE_INTERVAL_MS = 60_000
/** How often receipts past their retention are purged (and at start). */
const RECEIPT_PURGE_INTERVAL_MS = 600_000
/**
 * How often the relay looks for leases that ran out (a process died mid-send). A lease lasts
 * OUTBOX_LEASE_SECONDS, so a second more changes nothing, while doing it every batch cost two statements a batch
 * (woken on every commit, a busy relay runs many small batches).
 */
const LEASE_SETTLE_INTERVAL_MS = 1_000
/** Batches a timer lane fires back to back in one tick before the loop checks stop() and sweeps carts again. */
const TIMER_BATCHES_PER_LANE = 8

/** What a tick found: `more` to go again at once; else `nextInMs` to come back sooner than the interval. */
export interface Tick {
  more: boolean
  nextInMs?: number | null
}

function startLoop(name: string, intervalMs: number, deps: RuntimeDeps, tick: () => Promise<Tick>): Loop {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let wakeRequested = false

  const run = async () => {
    timer = undefined
    if (stopped) return
    let more = true
    let delay = intervalMs
    try {
      // A full batch means more is due: go again at once, but yield to I/O between batches.
      while (more && !stopped) {
        wakeRequested = false
        const ticked = await tick()
        more = ticked.more || wakeRequested
        delay = Math.max(0, Math.min(intervalMs, ticked.nextInMs ?? intervalMs))
      }
    } catch (error) {
      deps.logger.error(`${name} failed`, { error })
    }
    running = undefined
    if (!stopped) timer = setTimeout(launch, delay)
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
 * When the timer poller looks again after a drain that left nothing waiting behind a full batch: at the next due
 * time when that is sooner than the interval, or at once for a timer that came due while the drain ran (after the
 * claims looked: the drain began before it was due). A timer due before the drain began that the drain did not
 * claim is held by a step or replica elsewhere: back at the interval, not in a spin. Going by "this drain claimed
 * nothing" instead sent a timer that came due just after an empty claim to the back of the interval, 250 ms late:
 * ~1 % of the due → delivered bench's firings (BENCHMARKS.md, session 11).
 */
export function timerTickAfterDrain(drain: {
  nextDue: number | null
  now: number
  drainStartedAt: number
  claimed: number
}): Tick {
  if (drain.nextDue === null) return { more: false }
  const nextInMs = drain.nextDue - drain.now
  if (nextInMs > 0) return { more: false, nextInMs }
  return { more: drain.claimed > 0 || drain.nextDue > drain.drainStartedAt }
}

/**
 * @example const loops = startBackgroundLoops(deps); process.on('SIGTERM', () => loops.stop())
 */
export function startBackgroundLoops(deps: RuntimeDeps): BackgroundLoops {
  const { config, metrics } = deps
  // Two count queries, so at most once per METRICS_REFRESH_MS whatever the scrape rate.
  metrics.collect(
    async () => {
      metrics.timersDue.set(await countDueTimers(deps.db, deps.clock.now()))
      metrics.outboxPending.set(await countPendingOutbox(deps.db))
    },
    { minIntervalMs: METRICS_REFRESH_MS, now: () => deps.clock.now() },
  )
  let outbox: Loop | undefined
  /** Set by stop(): a timer lane starts no further batch (the one in flight commits or rolls back whole). */
  let stopping = false
  const timers = startLoop('timer poller', config.TIMER_POLL_INTERVAL_MS, deps, async () => {
    await syncClockOffset(deps.db, deps.clock)
    const carts = await abandonDueCarts(deps)
    const drainStartedAt = deps.clock.now()
    // Lanes of batches side by side, each claiming again as soon as its own batch committed (timer-poller.ts);
    // PGlite has one connection: one lane. Bounded, so stop() and the cart sweep come round between drains.
    const lanes = deps.dbKind === 'postgres' ? config.TIMER_BATCHES_IN_FLIGHT : 1
    const wakeSenders = () => {
      outbox?.wake()
      http?.wake()
    }
    const drained = await drainDueTimers(deps, lanes, TIMER_BATCHES_PER_LANE, {
      onFired: wakeSenders,
      stopping: () => stopping,
    })
    if (carts.runsStarted > 0) wakeSenders()
    if (carts.abandoned === config.TIMER_BATCH_SIZE || drained.more) return { more: true }
    const nextDue = await nextTimerDueAt(deps.db)
    return timerTickAfterDrain({ nextDue, now: deps.clock.now(), drainStartedAt, claimed: drained.claimed })
  })
  let prunedAt = 0
  let settledAt = 0
  outbox = startLoop('outbox relay', config.OUTBOX_POLL_INTERVAL_MS, deps, async () => {
    // A Telegram chat's bucket outlives its burst by seconds: swept once a minute so the table stays small.
    if (Date.now() - prunedAt > PRUNE_INTERVAL_MS) {
      prunedAt = Date.now()
      await pruneIdleBuckets(deps.db, deps.clock.now())
    }
    const settleLeases = Date.now() - settledAt >= LEASE_SETTLE_INTERVAL_MS
    if (settleLeases) settledAt = Date.now()
    const relayed = await relayOutbox(deps, config.OUTBOX_BATCH_SIZE, { settleLeases })
    return {
      more: relayed.more,
      nextInMs: relayed.wakeAt === null ? null : relayed.wakeAt - deps.clock.now(),
    }
  })
  // A request that ends frees room for the next; its answer stepped a run, which may have queued sends.
  const lane = new HttpLane(deps, () => {
    http?.wake()
    outbox?.wake()
  })
  const http: Loop = startLoop('http-request lane', config.OUTBOX_POLL_INTERVAL_MS, deps, () =>
    lane.dispatch(),
  )
  // Bursts of quick messages whose quiet window has passed (engine/burst-poller.ts): their steps queue replies.
  const bursts = startLoop('burst poller', config.TIMER_POLL_INTERVAL_MS, deps, async () => {
    const { more, claimed } = await pollBursts(deps)
    if (claimed > 0) outbox?.wake()
    return { more }
  })
  // Receipts older than RECEIPT_RETENTION_DAYS (maintenance/receipt-retention.ts), a chunk at a time.
  const receipts = startLoop('receipt retention', RECEIPT_PURGE_INTERVAL_MS, deps, async () => {
    const cutoff = receiptCutoff(deps.clock.now(), config.RECEIPT_RETENTION_DAYS)
    return { more: (await purgeReceipts(deps.db, cutoff)) === RECEIPT_PURGE_CHUNK }
  })
  const unsubscribe = deps.relayWake?.subscribe((lanes) => {
    if (lanes.messages) outbox?.wake()
    if (lanes.httpJobs) http.wake()
  })
  return {
    wake: () => {
      timers.wake()
      bursts.wake()
      outbox?.wake()
      http.wake()
    },
    stop: async () => {
      stopping = true
      unsubscribe?.()
      await Promise.all([timers.stop(), bursts.stop(), receipts.stop(), outbox?.stop(), http.stop()])
      await lane.drain()
    },
  }
}
