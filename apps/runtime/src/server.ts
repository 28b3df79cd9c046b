// The process: config → database (migrated) → deps → app → HTTP + WebSocket server → background loops, and a
// graceful shutdown on SIGTERM/SIGINT that stops accepting, lets in-flight requests and steps finish, then
// stops the loops and closes the database.
import { randomUUID } from 'node:crypto'
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { openDatabase } from '@parley/db'
import { parseEgressAllowList } from '@parley/flow'
import { createApp } from './app.ts'
import { CatalogueImportWorker } from './catalogue/import-worker.ts'
import { resealChannelSecrets } from './channels/channel-secrets.ts'
import { createTelegramAdapter } from './channels/telegram/telegram-adapter.ts'
import { createWebchatAdapter } from './channels/webchat/webchat-adapter.ts'
import { createWhatsAppAdapter } from './channels/whatsapp/whatsapp-adapter.ts'
import { loadConfig } from './config.ts'
import { RelayWakeListener, relayWakeNotice } from './delivery/relay-wake.ts'
import { WakeSignal } from './delivery/wake-signal.ts'
import { createEgress } from './egress/egress-agent.ts'
import { startBackgroundLoops } from './engine/loops.ts'
import { createFlowChecker } from './flows/flow-checker.ts'
import { createLogger } from './observability/logger.ts'
import { createRuntimeMetrics } from './observability/metrics.ts'
import { withProcessState } from './process-state.ts'
import { createRealtime } from './realtime/pg-realtime.ts'
import { SocketGuard } from './realtime/socket-guard.ts'
import { createWebSocketServer } from './realtime/websocket-server.ts'
import { rateLimitStoreFor } from './security/limiter-store.ts'
import { PASSWORD_HASHING } from './security/password.ts'
import { RateLimits } from './security/rate-limits.ts'
import { systemClock } from './time/clock.ts'
import { openDevClock } from './time/dev-clock-start.ts'

/** Requests still running after this long at shutdown are cut off. */
const SHUTDOWN_GRACE_MS = 10_000

export async function startServer(env: Record<string, string | undefined> = process.env) {
  const config = loadConfig(env)
  const logger = createLogger(config.LOG_LEVEL)
  const opened = await openDatabase(
    config.DATABASE_URL
      ? {
          url: config.DATABASE_URL,
          poolSize: config.DATABASE_POOL_SIZE,
          idleTimeoutMs: config.DATABASE_POOL_IDLE_SECONDS * 1000,
          preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
        }
      : { dataDir: config.DATA_DIR },
  )
  // Channel secrets still in plain text (rows written by hand, or before encryption at rest) are sealed now.
  const resealed = await resealChannelSecrets(opened.db, config.keyring)
  if (resealed.sealed > 0) logger.info('sealed plain-text channel secrets', { ...resealed })
  const realtime = await createRealtime({ db: opened.db, kind: opened.kind, pool: opened.pool, logger })
  const instanceId = `${process.pid}-${randomUUID().slice(0, 8)}`
  // Steps that queue sends wake the relay of this process at once, and other replicas' through LISTEN/NOTIFY.
  const relayWake = new WakeSignal(opened.kind === 'postgres' ? relayWakeNotice(instanceId) : null)
  const relayWakeListener =
    opened.kind === 'postgres' && opened.pool
      ? new RelayWakeListener({ pool: opened.pool, signal: relayWake, instanceId, logger })
      : null
  await relayWakeListener?.start()
  // The dev clock's offset is persisted (time/clock-offset.ts): a restart resumes at the same virtual time;
  // DEV_CLOCK_START moves a fresh one on to a chosen instant (time/dev-clock-start.ts).
  const devClock = config.devClock ? await openDevClock(opened.db, config.DEV_CLOCK_START) : null
  if (config.DEV_CLOCK_START && devClock && !devClock.movedToStart)
    logger.info('the dev clock is already past DEV_CLOCK_START: it only moves forward', {
      devClockStart: config.DEV_CLOCK_START,
      now: new Date(devClock.clock.now()).toISOString(),
    })
  const clock = devClock?.clock ?? systemClock
  // The per-process state (group commit, socket hubs, compiled versions) is built here too (process-state.ts).
  const deps = withProcessState({
    db: opened.db,
    dbKind: opened.kind,
    config,
    clock,
    logger,
    metrics: createRuntimeMetrics({ processMetrics: true }),
    realtime,
    rateLimits: new RateLimits(config, rateLimitStoreFor(opened)),
    sockets: new SocketGuard({ db: opened.db, clock, logger }, config),
    channels: {},
    egress: createEgress({ allowList: parseEgressAllowList(config.EGRESS_ALLOW_LIST) }),
    flowChecker: createFlowChecker({ allowList: config.EGRESS_ALLOW_LIST }),
    instanceId,
    passwordHashing: PASSWORD_HASHING,
    relayWake,
  })
  const catalogueImports = new CatalogueImportWorker(deps)
  deps.catalogueImports = catalogueImports
  deps.channels.webchat = createWebchatAdapter(deps)
  deps.channels.whatsapp = createWhatsAppAdapter(deps)
  deps.channels.telegram = createTelegramAdapter(deps)

  const app = createApp(deps)
  const websockets = createWebSocketServer()
  const server = await new Promise<Server>((resolve) => {
    const s = serve(
      { fetch: app.fetch, port: config.PORT, hostname: config.HOST, websocket: { server: websockets } },
      (info) => {
        console.log(`Parley runtime listening on http://${config.HOST}:${info.port}`)
        resolve(s as Server)
      },
    )
  })

  const loops = startBackgroundLoops(deps)
  const heartbeat = setInterval(() => {
    deps.sockets.sweep().catch((error: unknown) => logger.warn('socket heartbeat failed', { error }))
  }, config.WS_HEARTBEAT_SECONDS * 1000)
  heartbeat.unref()
  // Imports queued before a restart, or left by a replica that stopped mid-way (its lease runs out), resume.
  catalogueImports.kick()
  const catalogueSweep = setInterval(() => catalogueImports.kick(), 30_000)
  catalogueSweep.unref()

  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= (async () => {
      logger.info('shutting down')
      clearInterval(heartbeat)
      clearInterval(catalogueSweep)
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of websockets.clients) socket.close(1001, 'Server shutting down')
      websockets.close()
      // close() only drops connections idle right now; keep-alive ones go idle as their requests finish.
      const reaper = setInterval(() => server.closeIdleConnections(), 50)
      const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS)
      await closed
      clearInterval(reaper)
      clearTimeout(deadline)
      await loops.stop()
      await catalogueImports.stop()
      await deps.egress.close()
      await deps.flowChecker.close()
      await realtime.close()
      await relayWakeListener?.close()
      await opened.close()
      logger.info('stopped')
    })()
    return stopping
  }
  return { server, deps, app, stop, port: (server.address() as { port: number }).port }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const running = await startServer().catch((error: Error) => {
    // A configuration refusal is a message for the operator, not a stack trace.
    console.error(error.message.startsWith('Invalid configuration') ? error.message : error)
    process.exit(1)
  })
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      running.stop().then(
        () => process.exit(0),
        (error) => {
          console.error(error)
          process.exit(1)
        },
      )
    })
  }
}
