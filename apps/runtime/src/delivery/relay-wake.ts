// Waking every replica's outbox relay when work is committed (issue 9, due → delivered): a step that queues
// outbox rows sends `pg_notify('parley_relay_wake', <its instance id>)` inside its transaction (in the same
// statement as its writes, engine/step-writes.ts), which Postgres delivers only if and when it commits. Each
// process LISTENs on one connection of its own (realtime/pg-listen.ts) and wakes its relay and HTTP-request lane (the `WakeSignal` of
// engine/wake-signal.ts), so a row is claimed within a round trip of its commit, by whichever replica is free.
// Its own notices are ignored: the committing process already woke its loops in memory, without the round trip.
// Polling stays as the fallback (OUTBOX_POLL_INTERVAL_MS): a lost LISTEN connection is reopened with backoff,
// and once back it wakes the relay once, for whatever was committed while it was gone. PGlite is one process:
// only the in-memory wake.
import type { OpenedDatabase } from '@parley/db'
import type { Logger } from '../observability/logger.ts'
import { PgListen } from '../realtime/pg-listen.ts'
import type { WakeSignal } from './wake-signal.ts'

export const RELAY_WAKE_CHANNEL = 'parley_relay_wake'

/** What a committing step notifies (engine/step-writes.ts puts it in the statement that writes the outbox). */
export interface CommitNotice {
  channel: string
  payload: string
}

export function relayWakeNotice(instanceId: string): CommitNotice {
  return { channel: RELAY_WAKE_CHANNEL, payload: instanceId }
}

export interface RelayWakeListenerOptions {
  pool: NonNullable<OpenedDatabase['pool']>
  /** Woken for every notice from another process. */
  signal: WakeSignal
  /** This process's notices carry it and are skipped. */
  instanceId: string
  logger: Logger
  /** First reconnect delay (jittered); doubles up to 30 s. */
  reconnectDelayMs?: number
}

/** The LISTEN side: one held connection; `close()` releases it. */
export class RelayWakeListener {
  readonly #listen: PgListen

  constructor(options: RelayWakeListenerOptions) {
    this.#listen = new PgListen({
      pool: options.pool,
      channel: RELAY_WAKE_CHANNEL,
      onNotice: (payload) => {
        if (payload !== options.instanceId) options.signal.notify()
      },
      // Notices sent while the connection was gone are lost: look once now (the relay polls meanwhile).
      onReconnected: () => options.signal.notify(),
      logger: options.logger,
      name: 'relay wake',
      reconnectDelayMs: options.reconnectDelayMs,
    })
  }

  /** Resolves once LISTEN is active. */
  start(): Promise<void> {
    return this.#listen.start()
  }

  /** True while the LISTEN connection is up. */
  get listening(): boolean {
    return this.#listen.listening
  }

  close(): Promise<void> {
    return this.#listen.close()
  }
}
