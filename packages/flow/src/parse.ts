// Loading a flow document: upgrade old versions, check the envelope, then each node's config against
// its kind (with the kind's defaults for missing fields). Never throws; issues point at the node.
import type { z } from 'zod'
import {
  FLOW_DOCUMENT_VERSION,
  flowDocumentSizeIssue,
  type RawFlowDocument,
  rawFlowDocumentSchema,
} from './document.ts'
import { type FlowNode, getNodeKind } from './nodes/index.ts'
import type { FlowIssue, NodeKind } from './nodes/types.ts'
import { upgradeV1ToV2 } from './upgrade-v1-to-v2.ts'

export type FlowDocument = Omit<RawFlowDocument, 'nodes'> & { nodes: FlowNode[] }

export type UpgradeResult = { ok: true; json: unknown } | { ok: false; issues: FlowIssue[] }

/**
 * One function per version step: `upgrades[n]` turns a version-n document into version n+1.
 * Each is never changed once released; a new version adds the next step.
 */
const upgrades: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {
  1: upgradeV1ToV2,
}

function invalid(code: string, message: string): { ok: false; issues: FlowIssue[] } {
  return { ok: false, issues: [{ severity: 'error', code, message }] }
}

/** Brings a saved document of any known version up to the current one. */
export function upgradeFlowDocument(json: unknown): UpgradeResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return invalid('invalid_document', 'This is not a flow document')
  }
  let doc = json as Record<string, unknown>
  let version = doc.version
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return invalid('invalid_document', 'The flow document has no valid version')
  }
  if (version > FLOW_DOCUMENT_VERSION) {
    return invalid(
      'unsupported_version',
      `This flow was saved by a newer Parley (version ${version}); this one reads up to version ${FLOW_DOCUMENT_VERSION}`,
    )
  }
  while (version < FLOW_DOCUMENT_VERSION) {
    const upgrade = upgrades[version]
    if (!upgrade)
      return invalid('unsupported_version', `Flow documents of version ${version} can no longer be read`)
    try {
      doc = upgrade(doc)
    } catch {
      return invalid('invalid_document', `The flow could not be upgraded from version ${version}`)
    }
    version = doc.version
    if (typeof version !== 'number')
      return invalid('invalid_document', 'The flow document has no valid version')
  }
  return { ok: true, json: doc }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')
}

function zodIssues(error: z.ZodError, prefix: string, extra: Partial<FlowIssue>): FlowIssue[] {
  return error.issues.map((issue) => {
    const where = pathText(issue.path)
    return {
      severity: 'error',
      code: extra.nodeId ? 'invalid_config' : 'invalid_document',
      message: `${prefix}${where ? ` (${where.replace(/^\./, '')})` : ''}: ${issue.message}`,
      ...extra,
    }
  })
}

/**
 * Reads one node's config the way documents are read: the kind's defaults, shallowly overlaid with the
 * fields the document sets, then the kind's schema. `not_object` when the config is not an object at all.
 */
export function parseNodeConfig<C>(
  kind: NodeKind<string, C>,
  raw: unknown,
): { ok: true; config: C } | { ok: false; error: z.ZodError | 'not_object' } {
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    return { ok: false, error: 'not_object' }
  }
  const merged = { ...(kind.defaults as object), ...((raw as object | null | undefined) ?? {}) }
  const parsed = kind.configSchema.safeParse(merged)
  return parsed.success ? { ok: true, config: parsed.data } : { ok: false, error: parsed.error }
}

/**
 * Parses and fully checks the structure of a flow document. Graph-level checks (unreachable nodes,
 * dead ends, loops without a wait) are `validate`'s job.
 * @example const parsed = parseFlowDocument(JSON.parse(body)); if (!parsed.ok) return 400
 */
export function parseFlowDocument(
  input: unknown,
): { ok: true; doc: FlowDocument } | { ok: false; issues: FlowIssue[] } {
  try {
    const tooLarge = flowDocumentSizeIssue(input)
    if (tooLarge) return { ok: false, issues: [tooLarge] }
    const upgraded = upgradeFlowDocument(input)
    if (!upgraded.ok) return upgraded
    const envelope = rawFlowDocumentSchema.safeParse(upgraded.json)
    if (!envelope.success)
      return { ok: false, issues: zodIssues(envelope.error, 'Invalid flow document', {}) }
    const issues: FlowIssue[] = []
    const nodes: FlowNode[] = []
    const seen = new Set<string>()
    for (const node of envelope.data.nodes) {
      const label = node.name?.trim() || node.id
      if (seen.has(node.id)) {
        issues.push({
          severity: 'error',
          code: 'duplicate_node_id',
          message: `Two steps share the id "${node.id}"`,
          nodeId: node.id,
        })
        continue
      }
      seen.add(node.id)
      const kind = getNodeKind(node.kind)
      if (!kind) {
        issues.push({
          severity: 'error',
          code: 'unknown_kind',
          message: `'${label}' is a kind of step this version does not know ("${node.kind}")`,
          nodeId: node.id,
        })
        continue
      }
      const config = parseNodeConfig(kind, node.config)
      if (!config.ok) {
        const kindLabel = node.name?.trim() || kind.title
        if (config.error === 'not_object') {
          issues.push({
            severity: 'error',
            code: 'invalid_config',
            message: `The settings of '${kindLabel}' are not an object`,
            nodeId: node.id,
          })
        } else {
          issues.push(
            ...zodIssues(config.error, `The settings of '${kindLabel}' are invalid`, { nodeId: node.id }),
          )
        }
        continue
      }
      nodes.push({ ...node, config: config.config } as FlowNode)
    }
    if (issues.length > 0) return { ok: false, issues }
    return { ok: true, doc: { ...envelope.data, nodes } }
  } catch {
    // Defensive: schema code should not throw, but a document must never crash the caller.
    return invalid('invalid_document', 'The flow document could not be read')
  }
}
