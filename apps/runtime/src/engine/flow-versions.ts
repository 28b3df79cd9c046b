// Compiled machines per published flow version. Versions never change once published, so a machine is
// compiled once per process and kept, least recently used out first, bounded by memory rather than by count:
// a thousand 500-step flows would hold far more than a thousand small ones.
import type { Database } from '@parley/db'
import {
  asksForReply,
  compile,
  type FlowDocument,
  type FlowMachine,
  type FlowNode,
  MachineStepper,
  parseFlowDocument,
} from '@parley/flow'
import type { Kysely } from 'kysely'
import { LRUCache } from 'lru-cache'

export interface LoadedFlowVersion {
  id: string
  flowId: string
  version: number
  doc: FlowDocument
  machine: FlowMachine
  /** Starts and steps the machine's runs, with XState's actor scope built once per version, not per step. */
  stepper: MachineStepper
  /** Node id → kind, e.g. to tell what a run resting on a node waits for. */
  kinds: Map<string, string>
  /** The published document's JSON size, which the cache's memory bound is estimated from. */
  jsonBytes: number
  /** Node id → what a run resting there waits for from outside ('reply', 'handback', 'effect'). */
  waits: Map<string, string>
}

/** What the cache may hold, in estimated bytes (see versionWeight). */
export const FLOW_VERSION_CACHE_BYTES = 128 * 1024 * 1024
/**
 * The parsed document and the compiled machine (state nodes, transitions and closures per step) take several
 * times the document's JSON size in memory; 16 is measured on generated flows of 100–500 steps (heap growth
 * after compiling, over JSON bytes: 13–15), rounded up.
 */
const MEMORY_PER_JSON_BYTE = 16

/** Least recently used out first, once the estimated bytes of what it holds pass `maxBytes`. */
export function createFlowVersionCache<V extends Weighed = LoadedFlowVersion>(
  maxBytes = FLOW_VERSION_CACHE_BYTES,
): LRUCache<string, V> {
  return new LRUCache<string, V>({ maxSize: maxBytes, sizeCalculation: versionWeight })
}

/** The process's compiled versions (deps.flowVersions): a version never changes once published. */
export type FlowVersionCache = LRUCache<string, LoadedFlowVersion>

/** What the cache weighs a version by. */
type Weighed = Pick<LoadedFlowVersion, 'jsonBytes'>

/** The estimated memory a loaded version holds. */
export function versionWeight(version: Weighed): number {
  return Math.max(1, version.jsonBytes * MEMORY_PER_JSON_BYTE)
}

/**
 * The parsed document and compiled machine of a version of this merchant.
 * @example const { machine } = await loadFlowVersion(trx, deps.flowVersions, merchantId, run.flow_version_id)
 */
export async function loadFlowVersion(
  db: Kysely<Database>,
  cache: FlowVersionCache,
  merchantId: string,
  versionId: string,
): Promise<LoadedFlowVersion> {
  const key = `${merchantId}:${versionId}`
  const hit = cache.get(key)
  if (hit) return hit
  const row = await db
    .selectFrom('flow_versions')
    .select(['id', 'flow_id', 'version', 'document'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', versionId)
    .executeTakeFirst()
  if (!row) throw new Error(`Flow version ${versionId} not found`)
  const parsed = parseFlowDocument(row.document)
  if (!parsed.ok) {
    throw new Error(
      `Flow version ${versionId} does not parse: ${parsed.issues.map((i) => i.message).join('; ')}`,
    )
  }
  const machine = compile(parsed.doc)
  const loaded: LoadedFlowVersion = {
    id: row.id,
    flowId: row.flow_id,
    version: row.version,
    doc: parsed.doc,
    machine,
    stepper: new MachineStepper(machine),
    kinds: new Map(parsed.doc.nodes.map((n) => [n.id, n.kind])),
    jsonBytes: Buffer.byteLength(JSON.stringify(row.document)),
    waits: waitsByNode(parsed.doc),
  }
  cache.set(key, loaded)
  return loaded
}

const WAITING_FOR: Record<string, string> = {
  'wait-for-reply': 'reply',
  'collect-input': 'reply',
  escalate: 'handback',
  'lookup-order': 'effect',
  'answer-product-question': 'effect',
  'http-request': 'effect',
}

function waitOf(node: FlowNode): string | undefined {
  // A message with quick-reply buttons waits for the tap (its buttons are its outputs).
  if (node.kind === 'send-message') return asksForReply(node.config) ? 'reply' : undefined
  return WAITING_FOR[node.kind]
}

/** Node id → what a run resting there waits for, for the nodes that wait on something from outside. */
export function waitsByNode(doc: FlowDocument): Map<string, string> {
  const waits = new Map<string, string>()
  for (const node of doc.nodes) {
    const waitsFor = waitOf(node)
    if (waitsFor) waits.set(node.id, waitsFor)
  }
  return waits
}

/** What a run resting on these nodes waits for from outside ('reply', 'handback', 'effect'), or null. */
export function waitingFor(version: LoadedFlowVersion, activeNodeIds: string[]): string | null {
  for (const nodeId of activeNodeIds) {
    const waits = version.waits.get(nodeId)
    if (waits) return waits
  }
  return null
}
