// The process: config → database (migrated) → deps → app → HTTP + WebSocket server → background loops, and a
// graceful shutdown on SIGTERM/SIGINT that stops accepting, lets in-flight requests and steps finish, then
// stops the loops and closes the database.
import { randomUUID } from 'node:crypto'
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { openDatabase } from '@parley/db'
import { WebSocketServer } from 'ws'
import { createApp } from './app.ts'
import { createWebchatAdapter } from './channels/webchat/webchat-adapter.ts'
import { loadConfig } from './config.ts'
import type { RuntimeDeps } from './deps.ts'
import { createLogger } from './observability/logger.ts'
import { createRuntimeMetrics } from './observability/metrics.ts'
import { createRealtime } from './realtime/pg-realtime.ts'
import { systemClock, VirtualClock } from './time/clock.ts'

/** What src/engine/loops.ts (engine helper) exports: `startBackgroundLoops(deps)` → a handle to stop them. */
interface BackgroundLoops {
  stop(): Promise<void>
}
type LoopsModule = { startBackgroundLoops(deps: RuntimeDeps): BackgroundLoops | Promise<BackgroundLoops> }

/** Requests still running after this long at shutdown are cut off. */
const SHUTDOWN_GRACE_MS = 10_000

async function loadLoops(): Promise<LoopsModule | null> {
  // A computed specifier, so this file compiles before the engine's loops module lands.
  const specifier = './engine/loops.ts'
  try {
    return (await import(specifier)) as LoopsModule
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return null
    throw error
  }
}

export async function startServer(env: Record<string, string | undefined> = process.env) {
  const config = loadConfig(env)
  const logger = createLogger(config.LOG_LEVEL)
  const opened = await openDatabase(
    config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: config.DATA_DIR },
  )
  const realtime = await createRealtime({ db: opened.db, kind: opened.kind, pool: opened.pool, logger })
  // The dev clock's offset is persisted by the engine's dev-clock routes, which sync it on use.
  const clock = config.devClock ? new VirtualClock() : systemClock
  const deps: RuntimeDeps = {
    db: opened.db,
    dbKind: opened.kind,
    config,
    clock,
    logger,
    metrics: createRuntimeMetrics(),
    realtime,
    channels: {},
    instanceId: `${process.pid}-${randomUUID().slice(0, 8)}`,
  }
  deps.channels.webchat = createWebchatAdapter(deps)

  const app = createApp(deps)
  const websockets = new WebSocketServer({ noServer: true })
  const server = await new Promise<Server>((resolve) => {
    const s = serve(
      { fetch: app.fetch, port: config.PORT, hostname: config.HOST, websocket: { server: websockets } },
      (info) => {
        console.log(`Parley runtime listening on http://${config.HOST}:${info.port}`)
        resolve(s as Server)
      },
    )
  })

  const loopsModule = await loadLoops()
  const loops = loopsModule ? await loopsModule.startBackgroundLoops(deps) : null
  if (!loops) logger.warn('background loops not available (src/engine/loops.ts missing)')

  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= (async () => {
      logger.info('shutting down')
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of websockets.clients) socket.close(1001, 'Server shutting down')
      websockets.close()
      const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS)
      await closed
      clearTimeout(deadline)
      await loops?.stop()
      await realtime.close()
      await opened.close()
      logger.info('stopped')
    })()
    return stopping
  }
  return { server, deps, app, stop, port: (server.address() as { port: number }).port }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const running = await startServer()
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
