// The variables a step can use, grouped by where they come from in this flow: what its trigger
// provides (a cart flow has a cart, not an order), answers collected before the step, and lookups
// before it. Each has a merchant's name; the path is what the template stores.
import { getNodeKind, type MenuVariable, menuVariables, parseNodeConfig, variableLabel } from '@parley/flow'
import { createContext, useContext } from 'react'
import type { EditorGraph } from '../store/convert.ts'

export interface VariableGroup {
  label: string
  items: MenuVariable[]
}

type GraphNode = EditorGraph['nodes'][number]

/** Nodes from which `nodeId` can be reached, nearest first. */
function upstreamOf(graph: EditorGraph, nodeId: string): GraphNode[] {
  const incoming = new Map<string, string[]>()
  for (const edge of graph.edges) {
    const list = incoming.get(edge.target) ?? []
    list.push(edge.source)
    incoming.set(edge.target, list)
  }
  const seen = new Set<string>([nodeId])
  const order: string[] = []
  const queue = [nodeId]
  while (queue.length > 0) {
    for (const source of incoming.get(queue.shift()!) ?? []) {
      if (!seen.has(source)) {
        seen.add(source)
        order.push(source)
        queue.push(source)
      }
    }
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]))
  return order.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []))
}

const TRIGGER_ROOTS: Record<string, { label: string; roots: string[] }> = {
  'cart.abandoned': { label: 'The shopper and their cart', roots: ['contact', 'cart', 'store'] },
  'order.created': { label: 'The shopper and their order', roots: ['contact', 'order', 'store'] },
  'order.shipped': { label: 'The shopper and their order', roots: ['contact', 'order', 'store'] },
  'order.delivered': { label: 'The shopper and their order', roots: ['contact', 'order', 'store'] },
  'order.delivery_problem': { label: 'The shopper and their order', roots: ['contact', 'order', 'store'] },
  'message.received': { label: 'The shopper and their message', roots: ['contact', 'trigger', 'store'] },
  manual: { label: 'The shopper', roots: ['contact', 'store'] },
}

function triggerEvent(node: GraphNode): string | undefined {
  const kind = getNodeKind(node.data.kind)
  const parsed = kind ? parseNodeConfig(kind, node.data.config) : undefined
  return parsed?.ok ? kind?.facts(parsed.config).trigger?.event : undefined
}

function config<T>(node: GraphNode): Partial<T> {
  return (node.data.config ?? {}) as Partial<T>
}

function stepName(node: GraphNode): string {
  return node.data.name?.trim() || getNodeKind(node.data.kind)?.title || 'a step'
}

/** What an upstream step makes available, and under which heading. */
function providedBy(node: GraphNode): { group: string; items: MenuVariable[] } | undefined {
  switch (node.data.kind) {
    case 'collect-input': {
      const c = config<{ variable: string; inputType: string }>(node)
      if (!c.variable) return undefined
      const label =
        c.inputType === 'order_number' ? 'Order number the shopper typed' : `Answer to “${stepName(node)}”`
      return { group: 'Answers collected before this step', items: [{ path: c.variable, label }] }
    }
    case 'wait-for-reply':
      return { group: 'Answers collected before this step', items: menuVariables('reply') }
    case 'send-message': {
      const buttons = config<{ buttons: unknown[] }>(node).buttons ?? []
      return buttons.length > 0
        ? { group: 'Answers collected before this step', items: menuVariables('reply') }
        : undefined
    }
    case 'lookup-order':
      return { group: 'Found order', items: menuVariables('order') }
    case 'answer-product-question':
      return { group: 'Lookups before this step', items: menuVariables('answer') }
    case 'offer-incentive':
      return { group: 'The offer', items: menuVariables('incentive') }
    case 'http-request': {
      const saveAs = config<{ saveAs: string }>(node).saveAs
      return saveAs
        ? { group: 'Lookups before this step', items: [{ path: saveAs, label: variableLabel(saveAs) }] }
        : undefined
    }
    case 'set-variable': {
      const name = config<{ name: string }>(node).name
      return name
        ? { group: 'Saved before this step', items: [{ path: name, label: variableLabel(name) }] }
        : undefined
    }
    default:
      return undefined
  }
}

/**
 * The variable menu for one step: trigger data of the triggers leading to it (of the whole flow when
 * the step is not connected yet), then what steps before it collected or looked up.
 * @example stepVariables(graph, 'reminder')[0] // { label: 'The shopper and their cart', items: [...] }
 */
export function stepVariables(graph: EditorGraph, nodeId: string): VariableGroup[] {
  const upstream = upstreamOf(graph, nodeId)
  let triggers = upstream.flatMap((n) => triggerEvent(n) ?? [])
  if (triggers.length === 0) triggers = graph.nodes.flatMap((n) => triggerEvent(n) ?? [])
  const groups = new Map<string, MenuVariable[]>()
  const seen = new Set<string>()
  const add = (group: string, items: MenuVariable[]) => {
    const fresh = items.filter((item) => !seen.has(item.path))
    if (fresh.length === 0) return
    for (const item of fresh) seen.add(item.path)
    groups.set(group, [...(groups.get(group) ?? []), ...fresh])
  }
  const events = [...new Set(triggers)]
  for (const event of events.length > 0 ? events : ['manual']) {
    const spec = TRIGGER_ROOTS[event] ?? TRIGGER_ROOTS.manual!
    const label = events.length > 1 ? 'From the trigger' : spec.label
    add(
      label,
      spec.roots.flatMap((root) => menuVariables(root)),
    )
  }
  // Nearest steps first would scatter groups; list them in the order a run meets them.
  for (const node of [...upstream].reverse()) {
    const provided = providedBy(node)
    if (provided) add(provided.group, provided.items)
  }
  return [...groups].map(([label, items]) => ({ label, items }))
}

export const VariablesContext = createContext<VariableGroup[]>([
  { label: 'The shopper', items: [...menuVariables('contact'), ...menuVariables('store')] },
])

export function useVariableGroups(): VariableGroup[] {
  return useContext(VariablesContext)
}
