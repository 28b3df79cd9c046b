// The unknown-variable check: every {{variable}} in a node's templates must be built in (contact, cart...)
// or written by a step before it; template syntax errors are reported on the way.
import type { FlowGraph, GraphNode } from './flow-graph.ts'
import { stronglyConnectedComponents } from './graph-algorithms.ts'
import type { FlowIssue } from './nodes/types.ts'
import { parseTemplate } from './template.ts'
import { unknownPathReason } from './variable-catalogue.ts'

/** Variables the host provides to every run (see run-context.ts); templates may always use them. */
export const BUILT_IN_VARIABLES = [
  'contact',
  'cart',
  'order',
  'store',
  'trigger',
  'reply',
  'answer',
  'incentive',
] as const

const BUILT_INS: ReadonlySet<string> = new Set(BUILT_IN_VARIABLES)

/**
 * Built-ins only some runs have: the trigger provides them (a cart flow has a cart) or a step before
 * writes them (Look up order). Using one elsewhere renders empty, so it is reported as a warning.
 */
const CONTEXTUAL: Readonly<Record<string, string>> = {
  cart: "this flow's trigger has no cart",
  order: "this flow's trigger has no order and no 'Look up order' step comes before it",
}

function quote(label: string): string {
  return `'${label}'`
}

/** The variable a write names: 'answer' for 'answer', 'answer.size' or 'answer[0]'. */
function rootOf(variable: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*/.exec(variable)?.[0] ?? variable
}

/**
 * For each node, which of `wanted` some step before it writes (a loop makes a node its own predecessor).
 * Only the variables templates actually use are tracked, so the sets stay small on large flows.
 */
function writtenBefore(graph: FlowGraph, wanted: ReadonlySet<string>): ReadonlySet<string>[] {
  const empty: ReadonlySet<string> = new Set<string>()
  const writes = graph.nodes.map((node) =>
    (node.facts?.writes ?? []).map(rootOf).filter((n) => wanted.has(n)),
  )
  const before: ReadonlySet<string>[] = graph.nodes.map(() => empty)
  if (wanted.size === 0) return before
  const successors = graph.nodes.map((node) => graph.outgoing[node.index]!.map((e) => e.target))
  const incoming: number[][] = graph.nodes.map(() => [])
  for (const edge of graph.edges) incoming[edge.target]!.push(edge.source)
  const { componentOf, order, cyclic } = stronglyConnectedComponents(graph.nodes.length, successors)
  order.forEach((members, c) => {
    const set = new Set<string>()
    for (const node of members) {
      if (cyclic[c]) for (const name of writes[node]!) set.add(name)
      for (const from of incoming[node]!) {
        if (componentOf[from] === c) continue
        for (const name of before[from]!) set.add(name)
        for (const name of writes[from]!) set.add(name)
      }
    }
    const shared = set.size === 0 ? empty : set
    for (const node of members) before[node] = shared
  })
  return before
}

interface TemplateUse {
  node: GraphNode
  path: string
  root: string
}

export function checkVariables(graph: FlowGraph): FlowIssue[] {
  const issues: FlowIssue[] = []
  const uses: TemplateUse[] = []
  for (const node of graph.nodes) {
    if (!node.kind || !node.facts) continue
    let templates: string[]
    try {
      templates = node.kind.templates(node.config)
    } catch {
      continue
    }
    const seen = new Set<string>()
    for (const template of templates) {
      if (!template.includes('{{')) continue
      const parsed = parseTemplate(template)
      if (!parsed.ok) {
        issues.push({
          severity: 'error',
          code: 'template_syntax',
          message: `${quote(node.label)}: ${parsed.error.message}`,
          nodeId: node.id,
        })
        continue
      }
      for (const part of parsed.parts) {
        if (part.type !== 'variable') continue
        const root = String(part.segments[0])
        const reason = unknownPathReason(part.segments)
        if (reason !== undefined && !seen.has(part.path)) {
          seen.add(part.path)
          issues.push({
            severity: 'error',
            code: 'unknown_variable',
            message: `${quote(node.label)} uses "${part.path}", which does not exist: ${reason}`,
            nodeId: node.id,
          })
          continue
        }
        if ((BUILT_INS.has(root) && !(root in CONTEXTUAL)) || seen.has(root)) continue
        seen.add(root)
        uses.push({ node, path: part.path, root })
      }
    }
  }
  if (uses.length === 0) return issues

  const wanted = new Set(uses.map((use) => use.root))
  const before = writtenBefore(graph, wanted)
  const writtenAnywhere = new Set(graph.nodes.flatMap((node) => (node.facts?.writes ?? []).map(rootOf)))
  for (const { node, path, root } of uses) {
    const reachable = graph.reachable[node.index] === 1
    if (root in CONTEXTUAL) {
      // Unreachable steps are reported once, as unreachable; here only what a run would really miss.
      if (!reachable || before[node.index]!.has(root)) continue
      issues.push({
        severity: 'warning',
        code: 'variable_not_available',
        message: `${quote(node.label)} uses "${path}", but ${CONTEXTUAL[root]}`,
        nodeId: node.id,
      })
      continue
    }
    if (reachable ? before[node.index]!.has(root) : writtenAnywhere.has(root)) continue
    issues.push(
      writtenAnywhere.has(root)
        ? {
            severity: 'warning',
            code: 'variable_not_set_yet',
            message: `${quote(node.label)} uses "${path}", but no step before it sets "${root}"`,
            nodeId: node.id,
          }
        : {
            severity: 'error',
            code: 'unknown_variable',
            message: `${quote(node.label)} uses "${path}", which is not a known variable`,
            nodeId: node.id,
          },
    )
  }
  return issues
}
