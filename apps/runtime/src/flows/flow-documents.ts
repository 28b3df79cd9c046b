// What the API needs from packages/flow, in one place: checking a draft, and what a published version records.
import type { FlowAnalysisJson, FlowDocumentJson, FlowIssue } from '@parley/api'
import {
  analyze,
  FLOW_DOCUMENT_VERSION,
  type FlowDocument,
  getNodeKind,
  parseFlowDocument,
  type ValidateOptions,
  validate,
} from '@parley/flow'

export const DEFAULT_FLOW_NAME = 'Untitled flow'

export function blankFlowDocument(name: string): FlowDocumentJson {
  return {
    version: FLOW_DOCUMENT_VERSION,
    name,
    nodes: [],
    edges: [],
    settings: { description: '', channels: ['webchat', 'whatsapp', 'telegram'], exitEvents: [] },
  }
}

export type DocumentCheck =
  | { parsed: true; doc: FlowDocument; issues: FlowIssue[]; hasErrors: boolean }
  | { parsed: false; issues: FlowIssue[]; hasErrors: true }

/**
 * Parses, then validates the graph. Graph errors do not stop saving a draft; they stop publishing.
 * Routes go through the FlowChecker (flow-checker.ts), which runs this off the event loop for large flows.
 */
export function checkFlowDocument(json: unknown, options: ValidateOptions = {}): DocumentCheck {
  const parsed = parseFlowDocument(json)
  if (!parsed.ok) return { parsed: false, issues: parsed.issues, hasErrors: true }
  const issues = validate(json, options)
  return {
    parsed: true,
    doc: parsed.doc,
    issues,
    hasErrors: issues.some((issue) => issue.severity === 'error'),
  }
}

/** Trigger kinds a published document starts on (e.g. 'cart.abandoned'), for flow_versions.trigger_kinds. */
export function triggerKindsOf(doc: FlowDocument): string[] {
  const kinds = new Set<string>()
  for (const node of doc.nodes) {
    const trigger = getNodeKind(node.kind)?.facts(node.config).trigger
    if (trigger) kinds.add(trigger.event)
  }
  return [...kinds].sort()
}

/** analyze() as JSON: Infinity (unbounded) becomes null. */
export function analysisJson(doc: FlowDocument): FlowAnalysisJson {
  return JSON.parse(
    JSON.stringify(analyze(doc), (_key, value) =>
      typeof value === 'number' && !Number.isFinite(value) ? null : value,
    ),
  ) as FlowAnalysisJson
}
