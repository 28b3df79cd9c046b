import { describe, expect, it } from 'vitest'
import { whereIsMyOrderFlow } from './starter-flows/where-is-my-order.ts'
import { edge, flowDocument, node } from './test-support/flow-builder.ts'
import { triggerOverlaps } from './trigger-overlap.ts'

const keywordFlow = (keywords: string[]) =>
  flowDocument(
    [node('t', 'trigger-message', { match: 'keyword', keywords }), node('m', 'send-message', { text: 'Hi' })],
    [edge('t', 'm')],
  )
const eventFlow = (kind: string) =>
  flowDocument([node('t', kind), node('m', 'send-message', { text: 'Hi' })], [edge('t', 'm')])

describe('triggerOverlaps', () => {
  it('names the other flow and the shared words, and says which flow the runtime starts', () => {
    const draft = keywordFlow(['order', 'parcel'])
    const overlaps = triggerOverlaps(draft, [
      { flowId: 'f1', name: 'Where is my order', document: whereIsMyOrderFlow },
    ])
    expect(overlaps).toHaveLength(1)
    expect(overlaps[0]).toMatchObject({
      flowId: 'f1',
      flowName: 'Where is my order',
      kind: 'keyword',
      words: ['order'],
    })
    expect(overlaps[0]!.message).toMatch(/^“Where is my order” also starts on “order”\./)
    expect(overlaps[0]!.message).toContain('published most recently')
  })

  it('matches the way the runtime does: case-insensitively, a keyword anywhere inside another', () => {
    const overlaps = triggerOverlaps(keywordFlow(['TRACKING', 'Status']), [
      { flowId: 'f1', name: 'Orders', document: whereIsMyOrderFlow },
    ])
    // "status" is inside "order status"; "TRACKING" equals "tracking".
    expect(overlaps[0]!.words).toEqual(['TRACKING', 'Status'])
  })

  it('finds nothing for different words, or a keyword flow next to an "any message" flow (keywords go first by design)', () => {
    const anyMessage = flowDocument([node('t', 'trigger-message', { match: 'any' })], [])
    expect(
      triggerOverlaps(keywordFlow(['size', 'fit']), [
        { flowId: 'f1', name: 'Orders', document: whereIsMyOrderFlow },
        { flowId: 'f2', name: 'Anything', document: anyMessage },
      ]),
    ).toEqual([])
  })

  it('warns when two flows both answer any message: only one of them starts', () => {
    const anyMessage = flowDocument([node('t', 'trigger-message', { match: 'any' })], [])
    const [overlap] = triggerOverlaps(anyMessage, [{ flowId: 'f2', name: 'Help desk', document: anyMessage }])
    expect(overlap).toMatchObject({ kind: 'any-message', flowName: 'Help desk' })
    expect(overlap!.message).toContain('“Help desk” also starts on any message')
  })

  it('warns that two flows on the same store event both run', () => {
    const overlaps = triggerOverlaps(eventFlow('trigger-cart-abandoned'), [
      { flowId: 'f3', name: 'Old cart reminder', document: eventFlow('trigger-cart-abandoned') },
      { flowId: 'f4', name: 'Thanks', document: eventFlow('trigger-order-created') },
    ])
    expect(overlaps).toHaveLength(1)
    expect(overlaps[0]).toMatchObject({ kind: 'event', flowId: 'f3' })
    expect(overlaps[0]!.message).toContain('also starts when a cart is abandoned. Both flows run')
  })

  it('ignores blank keywords and manual triggers', () => {
    expect(
      triggerOverlaps(keywordFlow(['  ']), [
        { flowId: 'f', name: 'X', document: keywordFlow(['', 'order']) },
      ]),
    ).toEqual([])
    expect(
      triggerOverlaps(eventFlow('trigger-manual'), [
        { flowId: 'f', name: 'X', document: eventFlow('trigger-manual') },
      ]),
    ).toEqual([])
  })

  it('warns when both flows start on a greeting, and names the new shipping events', () => {
    const hello = flowDocument([node('t', 'trigger-message', { match: 'greeting' })], [])
    const [greeting] = triggerOverlaps(hello, [{ flowId: 'w', name: 'Welcome', document: hello }])
    expect(greeting).toMatchObject({ kind: 'greeting', flowName: 'Welcome' })
    expect(greeting?.message).toContain('also starts when a shopper says hello')
    const delivered = flowDocument([node('t', 'trigger-order-delivered', {})], [])
    const [event] = triggerOverlaps(delivered, [
      { flowId: 's', name: 'Shipping updates', document: delivered },
    ])
    expect(event?.message).toContain('when an order is delivered')
  })
})
