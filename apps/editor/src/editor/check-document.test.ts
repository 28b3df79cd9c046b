import { analyze, cartRecoveryFlow, parseFlowDocument } from '@parley/flow'
import { describe, expect, it } from 'vitest'
import { checkDocument } from './check-document.ts'

describe('a live check of the document', () => {
  it("keeps the flow's figures and summary, not the per-step figures nothing in the editor reads", () => {
    const parsed = parseFlowDocument(cartRecoveryFlow)
    if (!parsed.ok) throw new Error('the template does not parse')
    const { nodes: _perStep, ...whole } = analyze(parsed.doc)
    const check = checkDocument(cartRecoveryFlow)
    expect(check.analysis).toEqual(whole)
    expect(check.analysis?.summary).toMatch(/messages per shopper/)
    expect(check.analysis).not.toHaveProperty('nodes')
  })

  it('has no analysis while the document does not parse', () => {
    const broken = { ...cartRecoveryFlow, nodes: [{ id: 'x', kind: 'send-message', position: {} }] }
    expect(checkDocument(broken as never).analysis).toBeNull()
  })
})
