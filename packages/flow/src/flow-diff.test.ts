import { describe, expect, it } from 'vitest'
import type { RawFlowDocument } from './document.ts'
import { diffFlows, isEmptyDiff } from './flow-diff.ts'
import { whereIsMyOrderFlow } from './starter-flows/where-is-my-order.ts'

const clone = () => structuredClone(whereIsMyOrderFlow) as unknown as RawFlowDocument

describe('diffFlows', () => {
  it('finds nothing between a flow and itself, and ignores moved steps', () => {
    const moved = clone()
    for (const n of moved.nodes) n.position = { x: n.position.x + 40, y: n.position.y - 10 }
    const diff = diffFlows(whereIsMyOrderFlow, moved)
    expect(isEmptyDiff(diff)).toBe(true)
    expect(diff.status).toEqual({})
  })

  it('lists steps added, removed and changed, with what changed in words', () => {
    const after = clone()
    after.nodes = after.nodes.filter((n) => n.id !== 'no-reply')
    after.edges = after.edges.filter((e) => e.target !== 'no-reply')
    after.nodes.push({
      id: 'sorry',
      kind: 'send-message',
      name: 'Sorry, no answer',
      position: { x: 0, y: 0 },
      config: {
        text: 'We will write again',
        imageUrl: '',
        product: null,
        buttons: [],
        purpose: 'service',
        whatsappTemplate: null,
        replyTimeout: null,
      },
    })
    after.edges.push({ id: 'e-sorry', source: 'order-number', sourceHandle: 'timeout', target: 'sorry' })
    const ask = after.nodes.find((n) => n.id === 'order-number')!
    ask.config = { ...(ask.config as object), prompt: 'Your order number, please?' }

    const diff = diffFlows(whereIsMyOrderFlow, after)
    expect(diff.added).toEqual([{ nodeId: 'sorry', name: 'Sorry, no answer' }])
    expect(diff.removed).toEqual([{ nodeId: 'no-reply', name: 'No reply' }])
    expect(diff.changed).toEqual([
      {
        nodeId: 'order-number',
        name: 'Ask for the order number',
        changes: ['The question changed', '“No reply” now leads to “Sorry, no answer”'],
      },
    ])
    expect(diff.status).toEqual({ sorry: 'added', 'no-reply': 'removed', 'order-number': 'changed' })
  })

  it('says when an output stops leading anywhere, and names renames and flow-wide changes', () => {
    const after = clone()
    after.name = 'Order help'
    after.settings = { ...after.settings, channels: ['webchat'] }
    after.edges = after.edges.filter((e) => !(e.source === 'find-order' && e.sourceHandle === 'not_found'))
    after.nodes.find((n) => n.id === 'find-order')!.name = 'Look the order up'
    const diff = diffFlows(whereIsMyOrderFlow, after)
    expect(diff.flow).toEqual([
      'Renamed from “Where is my order?” to “Order help”',
      'The channels it runs on changed',
    ])
    expect(diff.changed).toHaveLength(1)
    expect(diff.changed[0]!.changes).toEqual([
      'Renamed from “Find the order”',
      '“Not found” no longer leads anywhere (the conversation ends there)',
    ])
  })

  it('does not read a different key order as a change', () => {
    const after = clone()
    const n = after.nodes.find((x) => x.id === 'order-number')!
    n.config = Object.fromEntries(Object.entries(n.config as object).reverse())
    expect(isEmptyDiff(diffFlows(whereIsMyOrderFlow, after))).toBe(true)
  })
})
