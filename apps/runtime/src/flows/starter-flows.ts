// The starter flows a merchant can create a flow from: packages/flow's templates, as JSON documents.
import type { FlowDocumentJson } from '@parley/api'
import { starterFlows as flowStarters } from '@parley/flow'

export interface StarterFlow {
  id: string
  name: string
  description: string
  document: FlowDocumentJson
}

export const starterFlows: StarterFlow[] = flowStarters.map((starter) => ({
  id: starter.id,
  name: starter.title,
  description: starter.description,
  document: JSON.parse(JSON.stringify(starter.doc)) as FlowDocumentJson,
}))

export function findStarterFlow(id: string): StarterFlow | undefined {
  return starterFlows.find((starter) => starter.id === id)
}
