// Static analysis of a flow: when each step can happen after the trigger, how many messages a shopper can
// get (per run and in any 24 hours), and which sends can fall outside WhatsApp's 24-hour window.
// Everything is dynamic programming over the graph's strongly connected components: linear in its size.
import { buildFlowGraph, type FlowGraph } from './flow-graph.ts'
import { longestPaths, MinHeap, shortestPaths, type WeightedEdge } from './graph-algorithms.ts'
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

  // The window reopens where the shopper writes: a handle in opensWindow restarts the clock at 0.
  const windowSeeds = triggerSeeds(Number.NEGATIVE_INFINITY)
  const windowEdges: WeightedEdge[] = []
  for (const edge of graph.edges) {
    const opens = graph.nodes[edge.source]!.facts?.opensWindow.includes(edge.handle) ?? false
    if (!opens) windowEdges.push({ from: edge.source, to: edge.target, weight: edge.maxMs })
    else if (graph.reachable[edge.source]) windowSeeds[edge.target] = 0
  }
  const sinceInbound = longestPaths({ nodeCount: count, edges: windowEdges, seeds: windowSeeds })

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
 * The most sends that fit in a window of `windowMs` along any path, using the shortest time between steps.
 * Level k holds, for every node, the least time from entering it until k messages have gone out (its own
 * first): send nodes read lower levels, the others take a reverse Dijkstra over non-sending nodes.
 * Levels stop at the first k that no reachable send can reach within the window.
 */
function maxMessagesInWindow(graph: FlowGraph, sends: number[], windowMs: number): number {
  const count = graph.nodes.length
  const senders = graph.nodes
    .filter((n) => sends[n.index]! > 0 && graph.reachable[n.index])
    .map((n) => n.index)
  if (senders.length === 0) return 0
  const incoming: { from: number; weight: number }[][] = Array.from({ length: count }, () => [])
  for (const edge of graph.edges) incoming[edge.target]!.push({ from: edge.source, weight: edge.minMs })

  const levels: Float64Array[] = [new Float64Array(count)] // level 0: nothing to send, time 0
  for (let k = 1; k <= MAX_COUNTED_PER_DAY; k++) {
    const level = new Float64Array(count).fill(Number.POSITIVE_INFINITY)
    const heap = new MinHeap()
    for (let node = 0; node < count; node++) {
      const own = sends[node]!
      if (own === 0) continue
      if (own >= k) {
        level[node] = 0
      } else {
        const rest = levels[k - own]!
        let best = Number.POSITIVE_INFINITY
        for (const edge of graph.outgoing[node]!) best = Math.min(best, edge.minMs + rest[edge.target]!)
        level[node] = best
      }
      if (level[node]! < Number.POSITIVE_INFINITY) heap.push(level[node]!, node)
    }
    while (heap.size > 0) {
      const [time, node] = heap.pop()
      if (time > level[node]!) continue
      for (const edge of incoming[node]!) {
        if (sends[edge.from]! > 0) continue
        const candidate = time + edge.weight
        if (candidate < level[edge.from]!) {
          level[edge.from] = candidate
          heap.push(candidate, edge.from)
        }
      }
    }
    if (!senders.some((node) => level[node]! < windowMs)) return k - 1
    levels.push(level)
  }
  return Number.POSITIVE_INFINITY
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
