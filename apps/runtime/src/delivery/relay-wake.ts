// Waking every replica's outbox relay when work is committed (issue 9, due → delivered): a step that queues
// outbox rows sends `pg_notify('parley_relay_wake', <its instance id>)` inside its transaction (in the same
// statement as its writes, engine/step-writes.ts), which Postgres delivers only if and when it commits. Each
// process LISTENs on one connection of its own and wakes its relay and HTTP-request lane (the `WakeSignal` of
// engine/wake-signal.ts), so a row is claimed within a round trip of its commit, by whichever replica is free.
// Its own notices are ignored: the committing process already woke its loops in memory, without the round trip.
// Polling stays as the fallback (OUTBOX_POLL_INTERVAL_MS): a lost LISTEN connection is reopened with backoff,
// and once back it wakes the relay once, for whatever was committed while it was gone. PGlite is one process:
// only the in-memory wake.
import type { OpenedDatabase } from '@parley/db'
import type { Logger } from '../observability/logger.ts'
import { backoffDelayMs } from '../time/backoff.ts'
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

type Pool = NonNullable<OpenedDatabase['pool']>
const connectClient = (pool: Pool) => pool.connect()
type PoolClient = Awaited<ReturnType<typeof connectClient>>

export interface RelayWakeListenerOptions {
  pool: Pool
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
  readonly #options: RelayWakeListenerOptions
  #client: PoolClient | undefined
  #closed = false
  #retryTimer: NodeJS.Timeout | undefined
  /** Reconnect attempts since the connection was last up: the backoff's attempt number. */
  #reconnects = 0

  constructor(options: RelayWakeListenerOptions) {
    this.#options = options
  }

  /** Resolves once LISTEN is active. */
  async start(): Promise<void> {
    await this.#open()
  }

  /** True while the LISTEN connection is up. */
  get listening(): boolean {
    return this.#client !== undefined
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#retryTimer)
    const client = this.#client
    this.#client = undefined
    if (!client) return
    client.removeAllListeners('notification')
    try {
      await client.query(`unlisten ${RELAY_WAKE_CHANNEL}`)
      client.release()
    } catch (error) {
      client.release(error instanceof Error ? error : true)
    }
  }

  async #open(): Promise<void> {
    const client = await connectClient(this.#options.pool)
    const onError = (error: Error) => this.#lost(client, error)
    client.on('error', onError)
    client.on('end', () => this.#lost(client, new Error('LISTEN connection ended')))
    client.on('notification', (message: { channel: string; payload?: string }) => {
      if (message.channel === RELAY_WAKE_CHANNEL && message.payload !== this.#options.instanceId)
        this.#options.signal.notify()
    })
    try {
      await client.query(`listen ${RELAY_WAKE_CHANNEL}`)
    } catch (error) {
      client.off('error', onError)
      client.release(error instanceof Error ? error : true)
      throw error
    }
    if (this.#closed) {
      client.release()
      return
    }
    this.#client = client
    this.#reconnects = 0
  }

  #lost(client: PoolClient, error: Error): void {
    if (this.#client !== client) return
    this.#client = undefined
    client.removeAllListeners('notification')
    try {
      client.release(error)
    } catch {}
    this.#options.logger.warn('relay wake LISTEN connection lost; reconnecting (the relay polls meanwhile)', {
      error,
    })
    this.#scheduleReconnect()
  }

  #scheduleReconnect(): void {
    if (this.#closed) return
    this.#reconnects += 1
    // Jittered (the one backoff rule): every replica loses the database at once and should not all come back in
    // the same instant.
    const delay = backoffDelayMs(this.#reconnects, {
      baseMs: this.#options.reconnectDelayMs ?? 250,
      maxMs: 30_000,
    })
    this.#retryTimer = setTimeout(() => {
      this.#open().then(
        // Notices sent while the connection was gone are lost: look once now.
        () => this.#options.signal.notify(),
        (error: unknown) => {
          this.#options.logger.warn('relay wake reconnect failed', { error })
          this.#scheduleReconnect()
        },
      )
    }, delay)
    this.#retryTimer.unref()
  }
}
