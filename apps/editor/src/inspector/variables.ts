// The variables a step can use: the store-provided ones (contact, cart, order, store) and those written
// by steps upstream of it (collected answers, replies, lookups).
import { getNodeKind } from '@parley/flow'
import { createContext, useContext } from 'react'
import { leafPaths, sampleVars } from '../simulator/sample-data.ts'
import type { EditorGraph } from '../store/convert.ts'

export interface VariableGroup {
  label: string
  paths: string[]
}

const BUILT_IN_GROUPS: VariableGroup[] = ['contact', 'cart', 'order', 'store'].map((root) => ({
  label: root[0]!.toUpperCase() + root.slice(1),
  paths: leafPaths(sampleVars[root], root),
}))

/** Variables written by nodes from which `nodeId` can be reached. */
export function upstreamWrites(graph: EditorGraph, nodeId: string): string[] {
  const incoming = new Map<string, string[]>()
  for (const edge of graph.edges) {
    const list = incoming.get(edge.target) ?? []
    list.push(edge.source)
    incoming.set(edge.target, list)
  }
  const seen = new Set<string>([nodeId])
  const queue = [nodeId]
  while (queue.length > 0) {
    for (const source of incoming.get(queue.pop()!) ?? []) {
      if (!seen.has(source)) {
        seen.add(source)
        queue.push(source)
      }
    }
  }
  const writes = new Set<string>()
  for (const node of graph.nodes) {
    if (node.id === nodeId || !seen.has(node.id)) continue
    const kind = getNodeKind(node.data.kind)
    try {
      for (const name of kind?.facts(node.data.config).writes ?? []) {
        if (!['contact', 'cart', 'order', 'store', 'trigger'].includes(name)) writes.add(name)
      }
    } catch {
      // A config that does not parse yet writes nothing.
    }
  }
  return [...writes].sort()
}

export function variableGroups(upstream: string[]): VariableGroup[] {
  return upstream.length > 0
    ? [{ label: 'From earlier steps', paths: upstream }, ...BUILT_IN_GROUPS]
    : BUILT_IN_GROUPS
}

export const VariablesContext = createContext<VariableGroup[]>(BUILT_IN_GROUPS)

export function useVariableGroups(): VariableGroup[] {
  return useContext(VariablesContext)
}
