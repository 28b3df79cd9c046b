// Compact builders for flow documents in tests: nodes with partial configs (the parser fills in the kind's
// defaults), edges named after their ends, and a cart-recovery flow built by hand.

import type { ChannelKind } from '../document.ts'
import { FLOW_DOCUMENT_VERSION } from '../document.ts'
import { type FlowDocument, parseFlowDocument } from '../parse.ts'

export interface TestNode {
  id: string
  kind: string
  name?: string
  position: { x: number; y: number }
  config: unknown
}

export interface TestEdge {
  id: string
  source: string
  sourceHandle: string
  target: string
}

export function node(id: string, kind: string, config: unknown = {}, name?: string): TestNode {
  return { id, kind, ...(name === undefined ? {} : { name }), position: { x: 0, y: 0 }, config }
}

export function edge(source: string, target: string, sourceHandle = 'next'): TestEdge {
  return { id: `${source}:${sourceHandle}->${target}`, source, sourceHandle, target }
}

export function flowDocument(
  nodes: TestNode[],
  edges: TestEdge[],
  channels: ChannelKind[] = ['webchat', 'whatsapp', 'telegram'],
) {
  return {
    version: FLOW_DOCUMENT_VERSION,
    name: 'Test flow',
    nodes,
    edges,
    settings: { description: '', channels, exitEvents: [] },
  }
}

/** Parses a test document, failing loudly when it does not parse. */
export function parsedFlow(doc: unknown): FlowDocument {
  const parsed = parseFlowDocument(doc)
  if (!parsed.ok) throw new Error(`test flow does not parse: ${JSON.stringify(parsed.issues)}`)
  return parsed.doc
}

export const hours = (n: number) => ({ amount: n, unit: 'hours' as const })

export const template = (name: string) => ({
  name,
  language: 'en',
  category: 'marketing' as const,
  params: [],
})

/**
 * The cart-recovery sequence: 1 h reminder, wait 23 h for a reply, social proof at 24 h, wait 48 h,
 * incentive at 72 h, wait 48 h then end; any reply goes to staff without a bot message.
 */
export function cartRecoveryByHand(options: { templates?: boolean; channels?: ChannelKind[] } = {}) {
  const fallback = (name: string) => (options.templates ? template(name) : null)
  return flowDocument(
    [
      node('trigger', 'trigger-cart-abandoned', {}, 'Cart abandoned'),
      node('wait-1h', 'delay', { mode: 'duration', duration: hours(1) }, 'Wait an hour'),
      node(
        'reminder',
        'send-message',
        { text: '{{cart.items[0].title}} is still in your cart', imageUrl: '{{cart.items[0].imageUrl}}' },
        'Reminder',
      ),
      node('reply-1', 'wait-for-reply', { timeout: hours(23) }, 'Reply to reminder?'),
      node(
        'social',
        'send-message',
        {
          text: '120 people bought this this week',
          purpose: 'marketing',
          whatsappTemplate: fallback('social'),
        },
        'Social proof',
      ),
      node('reply-2', 'wait-for-reply', { timeout: hours(48) }, 'Reply to social proof?'),
      node(
        'incentive',
        'send-message',
        { text: '10% off with WELCOME10', purpose: 'marketing', whatsappTemplate: fallback('incentive') },
        'Incentive',
      ),
      node('reply-3', 'wait-for-reply', { timeout: hours(48) }, 'Reply to incentive?'),
      node('staff', 'escalate', { queue: 'sales' }, 'Hand to staff'),
      node('lost', 'end', { outcome: 'not_recovered' }, 'Not recovered'),
      node('helped', 'end', { outcome: 'helped' }, 'Helped'),
    ],
    [
      edge('trigger', 'wait-1h'),
      edge('wait-1h', 'reminder'),
      edge('reminder', 'reply-1'),
      edge('reply-1', 'social', 'timeout'),
      edge('reply-1', 'staff', 'anything'),
      edge('social', 'reply-2'),
      edge('reply-2', 'incentive', 'timeout'),
      edge('reply-2', 'staff', 'anything'),
      edge('incentive', 'reply-3'),
      edge('reply-3', 'lost', 'timeout'),
      edge('reply-3', 'staff', 'anything'),
      edge('staff', 'helped'),
    ],
    options.channels,
  )
}
