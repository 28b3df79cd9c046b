import { describe, expect, it } from 'vitest'
import type { EditorGraph } from '../store/convert.ts'
import { stepVariables } from './variables.ts'

function graph(nodes: [string, string, object?, string?][], edges: [string, string][]): EditorGraph {
  return {
    nodes: nodes.map(([id, kind, config = {}, name]) => ({
      id,
      type: kind,
      position: { x: 0, y: 0 },
      data: { kind, config, ...(name ? { name } : {}) },
    })),
    edges: edges.map(([source, target], i) => ({ id: `e${i}`, source, target, sourceHandle: 'next' })),
  }
}

const labels = (groups: ReturnType<typeof stepVariables>) =>
  Object.fromEntries(groups.map((g) => [g.label, g.items.map((i) => i.label)]))

describe('variables a step can use', () => {
  it('offers what the trigger provides: a cart flow has a cart and no order', () => {
    const groups = stepVariables(
      graph(
        [
          ['t', 'trigger-cart-abandoned'],
          ['m', 'send-message'],
        ],
        [['t', 'm']],
      ),
      'm',
    )
    expect(groups.map((g) => g.label)).toEqual(['The shopper and their cart'])
    const items = groups[0]!.items
    expect(items.map((i) => i.label)).toContain("First item's name")
    expect(items.map((i) => i.label)).toContain("Shopper's first name")
    expect(items.some((i) => i.path.startsWith('order.'))).toBe(false)
    expect(items.every((i) => !/[[\]{}]/.test(i.label))).toBe(true)
  })

  it('adds answers collected and lookups made before the step, not after it', () => {
    const g = graph(
      [
        ['t', 'trigger-message'],
        [
          'ask',
          'collect-input',
          { variable: 'order_number', inputType: 'order_number' },
          'Ask for the number',
        ],
        ['size', 'collect-input', { variable: 'size', inputType: 'text' }, 'Ask the size'],
        ['find', 'lookup-order', { source: 'variable', variable: 'order_number' }],
        ['m', 'send-message'],
        ['later', 'collect-input', { variable: 'rating' }],
      ],
      [
        ['t', 'ask'],
        ['ask', 'size'],
        ['size', 'find'],
        ['find', 'm'],
        ['m', 'later'],
      ],
    )
    expect(labels(stepVariables(g, 'm'))).toMatchObject({
      'Answers collected before this step': ['Order number the shopper typed', 'Answer to “Ask the size”'],
      'Found order': expect.arrayContaining(['Order number', 'Tracking link']),
    })
    expect(stepVariables(g, 'm').flatMap((x) => x.items.map((i) => i.path))).not.toContain('rating')
    expect(stepVariables(g, 'ask').map((x) => x.label)).toEqual(['The shopper and their message'])
  })

  it('uses the flow’s triggers for a step not connected yet', () => {
    const g = graph(
      [
        ['t', 'trigger-order-shipped'],
        ['m', 'send-message'],
      ],
      [],
    )
    expect(stepVariables(g, 'm')[0]!.items.map((i) => i.path)).toContain('order.trackingUrl')
  })
})
