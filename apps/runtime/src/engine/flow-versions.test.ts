import { parseFlowDocument } from '@parley/flow'
import { describe, expect, it } from 'vitest'
import { waitsByNode } from './flow-versions.ts'

describe('what a run resting on a node waits for', () => {
  it('a message with quick-reply buttons waits for the reply; one without goes on at once', () => {
    const parsed = parseFlowDocument({
      version: 2,
      name: 'Buttons',
      nodes: [
        { id: 't', kind: 'trigger-manual', position: { x: 0, y: 0 }, config: {} },
        {
          id: 'ask',
          kind: 'send-message',
          position: { x: 0, y: 100 },
          config: { text: 'Anything else?', buttons: [{ id: 'done', title: 'No, all good' }] },
        },
        { id: 'plain', kind: 'send-message', position: { x: 0, y: 200 }, config: { text: 'Bye' } },
        { id: 'staff', kind: 'escalate', position: { x: 0, y: 300 }, config: {} },
      ],
      edges: [],
    })
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
    expect([...waitsByNode(parsed.doc)]).toEqual([
      ['ask', 'reply'],
      ['staff', 'handback'],
    ])
  })
})
