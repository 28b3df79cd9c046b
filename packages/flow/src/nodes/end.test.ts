import { describe, expect, it } from 'vitest'
import { compile } from '../compile.ts'
import { parseFlowDocument } from '../parse.ts'
import { start } from '../stepper.ts'
import { end, endDefaults } from './end.ts'

describe('end', () => {
  it('parses its defaults: completed', () => {
    expect(end.configSchema.parse(endDefaults)).toEqual({ outcome: 'completed' })
    expect(end.handles(endDefaults)).toEqual([])
    expect(end.facts(endDefaults)).toMatchObject({ terminal: true, waits: false, timing: {} })
    expect(end.configSchema.safeParse({ outcome: 'Not Recovered' }).success).toBe(false)
  })

  it('finishes the run with its outcome, and a handle wired nowhere finishes as completed', () => {
    const parsed = parseFlowDocument({
      version: 1,
      name: 'ends',
      nodes: [
        { id: 't', kind: 'trigger-manual', position: { x: 0, y: 0 }, config: {} },
        { id: 'e', kind: 'end', position: { x: 0, y: 0 }, config: { outcome: 'won' } },
        { id: 't2', kind: 'trigger-manual', position: { x: 0, y: 0 }, config: {} },
      ],
      edges: [{ id: '1', source: 't', target: 'e' }],
    })
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
    const machine = compile(parsed.doc)
    expect(start(machine, { vars: {}, seed: 's' }, { now: 0 })).toMatchObject({
      status: 'done',
      outcome: 'won',
      visited: ['t', 'e'],
      activeNodeIds: [],
    })
    expect(start(machine, { triggerNodeId: 't2', vars: {}, seed: 's' }, { now: 0 })).toMatchObject({
      status: 'done',
      outcome: 'completed',
    })
  })
})
