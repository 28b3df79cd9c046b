// Starter flow: returns and refund triage. The bot explains the policy and collects the order number,
// the reason and photos; a person on the returns team decides on the refund.
import type { FlowDocument } from '../parse.ts'
import { edge, flowNode } from './build.ts'

export const returnsTriageFlow: FlowDocument = {
  version: 2,
  name: 'Returns and refunds',
  settings: {
    description:
      'Explains the return policy, collects order number, reason and photos, then hands over to the returns team.',
    channels: ['webchat', 'whatsapp', 'telegram'],
    exitEvents: [],
  },
  nodes: [
    flowNode(
      'trigger-message',
      'asks',
      'Shopper asks about a return',
      { col: 0, row: 0 },
      {
        match: 'keyword',
        keywords: ['return', 'refund', 'exchange', 'send it back'],
      },
    ),
    flowNode(
      'send-message',
      'policy',
      'Return policy',
      { col: 0, row: 1 },
      {
        text: 'You can return unworn items within 30 days of delivery for a refund or an exchange. I will collect a few details so our returns team can help you quickly.',
        purpose: 'service',
      },
    ),
    flowNode(
      'collect-input',
      'order-number',
      'Order number',
      { col: 0, row: 2 },
      {
        prompt: "What's the order number? It's in your confirmation email, e.g. #1042.",
        inputType: 'order_number',
        variable: 'order_number',
        retries: 2,
        retryText: 'That does not look like an order number. It usually looks like #1042.',
      },
    ),
    flowNode(
      'collect-input',
      'reason',
      'Reason',
      { col: 0, row: 3 },
      {
        prompt: 'What is the reason for the return?',
        inputType: 'text',
        variable: 'return_reason',
        buttons: [
          { id: 'damaged', title: 'Arrived damaged' },
          { id: 'wrong-size', title: 'Wrong size' },
          { id: 'changed-mind', title: 'Changed my mind' },
        ],
        retries: 1,
        retryText: 'Please pick a reason or describe it in a few words.',
      },
    ),
    flowNode(
      'collect-input',
      'photos',
      'Photos',
      { col: 0, row: 4 },
      {
        prompt: 'Please send one or two photos of the item (and the label, if you still have it).',
        inputType: 'photo',
        variable: 'photos',
        retries: 1,
        retryText: 'I need a photo to pass this on. Could you attach one?',
      },
    ),
    flowNode(
      'escalate',
      'returns-team',
      'Hand to the returns team',
      { col: 0, row: 5 },
      {
        queue: 'returns',
        summaryFields: [
          { label: 'Order number', path: 'order_number' },
          { label: 'Reason', path: 'return_reason' },
          { label: 'Photos', path: 'photos' },
        ],
        note: 'Thank you! Our returns team has everything they need and will reply here, usually within one business day.',
      },
    ),
    flowNode('end', 'handed-back', 'Done', { col: 0, row: 6 }, { outcome: 'handed_back' }),
  ],
  edges: [
    edge('asks', 'policy'),
    edge('policy', 'order-number'),
    edge('order-number', 'reason'),
    edge('order-number', 'returns-team', 'failed'),
    edge('reason', 'photos'),
    edge('reason', 'returns-team', 'failed'),
    edge('photos', 'returns-team'),
    edge('photos', 'returns-team', 'failed'),
    edge('returns-team', 'handed-back'),
  ],
}
