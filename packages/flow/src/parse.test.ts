import { describe, expect, it } from 'vitest'
import { FLOW_DOCUMENT_VERSION, FLOW_LIMITS } from './document.ts'
import { parseFlowDocument, upgradeFlowDocument } from './parse.ts'
import { validate } from './validate.ts'

const base = {
  version: 1,
  name: 'Welcome',
  nodes: [
    { id: 'start', kind: 'trigger-message', position: { x: 0, y: 0 }, config: { match: 'any' } },
    { id: 'hello', kind: 'send-message', name: 'Hello', position: { x: 0, y: 100 }, config: { text: 'Hi!' } },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'hello' }],
}

describe('upgradeFlowDocument', () => {
  it('passes the current version through and refuses newer or missing versions', () => {
    const current = { ...base, version: FLOW_DOCUMENT_VERSION }
    expect(upgradeFlowDocument(current)).toEqual({ ok: true, json: current })
    const newer = upgradeFlowDocument({ ...base, version: FLOW_DOCUMENT_VERSION + 1 })
    expect(newer.ok === false && newer.issues[0]!.code).toBe('unsupported_version')
    const missing = upgradeFlowDocument({ ...base, version: '1' })
    expect(missing.ok === false && missing.issues[0]!.code).toBe('invalid_document')
    expect(upgradeFlowDocument({ ...base, version: 0 }).ok).toBe(false)
  })
})

describe('parseFlowDocument', () => {
  it('fills kind defaults and envelope defaults', () => {
    const parsed = parseFlowDocument(base)
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
    expect(parsed.doc.nodes[0]!.config).toEqual({ match: 'any', keywords: [] })
    expect(parsed.doc.nodes[1]!.config).toMatchObject({
      text: 'Hi!',
      buttons: [],
      purpose: 'service',
      whatsappTemplate: null,
    })
    expect(parsed.doc.edges[0]!.sourceHandle).toBe('next')
    expect(parsed.doc.settings).toEqual({
      description: '',
      channels: ['webchat', 'whatsapp', 'telegram'],
      exitEvents: [],
    })
  })

  it('treats an empty or null config as all defaults', () => {
    for (const config of [{}, null]) {
      const parsed = parseFlowDocument({
        ...base,
        nodes: [{ id: 'd', kind: 'delay', position: { x: 0, y: 0 }, config }],
        edges: [],
      })
      expect(parsed.ok && parsed.doc.nodes[0]!.config).toEqual({
        mode: 'duration',
        duration: { amount: 1, unit: 'hours' },
      })
    }
  })

  it('points config issues at the node, with the merchant’s name and the field', () => {
    const parsed = parseFlowDocument({
      ...base,
      nodes: [base.nodes[0], { ...base.nodes[1], config: { text: 'Hi', purpose: 'spam' } }],
    })
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.issues).toHaveLength(1)
    expect(parsed.issues[0]).toMatchObject({ severity: 'error', code: 'invalid_config', nodeId: 'hello' })
    expect(parsed.issues[0]!.message).toMatch(/^The settings of 'Hello' are invalid \(purpose\): /)
  })

  it('reports unknown kinds, duplicate ids and non-object configs per node', () => {
    const parsed = parseFlowDocument({
      ...base,
      nodes: [
        ...base.nodes,
        { id: 'hello', kind: 'end', position: { x: 0, y: 0 }, config: {} },
        { id: 'x', kind: 'teleport', position: { x: 0, y: 0 }, config: {} },
        { id: 'y', kind: 'end', position: { x: 0, y: 0 }, config: 'done' },
      ],
    })
    expect(parsed.ok === false && parsed.issues.map((i) => [i.code, i.nodeId])).toEqual([
      ['duplicate_node_id', 'hello'],
      ['unknown_kind', 'x'],
      ['invalid_config', 'y'],
    ])
  })

  it('never throws, whatever it is given', () => {
    const weird: unknown[] = [
      null,
      undefined,
      42,
      'flow',
      [],
      {},
      { version: 1 },
      { ...base, nodes: 'none' },
      { ...base, nodes: [null] },
      { ...base, nodes: [{ id: 'a', kind: 'end', position: { x: 0, y: 0 }, config: [] }] },
      {
        ...base,
        nodes: [
          { id: '__proto__', kind: 'end', position: { x: 0, y: 0 }, config: { __proto__: { outcome: 1 } } },
        ],
      },
      JSON.parse('{"version":1,"name":"x","nodes":[],"edges":[],"__proto__":{"polluted":true}}'),
    ]
    for (const input of weird) {
      const parsed = parseFlowDocument(input)
      expect(typeof parsed.ok).toBe('boolean')
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('size limits', () => {
  const node = (i: number) => ({ id: `n${i}`, kind: 'end', position: { x: 0, y: 0 }, config: {} })
  const base = { version: 1, name: 'Big', edges: [], settings: {} }

  it('refuses more steps or connections than the limits, before reading them', () => {
    const many = { ...base, nodes: Array.from({ length: FLOW_LIMITS.maxNodes + 1 }, (_, i) => node(i)) }
    expect(parseFlowDocument(many)).toEqual({
      ok: false,
      issues: [
        {
          severity: 'error',
          code: 'document_too_large',
          message: 'This flow has 1001 steps; a flow can have at most 1000',
        },
      ],
    })
    expect(validate(many).map((i) => i.code)).toEqual(['document_too_large'])
    const edges = Array.from({ length: FLOW_LIMITS.maxEdges + 1 }, (_, i) => ({
      id: `e${i}`,
      source: 'n0',
      target: 'n0',
    }))
    expect(parseFlowDocument({ ...base, nodes: [node(0)], edges })).toMatchObject({
      ok: false,
      issues: [{ code: 'document_too_large', message: expect.stringContaining('at most 2000') }],
    })
    const atLimit = { ...base, nodes: Array.from({ length: FLOW_LIMITS.maxNodes }, (_, i) => node(i)) }
    expect(parseFlowDocument(atLimit).ok).toBe(true)
  })

  it('refuses a document larger than 512 KB', () => {
    const long = 'x'.repeat(4000)
    const nodes = Array.from({ length: 150 }, (_, i) => ({
      id: `n${i}`,
      kind: 'send-message',
      position: { x: 0, y: 0 },
      config: { text: long },
    }))
    const result = parseFlowDocument({ ...base, nodes })
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'document_too_large' }] })
    expect(result.ok || result.issues[0]!.message).toMatch(/takes 59\d KB; a flow can take at most 512 KB/)
  })
})
