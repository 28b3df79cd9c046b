// Static analysis of a flow: when each step can happen after the trigger, how many messages a shopper can
// get (per run and in any 24 hours), and which sends can fall outside WhatsApp's 24-hour window.
// Everything is dynamic programming over the graph's strongly connected components: linear in its size.
import { buildFlowGraph, type FlowGraph } from './flow-graph.ts'
import {
  longestPaths,
  MinHeap,
  shortestPaths,
  stronglyConnectedComponents,
  type WeightedEdge,
} from './graph-algorithms.ts'
import { getNodeKind } from './nodes/index.ts'
import type { FlowDocument } from './parse.ts'

export const WINDOW_MS = 24 * 60 * 60 * 1000

/** Beyond this many messages in 24 hours the count is reported as unbounded (Infinity). */
const MAX_COUNTED_PER_DAY = 1000

export interface NodeAnalysis {
  nodeId: string
  /** False when no trigger leads here; the times are then Infinity. */
  reachable: boolean
  /** Soonest the node can be entered after the trigger, in ms. */
  earliestMs: number
  /** Latest the node can be entered after the trigger, in ms; Infinity after a wait without timeout or a loop. */
  latestMs: number
  /** Longest time since the shopper last wrote (or the trigger) when the node is entered; Infinity allowed. */
  sinceLastInboundMs: number
  /** Messages one pass through the node sends. */
  sends: number
  /** A send that can happen 24 h or more after the shopper's last message: WhatsApp needs a template. */
  needsTemplate: boolean
}

export interface FlowAnalysis {
  /** Keyed by node id, in document order. */
  nodes: Record<string, NodeAnalysis>
  /** Most messages one run can send to a shopper; Infinity when a loop can repeat sends. */
  maxMessagesPerRun: number
  /** Most messages that can fall within any 24 hours of one run; Infinity when unbounded. */
  maxMessagesPer24h: number
  /** Ids of sending nodes that can fall outside the 24-hour window, in document order. */
  sendsNeedingTemplate: string[]
  /** One line for the editor, e.g. "At most 3 messages per shopper (2 in any 24 h); 2 sends need a WhatsApp template". */
  summary: string
}

/**
 * Analyzes a parsed flow document.
 * @example analyze(cartRecovery).maxMessagesPerRun // 3
 */
export function analyze(doc: FlowDocument): FlowAnalysis {
  return analyzeGraph(buildFlowGraph(doc, getNodeKind), doc.settings.channels.includes('whatsapp'))
}

export function analyzeGraph(graph: FlowGraph, onWhatsApp = true): FlowAnalysis {
  const count = graph.nodes.length
  const sends = graph.nodes.map((node) => node.facts?.sends ?? 0)
  const triggerSeeds = (empty: number) => {
    const seeds = new Float64Array(count).fill(empty)
    for (const trigger of graph.triggers) seeds[trigger] = 0
    return seeds
  }
  const minEdges: WeightedEdge[] = graph.edges.map((e) => ({ from: e.source, to: e.target, weight: e.minMs }))
  const maxEdges: WeightedEdge[] = graph.edges.map((e) => ({ from: e.source, to: e.target, weight: e.maxMs }))

  const earliest = shortestPaths(count, minEdges, triggerSeeds(Number.POSITIVE_INFINITY))
  const latest = longestPaths({
    nodeCount: count,
    edges: maxEdges,
    seeds: triggerSeeds(Number.NEGATIVE_INFINITY),
  })
  const messagesUpTo = longestPaths({
    nodeCount: count,
    edges: minEdges.map((e) => ({ ...e, weight: 0 })),
    seeds: triggerSeeds(Number.NEGATIVE_INFINITY),
    nodeWeight: (node) => sends[node]!,
  })

  const sinceInbound = sinceLastInbound(graph)

  let maxMessagesPerRun = 0
  const nodes: Record<string, NodeAnalysis> = {}
  const sendsNeedingTemplate: string[] = []
  for (const node of graph.nodes) {
    const reachable = graph.reachable[node.index] === 1
    const needsTemplate = reachable && sends[node.index]! > 0 && sinceInbound[node.index]! >= WINDOW_MS
    if (reachable) maxMessagesPerRun = Math.max(maxMessagesPerRun, messagesUpTo[node.index]!)
    if (needsTemplate) sendsNeedingTemplate.push(node.id)
    nodes[node.id] = {
      nodeId: node.id,
      reachable,
      earliestMs: reachable ? earliest[node.index]! : Number.POSITIVE_INFINITY,
      latestMs: reachable ? latest[node.index]! : Number.POSITIVE_INFINITY,
      sinceLastInboundMs: reachable ? Math.max(0, sinceInbound[node.index]!) : Number.POSITIVE_INFINITY,
      sends: sends[node.index]!,
      needsTemplate,
    }
  }
  const maxMessagesPer24h = Math.min(maxMessagesPerRun, maxMessagesInWindow(graph, sends, WINDOW_MS))
  return {
    nodes,
    maxMessagesPerRun,
    maxMessagesPer24h,
    sendsNeedingTemplate,
    summary: summarize(maxMessagesPerRun, maxMessagesPer24h, onWhatsApp ? sendsNeedingTemplate.length : 0),
  }
}

/**
 * For each node, the longest time since the shopper last wrote when it is entered (-Infinity when
 * unreachable). The trigger counts as the shopper's last interaction; a handle in `opensWindow` (the
 * shopper just wrote) restarts the clock at 0.
 */
export function sinceLastInbound(graph: FlowGraph): Float64Array {
  const seeds = new Float64Array(graph.nodes.length).fill(Number.NEGATIVE_INFINITY)
  for (const trigger of graph.triggers) seeds[trigger] = 0
  const edges: WeightedEdge[] = []
  for (const edge of graph.edges) {
    const opens = graph.nodes[edge.source]!.facts?.opensWindow.includes(edge.handle) ?? false
    if (!opens) edges.push({ from: edge.source, to: edge.target, weight: edge.maxMs })
    else if (graph.reachable[edge.source]) seeds[edge.target] = 0
  }
  return longestPaths({ nodeCount: graph.nodes.length, edges, seeds })
}

/** Reachable sending nodes that can send 24 h or more after the shopper's last message. */
export function sendsOutsideWindow(graph: FlowGraph): number[] {
  const since = sinceLastInbound(graph)
  return graph.nodes
    .filter(
      (node) =>
        graph.reachable[node.index] && (node.facts?.sends ?? 0) > 0 && since[node.index]! >= WINDOW_MS,
    )
    .map((node) => node.index)
}

/**
 * The most sends that fit in a window of `windowMs` along any path, using the shortest time between steps.
 * Level k holds, for every node, the least time from entering it until k messages have gone out (its own
 * first); times from the window's length on are dropped as Infinity. A sending node reads a lower level; a
 * silent node takes the best of its successors, in reverse topological order of the components, with a
 * Dijkstra inside components that loop. Levels stop at the first k no reachable send reaches in time.
 */
function maxMessagesInWindow(graph: FlowGraph, sends: number[], windowMs: number): number {
  const count = graph.nodes.length
  const senders = graph.nodes
    .filter((n) => sends[n.index]! > 0 && graph.reachable[n.index])
    .map((n) => n.index)
  if (senders.length === 0) return 0
  const successors = graph.outgoing.map((edges) => edges.map((edge) => edge.target))
  const { componentOf, order, cyclic } = stronglyConnectedComponents(count, successors)
  const INF = Number.POSITIVE_INFINITY
  /** Edges inside a loop that leave a silent node, indexed by their target. */
  const loopIncoming: { from: number; minMs: number }[][] = Array.from({ length: count }, () => [])
  for (const edge of graph.edges) {
    const c = componentOf[edge.source]!
    if (cyclic[c] && componentOf[edge.target] === c && sends[edge.source] === 0) {
      loopIncoming[edge.target]!.push({ from: edge.source, minMs: edge.minMs })
    }
  }

  const levels: Float64Array[] = [new Float64Array(count)] // level 0: nothing left to send, time 0
  for (let k = 1; k <= MAX_COUNTED_PER_DAY; k++) {
    const level = new Float64Array(count).fill(INF)
    /** A node's time from what is already known: lower levels for senders, later components otherwise. */
    const initial = (node: number): number => {
      const own = sends[node]!
      if (own >= k) return 0
      const next = own > 0 ? levels[k - own]! : level
      let best = INF
      for (const edge of graph.outgoing[node]!) {
        const time = edge.minMs + next[edge.target]!
        if (time < best) best = time
      }
      return best < windowMs ? best : INF
    }
    for (let c = order.length - 1; c >= 0; c--) {
      const members = order[c]!
      if (!cyclic[c]) {
        level[members[0]!] = initial(members[0]!)
        continue
      }
      // Inside a loop, silent nodes also learn from each other: Dijkstra along the reversed internal edges.
      const heap = new MinHeap()
      for (const node of members) {
        level[node] = initial(node)
        if (level[node]! < INF) heap.push(level[node]!, node)
      }
      while (heap.size > 0) {
        const [time, node] = heap.pop()
        if (time > level[node]!) continue
        for (const { from, minMs } of loopIncoming[node]!) {
          const candidate = time + minMs
          if (candidate < level[from]! && candidate < windowMs) {
            level[from] = candidate
            heap.push(candidate, from)
          }
        }
      }
    }
    if (!senders.some((node) => level[node]! < windowMs)) return k - 1
    levels.push(level)
  }
  return INF
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}

function summarize(perRun: number, per24h: number, needTemplate: number): string {
  let line: string
  if (perRun === 0) line = 'Sends no messages'
  else if (perRun === Number.POSITIVE_INFINITY) {
    line =
      per24h === Number.POSITIVE_INFINITY
        ? 'No limit on messages per shopper: a loop can repeat sends without waiting'
        : `No limit on messages per shopper over time: a loop repeats sends (at most ${per24h} in any 24 h)`
  } else {
    line = `At most ${plural(perRun, 'message', 'messages')} per shopper (${per24h} in any 24 h)`
  }
  if (needTemplate > 0) {
    line += `; ${plural(needTemplate, 'send needs', 'sends need')} a WhatsApp template`
  }
  return line
}
