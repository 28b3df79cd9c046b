import { describe, expect, it } from 'vitest'
import { analyze } from './analyze.ts'
import { cartRecoveryFlow } from './starter-flows/cart-recovery.ts'
import {
  cartRecoveryByHand,
  edge,
  flowDocument,
  hours,
  node,
  parsedFlow,
} from './test-support/flow-builder.ts'
import { validate } from './validate.ts'

const H = 60 * 60 * 1000

describe('analyze: the cart-recovery starter flow (acceptance 4)', () => {
  const analysis = analyze(parsedFlow(cartRecoveryFlow))
  const sends = (ids: string[]) => ids.map((id) => cartRecoveryFlow.nodes.find((n) => n.id === id)?.name)

  it('reports at most 3 messages per run', () => {
    expect(analysis.maxMessagesPerRun).toBe(3)
    expect(analysis.maxMessagesPer24h).toBe(2)
  })

  it('flags the 24 h and 72 h sends as outside the window, not the 1 h reminder', () => {
    expect(sends(analysis.sendsNeedingTemplate)).toEqual(['Social proof', 'Personal offer'])
    const reminder = cartRecoveryFlow.nodes.find((n) => n.name === 'Reminder')!
    expect(analysis.nodes[reminder.id]).toMatchObject({ earliestMs: H, latestMs: H, needsTemplate: false })
  })

  it('treats the reply branch as inside the window', () => {
    const staff = cartRecoveryFlow.nodes.find((n) => n.kind === 'escalate')!
    expect(analysis.nodes[staff.id]!.sinceLastInboundMs).toBe(0)
  })

  it('validates clean', () => {
    expect(validate(cartRecoveryFlow)).toEqual([])
  })
})

describe('analyze: cart recovery built by hand', () => {
  const analysis = analyze(parsedFlow(cartRecoveryByHand()))

  it('counts at most 3 messages per run and 2 in any 24 h', () => {
    expect(analysis.maxMessagesPerRun).toBe(3)
    expect(analysis.maxMessagesPer24h).toBe(2)
  })

  it('flags the 24 h and 72 h sends as outside the window, not the 1 h reminder', () => {
    expect(analysis.sendsNeedingTemplate).toEqual(['social', 'incentive'])
    expect(analysis.nodes.reminder!.needsTemplate).toBe(false)
    expect(analysis.nodes.reminder!.sinceLastInboundMs).toBe(H)
    expect(analysis.nodes.social!.sinceLastInboundMs).toBe(24 * H)
    expect(analysis.nodes.incentive!.sinceLastInboundMs).toBe(72 * H)
  })

  it('times every step after the trigger', () => {
    const times = (id: string) => [analysis.nodes[id]!.earliestMs / H, analysis.nodes[id]!.latestMs / H]
    expect(times('trigger')).toEqual([0, 0])
    expect(times('reminder')).toEqual([1, 1])
    expect(times('social')).toEqual([24, 24])
    expect(times('incentive')).toEqual([72, 72])
    expect(times('lost')).toEqual([120, 120])
    // A reply can come the moment the reminder lands, or just before the last wait times out.
    expect(times('staff')).toEqual([1, 120])
    // Staff may take as long as they like before handing back.
    expect(times('helped')).toEqual([1, Number.POSITIVE_INFINITY])
    expect(analysis.nodes.staff!.sinceLastInboundMs).toBe(0)
  })

  it('summarises for the editor', () => {
    expect(analysis.summary).toBe(
      'At most 3 messages per shopper (2 in any 24 h); 2 sends need a WhatsApp template',
    )
  })

  it('leaves the template count out of the summary when the flow is not on WhatsApp', () => {
    const webOnly = analyze(parsedFlow(cartRecoveryByHand({ channels: ['webchat'] })))
    expect(webOnly.summary).toBe('At most 3 messages per shopper (2 in any 24 h)')
    expect(webOnly.sendsNeedingTemplate).toEqual(['social', 'incentive'])
  })
})

describe('analyze: windows and loops', () => {
  it('treats a send reached through a reply as inside the window', () => {
    const doc = flowDocument(
      [
        node('t', 'trigger-manual'),
        node('d', 'delay', { mode: 'duration', duration: hours(30) }),
        node('ask', 'send-message', { text: 'Still there?' }),
        node('w', 'wait-for-reply', { timeout: hours(100) }),
        node('thanks', 'send-message', { text: 'Thanks!' }),
        node('bye', 'send-message', { text: 'Bye' }),
        node('e', 'end'),
      ],
      [
        edge('t', 'd'),
        edge('d', 'ask'),
        edge('ask', 'w'),
        edge('w', 'thanks', 'anything'),
        edge('w', 'bye', 'timeout'),
        edge('thanks', 'e'),
        edge('bye', 'e'),
      ],
    )
    const analysis = analyze(parsedFlow(doc))
    expect(analysis.sendsNeedingTemplate).toEqual(['ask', 'bye'])
    expect(analysis.nodes.thanks!.sinceLastInboundMs).toBe(0)
    expect(analysis.nodes.thanks!.latestMs).toBe(130 * H)
  })

  it('reports Infinity for a loop that repeats sends, with a finite 24 h count when the loop waits', () => {
    const doc = flowDocument(
      [
        node('t', 'trigger-manual'),
        node('nudge', 'send-message', { text: 'Any news?' }),
        node('d', 'delay', { mode: 'duration', duration: hours(5) }),
      ],
      [edge('t', 'nudge'), edge('nudge', 'd'), edge('d', 'nudge')],
    )
    const analysis = analyze(parsedFlow(doc))
    expect(analysis.maxMessagesPerRun).toBe(Number.POSITIVE_INFINITY)
    // Sends at 0, 5, 10, 15, 20 h fall within one 24-hour span.
    expect(analysis.maxMessagesPer24h).toBe(5)
    expect(analysis.nodes.nudge!.latestMs).toBe(Number.POSITIVE_INFINITY)
    expect(analysis.nodes.nudge!.earliestMs).toBe(0)
    expect(analysis.sendsNeedingTemplate).toEqual(['nudge'])
    expect(analysis.summary).toMatch(/^No limit on messages per shopper over time.*at most 5 in any 24 h/)
  })

  it('reports Infinity per 24 h when replies can drive a loop of sends', () => {
    const doc = flowDocument(
      [
        node('t', 'trigger-message', { match: 'any', keywords: [] }),
        node('echo', 'send-message', { text: 'You said {{reply}}' }),
        node('w', 'wait-for-reply', { timeout: null }),
      ],
      [edge('t', 'echo'), edge('echo', 'w'), edge('w', 'echo', 'anything')],
    )
    const analysis = analyze(parsedFlow(doc))
    expect(analysis.maxMessagesPerRun).toBe(Number.POSITIVE_INFINITY)
    expect(analysis.maxMessagesPer24h).toBe(Number.POSITIVE_INFINITY)
    expect(analysis.sendsNeedingTemplate).toEqual([])
  })

  it('takes the worst branch for counts and the best for earliest times', () => {
    const doc = flowDocument(
      [
        node('t', 'trigger-manual'),
        node('c', 'condition', {
          group: { match: 'all', rules: [{ path: 'cart.total', operator: 'is_set' }] },
        }),
        node('a1', 'send-message', { text: 'a1' }),
        node('a2', 'send-message', { text: 'a2' }),
        node('long', 'delay', { mode: 'duration', duration: hours(30) }),
        node('b1', 'send-message', { text: 'b1' }),
        node('e', 'end'),
      ],
      [
        edge('t', 'c'),
        edge('c', 'a1', 'yes'),
        edge('a1', 'a2'),
        edge('a2', 'e'),
        edge('c', 'long', 'no'),
        edge('long', 'b1'),
        edge('b1', 'e'),
      ],
    )
    const analysis = analyze(parsedFlow(doc))
    expect(analysis.maxMessagesPerRun).toBe(2)
    expect(analysis.maxMessagesPer24h).toBe(2)
    expect([analysis.nodes.e!.earliestMs, analysis.nodes.e!.latestMs]).toEqual([0, 30 * H])
  })

  it('spreads sends across 24-hour spans using the shortest gaps', () => {
    // Sends at 0, 12, 24 and 36 h: any 24-hour span holds at most two.
    const nodes = [node('t', 'trigger-manual')]
    const edges = []
    let previous = 't'
    for (let i = 0; i < 4; i++) {
      nodes.push(node(`s${i}`, 'send-message', { text: `#${i}` }))
      edges.push(edge(previous, `s${i}`))
      nodes.push(node(`d${i}`, 'delay', { mode: 'duration', duration: hours(12) }))
      edges.push(edge(`s${i}`, `d${i}`))
      previous = `d${i}`
    }
    nodes.push(node('e', 'end'))
    edges.push(edge(previous, 'e'))
    const analysis = analyze(parsedFlow(flowDocument(nodes, edges)))
    expect(analysis.maxMessagesPerRun).toBe(4)
    expect(analysis.maxMessagesPer24h).toBe(2)
  })

  it('marks nodes no trigger reaches', () => {
    const doc = flowDocument(
      [node('t', 'trigger-manual'), node('e', 'end'), node('orphan', 'send-message', { text: 'x' })],
      [edge('t', 'e'), edge('orphan', 'e')],
    )
    const analysis = analyze(parsedFlow(doc))
    expect(analysis.nodes.orphan).toMatchObject({ reachable: false, earliestMs: Number.POSITIVE_INFINITY })
    expect(analysis.maxMessagesPerRun).toBe(0)
    expect(analysis.summary).toBe('Sends no messages')
  })
})
