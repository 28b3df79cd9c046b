// Realtime over Postgres LISTEN/NOTIFY: every replica LISTENs on one channel, so a transcript change published
// by any replica reaches the sockets held by all of them. The payload is small (ids only); listeners load rows.
import type { Database, OpenedDatabase } from '@parley/db'
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Logger } from '../observability/logger.ts'
import { PgListen } from './pg-listen.ts'
import { InProcessRealtime, type Realtime, type RealtimeEvent, type RealtimeListener } from './realtime.ts'

export const REALTIME_CHANNEL = 'parley_realtime'

type Pool = NonNullable<OpenedDatabase['pool']>

export interface PgRealtimeOptions {
  db: Kysely<Database>
  /** The LISTEN connection is taken from this pool and held for the life of the process. */
  pool: Pool
  logger: Logger
  /** First reconnect delay; doubles up to 30 s. */
  reconnectDelayMs?: number
}

/**
 * Publish = `pg_notify('parley_realtime', json)`; receive = a dedicated connection LISTENing on it
 * (realtime/pg-listen.ts; own notifications included, so a replica hears what it published exactly once,
 * through the same path). A lost LISTEN connection is replaced with backoff; events published meanwhile are
 * missed, which is why web-chat clients re-read the transcript when their socket reconnects.
 */
export class PgRealtime implements Realtime {
  readonly #listeners = new Set<RealtimeListener>()
  readonly #db: Kysely<Database>
  readonly #logger: Logger
  readonly #listen: PgListen

  constructor(options: PgRealtimeOptions) {
    this.#db = options.db
    this.#logger = options.logger
    this.#listen = new PgListen({
      pool: options.pool,
      channel: REALTIME_CHANNEL,
      onNotice: (payload) => this.#deliver(payload),
      logger: options.logger,
      name: 'realtime',
      reconnectDelayMs: options.reconnectDelayMs,
    })
  }

  /** Opens the LISTEN connection; resolves once LISTEN is active. */
  start(): Promise<void> {
    return this.#listen.start()
  }

  async publish(event: RealtimeEvent): Promise<void> {
    await notifyRealtime(this.#db, event)
  }

  async publishMany(events: readonly RealtimeEvent[]): Promise<void> {
    await notifyRealtimeMany(this.#db, events)
  }

  commitNotices(events: readonly RealtimeEvent[]): RawBuilder<unknown> {
    return notifyEach(events)
  }

  subscribe(listener: RealtimeListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** True while the LISTEN connection is up (for health checks and tests). */
  get listening(): boolean {
    return this.#listen.listening
  }

  async close(): Promise<void> {
    this.#listeners.clear()
    await this.#listen.close()
  }

  #deliver(payload: string | undefined): void {
    if (!payload) return
    const event = parseRealtimePayload(payload)
    if (!event) {
      this.#logger.warn('realtime: ignoring a malformed notification', { payload })
      return
    }
    for (const listener of this.#listeners) {
      try {
        listener(event)
      } catch (error) {
        this.#logger.error('realtime listener failed', { error })
      }
    }
  }
}

/**
 * NOTIFY inside the caller's transaction (or on its own): Postgres delivers it only if and when that
 * transaction commits, so a socket never hears of a row that was rolled back.
 * @example await notifyRealtime(trx, { merchantId, conversationId, kind: 'message', id: messageId })
 */
export async function notifyRealtime(db: Kysely<Database>, event: RealtimeEvent): Promise<void> {
  await sql`select pg_notify(${REALTIME_CHANNEL}, ${realtimePayload(event)})`.execute(db)
}

/**
 * `notifyRealtime` for many events in one statement. The array is read in order and each row notifies as it
 * is read, so listeners hear the events in the order given (Postgres keeps a transaction's notifications in
 * the order they were sent).
 * @example await notifyRealtimeMany(db, [created, updated])
 */
export async function notifyRealtimeMany(
  db: Kysely<Database>,
  events: readonly RealtimeEvent[],
): Promise<void> {
  if (events.length === 0) return
  await notifyEach(events).execute(db)
}

/**
 * The select that NOTIFYs each event in order: a statement of its own, or a CTE of a step's write (its rows are
 * read in the array's order, each notifying as it is read).
 */
function notifyEach(events: readonly RealtimeEvent[]): RawBuilder<unknown> {
  // One JSON array of the payloads, not a text[]: pg escapes each element of an array parameter with two regex
  // replaces in JavaScript (a payload is JSON, full of quotes), where JSON.stringify escapes them natively; the
  // step's write carries these on every inbound message (BENCHMARKS.md session 14).
  const payloads = JSON.stringify(events.map(realtimePayload))
  return sql`select pg_notify(${REALTIME_CHANNEL}, payload)
    from json_array_elements_text(${payloads}::json) as payload`
}

function realtimePayload(event: RealtimeEvent): string {
  return JSON.stringify({
    merchantId: event.merchantId,
    conversationId: event.conversationId,
    kind: event.kind,
    id: event.id,
  })
}

export function parseRealtimePayload(payload: string): RealtimeEvent | null {
  try {
    const value = JSON.parse(payload) as Partial<RealtimeEvent>
    if (
      typeof value.merchantId === 'string' &&
      typeof value.conversationId === 'string' &&
      (value.kind === 'message' || value.kind === 'conversation' || value.kind === 'typing') &&
      typeof value.id === 'string'
    ) {
      return {
        merchantId: value.merchantId,
        conversationId: value.conversationId,
        kind: value.kind,
        id: value.id,
      }
    }
  } catch {}
  return null
}

/**
 * Realtime for the database the process runs on: LISTEN/NOTIFY on Postgres (replicas share it), in-process
 * fan-out on embedded PGlite (one process by construction).
 * @example deps.realtime = await createRealtime({ db, kind: opened.kind, pool: opened.pool, logger })
 */
export async function createRealtime(options: {
  db: Kysely<Database>
  kind: OpenedDatabase['kind']
  pool?: Pool
  logger: Logger
}): Promise<Realtime> {
  if (options.kind === 'pglite') return new InProcessRealtime()
  if (!options.pool) throw new Error('createRealtime: a pg pool is required on Postgres')
  const realtime = new PgRealtime({ db: options.db, pool: options.pool, logger: options.logger })
  await realtime.start()
  return realtime
}
