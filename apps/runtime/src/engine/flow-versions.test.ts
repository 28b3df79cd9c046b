import { parseFlowDocument } from '@parley/flow'
import { describe, expect, it } from 'vitest'
import { createFlowVersionCache, versionWeight, waitsByNode } from './flow-versions.ts'

/** The cache weighs a version by its JSON size only; the rest of a loaded version does not matter here. */
const version = (id: string, jsonBytes: number) => ({ id, jsonBytes })

describe('the compiled-version cache', () => {
  it('is bounded by the memory its versions hold, not by how many there are', () => {
    const cache = createFlowVersionCache<ReturnType<typeof version>>(10 * 1024 * 1024)
    // Five 300 KB flows weigh ~4.8 MB each: only the two most recent fit.
    for (let i = 0; i < 5; i++) cache.set(`big-${i}`, version(`big-${i}`, 300 * 1024))
    expect([...cache.keys()].sort()).toEqual(['big-3', 'big-4'])
    // Hundreds of small flows fit where two large ones did.
    cache.clear()
    for (let i = 0; i < 500; i++) cache.set(`small-${i}`, version(`small-${i}`, 1024))
    expect(cache.size).toBe(500)
    expect(cache.calculatedSize).toBe(500 * versionWeight(version('x', 1024)))
  })
})

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
