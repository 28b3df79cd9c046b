// One Postgres LISTEN held for the life of the process: a dedicated connection from the pool, replaced with
// jittered backoff when it is lost (every replica loses the database at once and should not all come back in
// the same instant). Notices sent while it was gone are lost, so the owner is told when it is back and can look
// once. Used by the realtime fan-out (realtime/pg-realtime.ts) and the relay's wake (delivery/relay-wake.ts).
import type { OpenedDatabase } from '@parley/db'
import type { Logger } from '../observability/logger.ts'
import { backoffDelayMs } from '../time/backoff.ts'

type Pool = NonNullable<OpenedDatabase['pool']>
const connectClient = (pool: Pool) => pool.connect()
type PoolClient = Awaited<ReturnType<typeof connectClient>>

export interface PgListenOptions {
  /** The connection is taken from this pool and held until `close()`. */
  pool: Pool
  /** A constant identifier (it is written into the LISTEN statement). */
  channel: string
  /** Every notice on the channel, in the order Postgres delivers them. */
  onNotice(payload: string | undefined): void
  /** Called once the connection is back after a loss: whatever was notified meanwhile was missed. */
  onReconnected?(): void
  logger: Logger
  /** What the warnings call this listener ("realtime", "relay wake"). */
  name: string
  /** First reconnect delay (jittered); doubles up to 30 s. */
  reconnectDelayMs?: number
}

export class PgListen {
  readonly #options: PgListenOptions
  #client: PoolClient | undefined
  #closed = false
  #connecting: Promise<void> | undefined
  #retryTimer: NodeJS.Timeout | undefined
  /** Reconnect attempts since the connection was last up: the backoff's attempt number. */
  #reconnects = 0

  constructor(options: PgListenOptions) {
    this.#options = options
  }

  /** Resolves once LISTEN is active. */
  start(): Promise<void> {
    return this.#connect()
  }

  /** True while the LISTEN connection is up. */
  get listening(): boolean {
    return this.#client !== undefined
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#retryTimer)
    await this.#connecting?.catch(() => {})
    const client = this.#client
    this.#client = undefined
    if (!client) return
    client.removeAllListeners('notification')
    try {
      await client.query(`unlisten ${this.#options.channel}`)
      client.release()
    } catch (error) {
      client.release(error instanceof Error ? error : true)
    }
  }

  #connect(): Promise<void> {
    this.#connecting ??= this.#open().finally(() => {
      this.#connecting = undefined
    })
    return this.#connecting
  }

  async #open(): Promise<void> {
    const { channel } = this.#options
    const client = await connectClient(this.#options.pool)
    const onError = (error: Error) => this.#lost(client, error)
    client.on('error', onError)
    client.on('end', () => this.#lost(client, new Error('LISTEN connection ended')))
    client.on('notification', (message: { channel: string; payload?: string }) => {
      if (message.channel === channel) this.#options.onNotice(message.payload)
    })
    try {
      await client.query(`listen ${channel}`)
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
    // Destroyed rather than returned to the pool: the connection is broken.
    try {
      client.release(error)
    } catch {}
    this.#options.logger.warn(`${this.#options.name} LISTEN connection lost; reconnecting`, { error })
    this.#scheduleReconnect()
  }

  #scheduleReconnect(): void {
    if (this.#closed) return
    this.#reconnects += 1
    const delay = backoffDelayMs(this.#reconnects, {
      baseMs: this.#options.reconnectDelayMs ?? 250,
      maxMs: 30_000,
    })
    this.#retryTimer = setTimeout(() => {
      this.#connect().then(
        () => {
          if (this.listening) this.#options.onReconnected?.()
        },
        (error: unknown) => {
          this.#options.logger.warn(`${this.#options.name} reconnect failed`, { error })
          this.#scheduleReconnect()
        },
      )
    }, delay)
    this.#retryTimer.unref()
  }
}
