import { describe, expect, it } from 'vitest'
import { compile } from './compile.ts'
import { FLOW_DOCUMENT_VERSION } from './document.ts'
import { parseFlowDocument, upgradeFlowDocument } from './parse.ts'
import { SimulatedRun } from './simulated-run.ts'
import { validate } from './validate.ts'

const at = (id: string, kind: string, config: object = {}) => ({ id, kind, position: { x: 0, y: 0 }, config })
const link = (source: string, target: string, sourceHandle = 'next') => ({
  id: `${source}-${sourceHandle}`,
  source,
  sourceHandle,
  target,
})
const buttons = [
  { id: 'yes', title: 'Yes please' },
  { id: 'no', title: 'No, all good' },
]

function upgraded(doc: object) {
  const result = upgradeFlowDocument({ version: 1, name: 'Old flow', ...doc })
  if (!result.ok) throw new Error(JSON.stringify(result.issues))
  return result.json as {
    version: number
    nodes: { id: string; config: Record<string, unknown> }[]
    edges: ReturnType<typeof link>[]
  }
}

const wiring = (doc: ReturnType<typeof upgraded>) =>
  doc.edges.map((e) => `${e.source}:${e.sourceHandle}->${e.target}`).sort()

describe('upgrade v1 → v2: buttons become outputs', () => {
  it('folds the Wait for reply after a message with buttons into the message', () => {
    const doc = upgraded({
      nodes: [
        at('t', 'trigger-manual'),
        at('ask', 'send-message', { text: 'More?', buttons }),
        at('wait', 'wait-for-reply', {
          branches: [{ id: 'yes', title: 'Yes please', keywords: [] }],
          timeout: { amount: 2, unit: 'hours' },
        }),
        at('more', 'send-message', { text: 'Here you go' }),
        at('bye', 'end', { outcome: 'done' }),
        at('gone', 'end', { outcome: 'no_reply' }),
      ],
      edges: [
        link('t', 'ask'),
        link('ask', 'wait'),
        link('wait', 'more', 'yes'),
        link('wait', 'bye', 'anything'),
        link('wait', 'gone', 'timeout'),
      ],
    })
    expect(doc.version).toBe(FLOW_DOCUMENT_VERSION)
    expect(doc.nodes.map((n) => n.id)).toEqual(['t', 'ask', 'more', 'bye', 'gone'])
    expect(doc.nodes[1]!.config.replyTimeout).toEqual({ amount: 2, unit: 'hours' })
    expect(wiring(doc)).toEqual([
      'ask:anything->bye',
      'ask:no->bye',
      'ask:timeout->gone',
      'ask:yes->more',
      't:next->ask',
    ])
    expect(validate(doc).filter((i) => i.severity === 'error')).toEqual([])
  })

  it('keeps a Wait for reply that other steps still lead into', () => {
    const doc = upgraded({
      nodes: [
        at('t', 'trigger-manual'),
        at('ask', 'send-message', { text: 'More?', buttons }),
        at('nudge', 'send-message', { text: 'Still there?' }),
        at('wait', 'wait-for-reply', { timeout: null }),
        at('bye', 'end'),
      ],
      edges: [link('t', 'ask'), link('ask', 'wait'), link('nudge', 'wait'), link('wait', 'bye', 'anything')],
    })
    expect(doc.nodes.map((n) => n.id)).toContain('wait')
    expect(doc.nodes[1]!.config.replyTimeout).toBeNull()
    expect(wiring(doc)).toContain('nudge:next->wait')
    expect(wiring(doc)).toContain('ask:no->bye')
  })

  it('sends every answer, and no answer within a day, to the step that came next', () => {
    const doc = upgraded({
      nodes: [at('t', 'trigger-manual'), at('ask', 'send-message', { text: 'OK?', buttons }), at('e', 'end')],
      edges: [link('t', 'ask'), link('ask', 'e')],
    })
    expect(doc.nodes[1]!.config.replyTimeout).toEqual({ amount: 1, unit: 'days' })
    expect(wiring(doc)).toEqual([
      'ask:anything->e',
      'ask:no->e',
      'ask:timeout->e',
      'ask:yes->e',
      't:next->ask',
    ])
  })

  it('leaves messages without buttons and broken envelopes alone', () => {
    const plain = upgraded({
      nodes: [at('t', 'trigger-manual'), at('m', 'send-message', { text: 'Hi' })],
      edges: [link('t', 'm')],
    })
    expect(plain.nodes[1]!.config).toEqual({ text: 'Hi' })
    expect(wiring(plain)).toEqual(['t:next->m'])
    expect(upgradeFlowDocument({ version: 1, name: 'x', nodes: 'none', edges: [] })).toMatchObject({
      ok: true,
      json: { nodes: 'none' },
    })
  })

  it('a tap on an upgraded message follows its button', () => {
    const parsed = parseFlowDocument({
      version: 1,
      name: 'Old flow',
      nodes: [
        at('t', 'trigger-manual'),
        at('ask', 'send-message', { text: 'More?', buttons }),
        at('wait', 'wait-for-reply', { branches: [{ id: 'yes', title: 'Yes please', keywords: [] }] }),
        at('yes', 'end', { outcome: 'wants_more' }),
        at('else', 'end', { outcome: 'other' }),
      ],
      edges: [
        link('t', 'ask'),
        link('ask', 'wait'),
        link('wait', 'yes', 'yes'),
        link('wait', 'else', 'anything'),
      ],
    })
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
    const run = new SimulatedRun(compile(parsed.doc), { vars: {}, seed: 's' }, 0)
    run.send({ type: 'message.received', text: 'Yes please', buttonId: 'yes' })
    expect(run.outcome).toBe('wants_more')
  })
})
