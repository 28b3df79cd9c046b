// Everything a request handler or background loop needs, built once per process and passed down.
// Tests build their own (createTestDeps) with a ManualClock and a fresh database.
import type { Database } from '@parley/db'
import type { Kysely } from 'kysely'
import type { ChannelAdapter } from './channels/types.ts'
import type { RuntimeConfig } from './config.ts'
import type { WakeSignal } from './engine/wake-signal.ts'
import type { Logger } from './observability/logger.ts'
import type { RuntimeMetrics } from './observability/metrics.ts'
import type { Realtime } from './realtime/realtime.ts'
import type { Clock } from './time/clock.ts'

export interface RuntimeDeps {
  db: Kysely<Database>
  dbKind: 'postgres' | 'pglite'
  config: RuntimeConfig
  /** The only source of time. A VirtualClock when the dev clock is on. */
  clock: Clock
  logger: Logger
  metrics: RuntimeMetrics
  realtime: Realtime
  /** Outbound adapters by channel kind (webchat, whatsapp, telegram). */
  channels: Partial<Record<ChannelAdapter['kind'], ChannelAdapter>>
  /** Names this process in leases (locked_by). */
  instanceId: string
  /** Notified after a commit that queued outbox rows; the background loops listen (absent: they poll). */
  relayWake?: WakeSignal
}
