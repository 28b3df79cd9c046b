// The shared test for trigger kinds without settings (cart abandoned, order created, order shipped, manual):
// they differ only in the event that starts them and the variables they bring into the run.

import { describe, expect, it } from 'vitest'
import { compile } from '../compile.ts'
import { FLOW_DOCUMENT_VERSION } from '../document.ts'
import { parseFlowDocument } from '../parse.ts'
import { start } from '../stepper.ts'
import { getNodeKind, type NodeKindId } from './index.ts'
import { runNode } from './node-test-kit.ts'
import type { TriggerSpec } from './types.ts'

export function describeSettinglessTrigger(kindId: NodeKindId, trigger: TriggerSpec, writes: string[]): void {
  const kind = getNodeKind(kindId)
  if (!kind) throw new Error(`No node kind ${kindId}`)
  describe(kindId, () => {
    it('parses its defaults and describes its trigger', () => {
      expect(kind.configSchema.parse(kind.defaults)).toEqual({})
      expect(kind.handles({}).map((h) => h.id)).toEqual(['next'])
      expect(kind.facts({})).toMatchObject({
        trigger,
        sends: 0,
        waits: false,
        opensWindow: [],
        writes,
        timing: { next: { min: 0, max: 0 } },
      })
      expect(kind.check({}, { nodeId: 't', nodeLabel: 'Start', channels: ['webchat'] })).toEqual([])
    })

    it('passes straight on to the next step', () => {
      const run = runNode(kindId)
      expect(run.last.visited).toEqual(['start', 'n', 'to-next'])
      expect(run.outcome).toBe('next')
    })

    it('is chosen by the start input when the flow has several triggers', () => {
      const parsed = parseFlowDocument({
        version: FLOW_DOCUMENT_VERSION,
        name: 'two triggers',
        nodes: [
          { id: 'other', kind: 'trigger-message', position: { x: 0, y: 0 }, config: {} },
          { id: 'this', kind: kindId, position: { x: 0, y: 0 }, config: {} },
          { id: 'a', kind: 'end', position: { x: 0, y: 0 }, config: { outcome: 'a' } },
          { id: 'b', kind: 'end', position: { x: 0, y: 0 }, config: { outcome: 'b' } },
        ],
        edges: [
          { id: '1', source: 'other', target: 'a' },
          { id: '2', source: 'this', target: 'b' },
        ],
      })
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
      const machine = compile(parsed.doc)
      const chosen = start(machine, { triggerNodeId: 'this', vars: {}, seed: 's' }, { now: 0 })
      expect(chosen.visited).toEqual(['this', 'b'])
      expect(chosen.outcome).toBe('b')
      // Without a trigger id the first trigger starts; an unknown one ends the run at once.
      expect(start(machine, { vars: {}, seed: 's' }, { now: 0 }).visited).toEqual(['other', 'a'])
      expect(start(machine, { triggerNodeId: 'nope', vars: {}, seed: 's' }, { now: 0 }).outcome).toBe(
        'no_trigger',
      )
    })
  })
}
