// The checks of a flow document (parse, validate, analyze) as one task, run in a worker thread for large
// flows (flow-checker.ts) and inline for small ones: the same function either way.
import type { FlowAnalysisJson } from '@parley/api'
import { parseEgressAllowList } from '@parley/flow'
import { analysisJson, checkFlowDocument, type DocumentCheck } from './flow-documents.ts'

export interface FlowCheckTask {
  document: unknown
  /** EGRESS_ALLOW_LIST as written (its parsed form does not survive the trip to a worker). */
  allowList: string
  analysis: boolean
}

export interface FlowCheckResult {
  check: DocumentCheck
  /** analyze() as JSON when asked for and the document parses. */
  analysis: FlowAnalysisJson | null
}

export default function runFlowCheck(task: FlowCheckTask): FlowCheckResult {
  const check = checkFlowDocument(task.document, { egressAllowList: parseEgressAllowList(task.allowList) })
  return { check, analysis: task.analysis && check.parsed ? analysisJson(check.doc) : null }
}
