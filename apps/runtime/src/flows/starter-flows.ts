// The starter flows a merchant can create a flow from, as packages/flow ships them.
import type { FlowDocumentJson } from '@parley/api'

export interface StarterFlow {
  id: string
  name: string
  description: string
  document: FlowDocumentJson
}

export const starterFlows: StarterFlow[] = []

export function findStarterFlow(id: string): StarterFlow | undefined {
  return starterFlows.find((starter) => starter.id === id)
}
