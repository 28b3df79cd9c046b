// Everything a request handler or background loop needs, built once per process and passed down.
// Tests build their own (createTestDeps) with a ManualClock and a fresh database.
import type { Database } from '@parley/db'
import type { Kysely } from 'kysely'
import type { CatalogueImportWorker } from './catalogue/import-worker.ts'
import type { ChannelAdapter } from './channels/types.ts'
import type { VerifiedVisitorTokens } from './channels/webchat/visitor-token.ts'
import type { WebchatHub } from './channels/webchat/webchat-hub.ts'
import type { RuntimeConfig } from './config.ts'
import type { WakeSignal } from './delivery/wake-signal.ts'
import type { Egress } from './egress/egress-agent.ts'
import type { FlowVersionCache } from './engine/flow-versions.ts'
import type { InboundBatcher } from './engine/inbound.ts'
import type { FlowChecker } from './flows/flow-checker.ts'
import type { InboxHub } from './inbox/inbox-hub.ts'
import type { Logger } from './observability/logger.ts'
import type { RuntimeMetrics } from './observability/metrics.ts'
import type { Realtime } from './realtime/realtime.ts'
import type { SocketGuard } from './realtime/socket-guard.ts'
import type { TypingSignals } from './realtime/typing-signals.ts'
import type { PasswordHashing } from './security/password.ts'
import type { RateLimits } from './security/rate-limits.ts'
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
  /** Sign-in, web-chat and webhook limits (security/rate-limits.ts), on Postgres or in memory. */
  rateLimits: RateLimits
  /** Caps, heartbeat and session ends of the live sockets this replica holds. */
  sockets: SocketGuard
  /** The dispatcher for every outbound request a merchant or shopper can influence (egress/). */
  egress: Egress
  /** Parses, validates and analyzes flow documents, large ones in a worker thread (flows/flow-checker.ts). */
  flowChecker: FlowChecker
  /** Names this process in leases (locked_by). */
  instanceId: string
  /** The scrypt cost new password hashes are made with (PASSWORD_HASHING; tests pass a cheaper one). */
  passwordHashing: PasswordHashing
  /**
   * Chance, in [0, 1): which abandoned carts fall in the holdout (commerce/abandonment-episodes.ts). Absent:
   * Math.random. Tests pass their own (test deps: one that never holds a cart out), so runs are reproducible.
   */
  random?: () => number
  /** Notified after a commit that queued outbox rows; the background loops listen (absent: they poll). */
  relayWake?: WakeSignal
  // Per-process state (process-state.ts builds it with the deps; a second set of deps gets its own).
  /** Compiled flow versions, least recently used out by estimated memory (engine/flow-versions.ts). */
  flowVersions: FlowVersionCache
  /** Inbound messages arriving together, stepped as one batch (group commit, engine/inbound.ts). */
  inbound: InboundBatcher
  /** Live transcript events to the visitor sockets this process holds. */
  webchatHub: WebchatHub
  /** Live inbox events to the staff sockets this process holds. */
  inboxHub: InboxHub
  /** "Is typing…" signals both ways, throttled per person and conversation (realtime/typing-signals.ts). */
  typing: TypingSignals
  /** Web-chat visitor tokens whose signature was checked (channels/webchat/visitor-token.ts). */
  visitorTokens: VerifiedVisitorTokens
  /**
   * Runs queued catalogue imports in the background (catalogue/import-worker.ts); uploads kick it. server.ts and
   * test deps build one; wiring without it (benchmarks) leaves queued imports to a process that has one.
   */
  catalogueImports?: CatalogueImportWorker
}
