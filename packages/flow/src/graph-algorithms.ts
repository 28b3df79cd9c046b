// Graph algorithms for static analysis over flows that may contain loops: Tarjan's strongly connected
// components and dynamic programming over their condensation, so nothing enumerates paths.

/** A directed edge between node indices, with a weight the caller chose (a duration, a count...). */
export interface WeightedEdge {
  from: number
  to: number
  weight: number
}

export interface Components {
  /** Component index of each node. */
  componentOf: Int32Array
  /** Components in topological order: every edge goes from a component to itself or a later one. */
  order: number[][]
  /** True for a component that contains a cycle (more than one node, or a node with a self-loop). */
  cyclic: boolean[]
}

/** Tarjan's algorithm, iterative so a 5,000-node chain cannot overflow the stack. */
export function stronglyConnectedComponents(
  nodeCount: number,
  successors: readonly (readonly number[])[],
): Components {
  const index = new Int32Array(nodeCount).fill(-1)
  const low = new Int32Array(nodeCount)
  const onStack = new Uint8Array(nodeCount)
  const componentOf = new Int32Array(nodeCount).fill(-1)
  const stack: number[] = []
  const reverseTopological: number[][] = []
  const work: { node: number; next: number }[] = []
  let counter = 0

  for (let root = 0; root < nodeCount; root++) {
    if (index[root] !== -1) continue
    work.push({ node: root, next: 0 })
    index[root] = low[root] = counter++
    stack.push(root)
    onStack[root] = 1
    while (work.length > 0) {
      const frame = work[work.length - 1]!
      const out = successors[frame.node] ?? []
      if (frame.next < out.length) {
        const child = out[frame.next++]!
        if (index[child] === -1) {
          index[child] = low[child] = counter++
          stack.push(child)
          onStack[child] = 1
          work.push({ node: child, next: 0 })
        } else if (onStack[child]) {
          low[frame.node] = Math.min(low[frame.node]!, index[child]!)
        }
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!)
      if (low[frame.node] === index[frame.node]) {
        const component: number[] = []
        let member: number
        do {
          member = stack.pop()!
          onStack[member] = 0
          componentOf[member] = reverseTopological.length
          component.push(member)
        } while (member !== frame.node)
        reverseTopological.push(component)
      }
    }
  }

  // Tarjan emits sinks first; renumber so component indices follow topological order.
  const last = reverseTopological.length - 1
  for (let node = 0; node < nodeCount; node++) componentOf[node] = last - componentOf[node]!
  const order = reverseTopological.reverse()
  const cyclic = order.map(
    (component) => component.length > 1 || (successors[component[0]!] ?? []).includes(component[0]!),
  )
  return { componentOf, order, cyclic }
}

export interface LongestPathInput {
  nodeCount: number
  edges: readonly WeightedEdge[]
  /** Value a node starts from (a trigger: 0); -Infinity where nothing starts. */
  seeds: Float64Array
  /** Added when a path passes through the node (e.g. its sends); 0 when omitted. */
  nodeWeight?: (node: number) => number
}

/**
 * The largest total along any path from a seed to each node (-Infinity when unreachable). A loop that adds
 * anything makes its nodes, and everything after them, Infinity. Linear in nodes + edges.
 */
export function longestPaths({ nodeCount, edges, seeds, nodeWeight }: LongestPathInput): Float64Array {
  const successors: number[][] = Array.from({ length: nodeCount }, () => [])
  const incoming: WeightedEdge[][] = Array.from({ length: nodeCount }, () => [])
  for (const edge of edges) {
    successors[edge.from]!.push(edge.to)
    incoming[edge.to]!.push(edge)
  }
  const { componentOf, order, cyclic } = stronglyConnectedComponents(nodeCount, successors)
  const value = new Float64Array(nodeCount).fill(Number.NEGATIVE_INFINITY)
  const weightOf = nodeWeight ?? (() => 0)

  for (let c = 0; c < order.length; c++) {
    const members = order[c]!
    if (!cyclic[c]) {
      const node = members[0]!
      let best = seeds[node]!
      for (const edge of incoming[node]!) {
        // Skipping unreachable sources also keeps -Infinity + Infinity (NaN) out of the sums.
        if (value[edge.from] !== Number.NEGATIVE_INFINITY)
          best = Math.max(best, value[edge.from]! + edge.weight)
      }
      value[node] = best === Number.NEGATIVE_INFINITY ? best : best + weightOf(node)
      continue
    }
    let best = Number.NEGATIVE_INFINITY
    let grows = false
    for (const node of members) {
      best = Math.max(best, seeds[node]!)
      if (weightOf(node) > 0) grows = true
      for (const edge of incoming[node]!) {
        if (componentOf[edge.from] === c) {
          if (edge.weight > 0) grows = true
        } else if (value[edge.from] !== Number.NEGATIVE_INFINITY) {
          best = Math.max(best, value[edge.from]! + edge.weight)
        }
      }
    }
    const result = best === Number.NEGATIVE_INFINITY ? best : grows ? Number.POSITIVE_INFINITY : best
    for (const node of members) value[node] = result
  }
  return value
}

/** A binary min-heap of (priority, node) pairs for Dijkstra. */
export class MinHeap {
  private priorities: number[] = []
  private nodes: number[] = []

  get size(): number {
    return this.nodes.length
  }

  push(priority: number, node: number): void {
    const p = this.priorities
    const n = this.nodes
    let i = n.length
    p.push(priority)
    n.push(node)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (p[parent]! <= priority) break
      p[i] = p[parent]!
      n[i] = n[parent]!
      i = parent
    }
    p[i] = priority
    n[i] = node
  }

  /** Removes the smallest entry and returns [priority, node]. */
  pop(): [number, number] {
    const p = this.priorities
    const n = this.nodes
    const top: [number, number] = [p[0]!, n[0]!]
    const lastPriority = p.pop()!
    const lastNode = n.pop()!
    const size = n.length
    if (size > 0) {
      let i = 0
      for (;;) {
        const left = 2 * i + 1
        if (left >= size) break
        const right = left + 1
        const child = right < size && p[right]! < p[left]! ? right : left
        if (p[child]! >= lastPriority) break
        p[i] = p[child]!
        n[i] = n[child]!
        i = child
      }
      p[i] = lastPriority
      n[i] = lastNode
    }
    return top
  }
}

/** Shortest totals from the seeds (Infinity when unreachable); weights must be non-negative. */
export function shortestPaths(
  nodeCount: number,
  edges: readonly WeightedEdge[],
  seeds: Float64Array,
): Float64Array {
  const outgoing: WeightedEdge[][] = Array.from({ length: nodeCount }, () => [])
  for (const edge of edges) outgoing[edge.from]!.push(edge)
  const distance = Float64Array.from(seeds)
  const heap = new MinHeap()
  for (let node = 0; node < nodeCount; node++) {
    if (distance[node]! < Number.POSITIVE_INFINITY) heap.push(distance[node]!, node)
  }
  while (heap.size > 0) {
    const [d, node] = heap.pop()
    if (d > distance[node]!) continue
    for (const edge of outgoing[node]!) {
      const candidate = d + edge.weight
      if (candidate < distance[edge.to]!) {
        distance[edge.to] = candidate
        heap.push(candidate, edge.to)
      }
    }
  }
  return distance
}
