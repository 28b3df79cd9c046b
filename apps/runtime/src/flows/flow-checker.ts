// Checking a flow document without stalling other tenants: validate + analyze of a 500-step flow take a few
// hundred milliseconds of CPU, so documents above a small size are checked in a worker thread (piscina) and
// the event loop keeps serving everyone else. Built once per process (server.ts) and passed in deps.
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Piscina } from 'piscina'
import runFlowCheck, { type FlowCheckResult, type FlowCheckTask } from './flow-check-worker.ts'

export type { FlowCheckResult }

export interface FlowChecker {
  /**
   * Parses, validates and (when asked) analyzes a document.
   * @example const { check, analysis } = await deps.flowChecker.check(doc, { analysis: true })
   */
  check(document: unknown, options?: { analysis?: boolean }): Promise<FlowCheckResult>
  close(): Promise<void>
}

export interface FlowCheckerOptions {
  /** EGRESS_ALLOW_LIST as written. */
  allowList: string
  /** Documents with at most this many steps + connections are checked inline (a worker trip costs more). */
  inlineMaxItems?: number
}

/** Small flows check in well under a millisecond per step; the starter flows have about 20 steps. */
const INLINE_MAX_ITEMS = 120

export function createFlowChecker(options: FlowCheckerOptions): FlowChecker {
  const inlineMaxItems = options.inlineMaxItems ?? INLINE_MAX_ITEMS
  let pool: Piscina<FlowCheckTask, FlowCheckResult> | undefined
  // The worker loads TypeScript sources the way the process does: through tsx's loader.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
  const workerPool = () =>
    (pool ??= new Piscina<FlowCheckTask, FlowCheckResult>({
      filename: new URL('./flow-check-worker.ts', import.meta.url).href,
      execArgv: ['--import', tsx],
      // One check at a time per process: on a small machine a second thread would only take CPU from requests.
      minThreads: 0,
      maxThreads: 1,
      idleTimeout: 60_000,
      // A hostile document cannot exhaust the process's memory through the worker.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    }))

  return {
    async check(document, { analysis = false } = {}) {
      const task: FlowCheckTask = { document, allowList: options.allowList, analysis }
      if (itemCount(document) <= inlineMaxItems) return runFlowCheck(task)
      return workerPool().run(task)
    },
    async close() {
      await pool?.destroy()
      pool = undefined
    },
  }
}

function itemCount(document: unknown): number {
  if (typeof document !== 'object' || document === null) return 0
  const { nodes, edges } = document as { nodes?: unknown; edges?: unknown }
  return (Array.isArray(nodes) ? nodes.length : 0) + (Array.isArray(edges) ? edges.length : 0)
}
