// What live validation computes for one document: packages/flow's validate() issues and, when the document
// parses, its analyze() summary. Shared by the main thread and the validation worker.
import {
  analyze,
  type FlowAnalysis,
  type FlowIssue,
  parseFlowDocument,
  type RawFlowDocument,
  validate,
} from '@parley/flow'

export interface DocumentCheck {
  issues: FlowIssue[]
  /** Null while the document does not parse (e.g. mid-edit): the editor keeps its last good analysis. */
  analysis: FlowAnalysis | null
}

export function checkDocument(doc: RawFlowDocument): DocumentCheck {
  const issues = validate(doc)
  const parsed = parseFlowDocument(doc)
  return { issues, analysis: parsed.ok ? analyze(parsed.doc) : null }
}
