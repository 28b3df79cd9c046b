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

/**
 * What the editor keeps of analyze(): the figures for the whole flow, not the per-step ones. The per-step
 * figures of a 1,000-step flow are ~145 kB that the worker would clone back to the page on every check
 * (~8.6 ms per clone at load ~20, vs 0.03 ms without them) while nothing in the editor reads them.
 */
export type FlowAnalysisSummary = Omit<FlowAnalysis, 'nodes'>

export interface DocumentCheck {
  issues: FlowIssue[]
  /** Null while the document does not parse (e.g. mid-edit): the editor keeps its last good analysis. */
  analysis: FlowAnalysisSummary | null
}

function summaryOf(analysis: FlowAnalysis): FlowAnalysisSummary {
  const { nodes: _perStep, ...summary } = analysis
  return summary
}

export function checkDocument(doc: RawFlowDocument): DocumentCheck {
  const issues = validate(doc)
  const parsed = parseFlowDocument(doc)
  return { issues, analysis: parsed.ok ? summaryOf(analyze(parsed.doc)) : null }
}
