// Validation for the editor and for publishing: every problem in a flow as an issue pointing at the node or
// edge, in words a merchant understands. It never throws, whatever it is given.
import { sendsOutsideWindow } from './analyze.ts'
import { type ChannelKind, rawFlowDocumentSchema } from './document.ts'
import type { EgressAllowEntry } from './egress-rules.ts'
import { buildFlowGraph, type FlowGraph, type GraphDocument } from './flow-graph.ts'
import { stronglyConnectedComponents } from './graph-algorithms.ts'
import { getNodeKind } from './nodes/index.ts'
import type { FlowIssue } from './nodes/types.ts'
import { parseFlowDocument, parseNodeConfig, upgradeFlowDocument } from './parse.ts'
import { checkVariables } from './variable-check.ts'

/** Enough to tell what is wrong with a broken envelope without flooding the editor. */
const MAX_DOCUMENT_ISSUES = 10

export interface ValidateOptions {
  /** The runtime's egress allow-list, so addresses the operator allowed are not reported as refused. */
  egressAllowList?: readonly EgressAllowEntry[]
}

/**
 * Every problem in a flow document, errors first, then in node order. Never throws: input that is not a
 * flow document at all gives one 'invalid_document' error.
 * @example validate(doc) // [{ severity: 'error', code: 'button_not_connected', message: "The button 'No, all good' of 'Ask' doesn't lead anywhere yet; connect it to a step", nodeId: 'n2' }]
 */
export function validate(doc: unknown, options: ValidateOptions = {}): FlowIssue[] {
  try {
    return validateDocument(doc, options)
  } catch (error) {
    return [
      {
        severity: 'error',
        code: 'invalid_document',
        message: `This flow could not be checked (${error instanceof Error ? error.message : 'unknown error'})`,
      },
    ]
  }
}

function validateDocument(input: unknown, options: ValidateOptions): FlowIssue[] {
  // Unknown kinds, duplicate ids and config problems come from the parser (one source of wording).
  const parsed = parseFlowDocument(input)
  // Too large to check at all: the size is the only issue worth reporting.
  if (!parsed.ok && parsed.issues.some((issue) => issue.code === 'document_too_large')) return parsed.issues
  let doc: GraphDocument
  const issues: FlowIssue[] = []
  const opaque = new Set<number>()
  if (parsed.ok) {
    doc = parsed.doc
  } else {
    issues.push(...parsed.issues)
    const upgraded = upgradeFlowDocument(input)
    const envelope = upgraded.ok ? rawFlowDocumentSchema.safeParse(upgraded.json) : undefined
    if (!envelope?.success) return issues.slice(0, MAX_DOCUMENT_ISSUES)
    // Nodes the parser rejects stay in the graph as opaque nodes so the rest of the flow is still
    // checked; configs are read the way parseFlowDocument reads them (kind defaults, then the fields).
    const nodes = envelope.data.nodes.map((node, index) => {
      const kind = getNodeKind(node.kind)
      if (!kind) return node
      const config = parseNodeConfig(kind, node.config)
      if (!config.ok) {
        opaque.add(index)
        return node
      }
      return { ...node, config: config.config }
    })
    doc = { ...envelope.data, nodes }
  }

  const graph = buildFlowGraph(doc, getNodeKind, { isOpaque: (index) => opaque.has(index) })
  issues.push(
    ...checkStructure(doc),
    ...checkEdges(doc, graph),
    ...checkReachability(graph),
    ...checkDeadEnds(graph, doc),
    ...checkLoops(graph),
    ...checkKinds(graph, doc.settings.channels, options),
    ...checkVariables(graph),
    ...checkTemplateWindow(graph, doc.settings.channels),
  )
  return sortIssues(issues, graph, doc)
}

function quote(label: string): string {
  return `'${label}'`
}

function checkStructure(doc: GraphDocument): FlowIssue[] {
  const issues: FlowIssue[] = []
  const hasTrigger = doc.nodes.some((node) => getNodeKind(node.kind)?.group === 'triggers')
  if (!hasTrigger) {
    issues.push({
      severity: 'error',
      code: 'no_trigger',
      message: 'Add a trigger to start: it decides when this flow runs',
    })
  }
  const edgeIds = new Set<string>()
  for (const edge of doc.edges) {
    if (edgeIds.has(edge.id)) {
      issues.push({
        severity: 'error',
        code: 'duplicate_edge_id',
        message: `Two connections share the id "${edge.id}"`,
        edgeId: edge.id,
      })
    }
    edgeIds.add(edge.id)
  }
  return issues
}

function checkEdges(doc: GraphDocument, graph: FlowGraph): FlowIssue[] {
  const issues: FlowIssue[] = []
  const used = new Map<string, string>()
  for (const edge of doc.edges) {
    const sourceIndex = graph.indexById.get(edge.source)
    const targetIndex = graph.indexById.get(edge.target)
    const source = sourceIndex === undefined ? undefined : graph.nodes[sourceIndex]!
    const target = targetIndex === undefined ? undefined : graph.nodes[targetIndex]!
    if (!source) {
      issues.push({
        severity: 'error',
        code: 'dangling_edge',
        message: target
          ? `A connection into ${quote(target.label)} starts at a step that no longer exists`
          : 'A connection joins steps that no longer exist',
        edgeId: edge.id,
      })
      continue
    }
    if (!target) {
      issues.push({
        severity: 'error',
        code: 'dangling_edge',
        message: `A connection from ${quote(source.label)} leads to a step that no longer exists`,
        nodeId: source.id,
        edgeId: edge.id,
      })
      continue
    }
    const handle = source.handles?.find((h) => h.id === edge.sourceHandle)
    if (source.handles && !handle) {
      issues.push({
        severity: 'error',
        code: 'dangling_edge',
        message: `A connection leaves ${quote(source.label)} from an output it does not have ("${edge.sourceHandle}")`,
        nodeId: source.id,
        edgeId: edge.id,
      })
      continue
    }
    if (target.facts?.trigger) {
      issues.push({
        severity: 'error',
        code: 'edge_into_trigger',
        message: `${quote(target.label)} is a trigger: nothing can lead into it`,
        nodeId: target.id,
        edgeId: edge.id,
      })
      continue
    }
    const key = `${source.index}\u0000${edge.sourceHandle}`
    const first = used.get(key)
    if (first !== undefined) {
      const label = handle?.label ?? edge.sourceHandle
      issues.push({
        severity: 'error',
        code: 'duplicate_connection',
        message: `${quote(source.label)} has more than one next step for "${label}"; connect only one`,
        nodeId: source.id,
        edgeId: edge.id,
      })
    } else {
      used.set(key, edge.id)
    }
  }
  return issues
}

function checkReachability(graph: FlowGraph): FlowIssue[] {
  if (graph.triggers.length === 0) return []
  return graph.nodes
    .filter((node) => !graph.reachable[node.index])
    .map((node) => ({
      severity: 'warning' as const,
      code: 'unreachable_node',
      message: `${quote(node.label)} can never be reached from a trigger`,
      nodeId: node.id,
    }))
}

/**
 * An output with nothing attached ends the conversation there (implicit ending), so open outputs are
 * not errors, except a quick-reply button leading nowhere and a trigger with no step after it.
 */
function checkDeadEnds(graph: FlowGraph, doc: GraphDocument): FlowIssue[] {
  const connected = graph.nodes.map(() => new Set<string>())
  for (const edge of doc.edges) {
    const source = graph.indexById.get(edge.source)
    if (source !== undefined && graph.indexById.has(edge.target)) connected[source]!.add(edge.sourceHandle)
  }
  const issues: FlowIssue[] = []
  for (const node of graph.nodes) {
    const { facts, handles } = node
    if (!facts || !handles || facts.terminal) continue
    const takeable = handles.filter((h) => facts.timing[h.id])
    if (takeable.length === 0) continue
    const open = takeable.filter((h) => !connected[node.index]!.has(h.id))
    if (facts.trigger && open.length === takeable.length) {
      issues.push({
        severity: 'error',
        code: 'dead_end',
        message: `Add a step after ${quote(node.label)}: the flow does nothing yet`,
        nodeId: node.id,
      })
      continue
    }
    for (const handle of open) {
      if (handle.button) {
        issues.push({
          severity: 'error',
          code: 'button_not_connected',
          message: `The button ${quote(handle.label)} of ${quote(node.label)} doesn't lead anywhere yet; connect it to a step`,
          nodeId: node.id,
        })
      } else if (open.length < takeable.length) {
        issues.push({
          severity: 'warning',
          code: 'unconnected_output',
          message: `Nothing is connected to "${handle.label}" of ${quote(node.label)}; the conversation ends there`,
          nodeId: node.id,
        })
      }
    }
  }
  return issues
}

/** A cycle through nodes that never pause would spin forever: find cycles once waiting nodes are removed. */
function checkLoops(graph: FlowGraph): FlowIssue[] {
  const pauses = (index: number) => graph.nodes[index]!.facts?.waits ?? true
  const successors = graph.nodes.map((node) =>
    pauses(node.index)
      ? []
      : graph.outgoing[node.index]!.filter((e) => !pauses(e.target)).map((e) => e.target),
  )
  const { order, cyclic } = stronglyConnectedComponents(graph.nodes.length, successors)
  const issues: FlowIssue[] = []
  order.forEach((members, c) => {
    if (!cyclic[c]) return
    const sorted = [...members].sort((a, b) => a - b)
    const labels = sorted.map((index) => quote(graph.nodes[index]!.label))
    const names =
      labels.length === 1
        ? `${labels[0]} leads back to itself`
        : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]} form a loop`
    issues.push({
      severity: 'error',
      code: 'loop_without_wait',
      message: `${names} with no wait in it, so it would repeat forever; add a delay or a wait for reply`,
      nodeId: graph.nodes[sorted[0]!]!.id,
    })
  })
  return issues
}

function checkKinds(graph: FlowGraph, channels: ChannelKind[], options: ValidateOptions): FlowIssue[] {
  const { egressAllowList } = options
  const issues: FlowIssue[] = []
  for (const node of graph.nodes) {
    if (!node.kind || !node.facts) continue
    try {
      issues.push(
        ...node.kind.check(node.config, {
          nodeId: node.id,
          nodeLabel: node.label,
          channels,
          egressAllowList,
        }),
      )
    } catch {
      issues.push({
        severity: 'error',
        code: 'invalid_config',
        message: `The settings of ${quote(node.label)} could not be checked`,
        nodeId: node.id,
      })
    }
  }
  return issues
}

function checkTemplateWindow(graph: FlowGraph, channels: ChannelKind[]): FlowIssue[] {
  if (!channels.includes('whatsapp') || graph.triggers.length === 0) return []
  const issues: FlowIssue[] = []
  for (const index of sendsOutsideWindow(graph)) {
    const node = graph.nodes[index]!
    if (node.facts?.hasTemplateFallback) continue
    issues.push({
      severity: 'warning',
      code: 'needs_template',
      message: `${quote(node.label)} can be sent 24 h or more after the shopper's last message; on WhatsApp it is skipped unless you add an approved template`,
      nodeId: node.id,
    })
  }
  return issues
}

/** Errors first; then document-level issues, then by the node's (or the edge's) place in the document. */
function sortIssues(issues: FlowIssue[], graph: FlowGraph, doc: GraphDocument): FlowIssue[] {
  const edgeSource = new Map<string, string>()
  doc.edges.forEach((edge) => {
    if (!edgeSource.has(edge.id)) edgeSource.set(edge.id, edge.source)
  })
  const rank = (issue: FlowIssue): number => {
    const nodeId = issue.nodeId ?? (issue.edgeId === undefined ? undefined : edgeSource.get(issue.edgeId))
    if (nodeId === undefined) return issue.edgeId === undefined ? -1 : graph.nodes.length
    return graph.indexById.get(nodeId) ?? graph.nodes.length
  }
  return issues
    .map((issue, position) => ({ issue, position, rank: rank(issue) }))
    .sort(
      (a, b) =>
        (a.issue.severity === b.issue.severity ? 0 : a.issue.severity === 'error' ? -1 : 1) ||
        a.rank - b.rank ||
        a.position - b.position,
    )
    .map((entry) => entry.issue)
}
