// Starter flow: returns and refund triage. The bot explains the policy, finds the order among the shopper's
// own (a number in the first message is used as it is), checks it against the store's return window, and
// collects the reason (buttons) and a photo (or Skip); a person on the returns team decides on the refund, with
// the case (order, items, window, days since delivery, photos) in front of them. An order past the window is
// told plainly and goes to the team; an order that is not theirs is never revealed.
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
        text: 'You can return unworn items within {{store.returnWindowDays | default: "30"}} days of delivery for a refund or an exchange. I will collect a few details so our returns team can help you quickly.',
        purpose: 'service',
      },
    ),
    flowNode(
      'condition',
      'gave-number',
      'Order number in their message?',
      { col: 0, row: 2 },
      { group: { match: 'all', rules: [{ path: 'trigger.orderNumber', operator: 'is_set' }] } },
    ),
    flowNode(
      'set-variable',
      'use-given-number',
      'Use the number they gave',
      { col: 1, row: 3 },
      { name: 'order_number', value: '{{trigger.orderNumber}}' },
    ),
    flowNode(
      'collect-input',
      'order-number',
      'Order number',
      { col: 0, row: 3 },
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
      { col: 0, row: 6 },
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
      { col: 0, row: 7 },
      {
        prompt: 'Send a photo of the item (or tap Skip).',
        inputType: 'photo',
        variable: 'photos',
        skipButton: 'Skip',
        retries: 1,
        retryText: 'Please attach a photo of the item, or tap Skip to go on without one.',
      },
    ),
    flowNode(
      'escalate',
      'returns-team',
      'Hand to the returns team',
      { col: 0, row: 8 },
      {
        queue: 'returns',
        // The case staff see: the order (items, return window, days since delivery) comes with the hand-over.
        summaryFields: [
          { label: 'Order number', path: 'order.name' },
          { label: 'Reason', path: 'return_reason' },
          { label: 'Photos', path: 'photos' },
        ],
        // No reply time here: the returns queue's own acknowledgement says when, inside or outside its hours.
        note: 'Thank you! Our returns team has everything they need.',
      },
    ),
    flowNode('end', 'handed-back', 'Done', { col: 0, row: 9 }, { outcome: 'handed_back' }),
    flowNode(
      'lookup-order',
      'find-order',
      'Find their order',
      { col: 0, row: 4 },
      { source: 'variable', variable: 'order_number' },
    ),
    flowNode(
      'condition',
      'in-window',
      'Inside the return window?',
      { col: 0, row: 5 },
      { group: { match: 'all', rules: [{ path: 'order.returnable', operator: 'equals', value: true }] } },
    ),
    flowNode(
      'escalate',
      'late-return',
      'Late return to the team',
      { col: 1, row: 6 },
      {
        queue: 'returns',
        summaryFields: [
          { label: 'Order number', path: 'order.name' },
          { label: 'Return window ended', path: 'order.returnBy' },
          { label: 'Shopper wrote', path: 'reply' },
        ],
        note: 'Order {{order.name}} is past our {{store.returnWindowDays | default: "30"}}-day return window, so the returns team will look at it.',
      },
    ),
    flowNode('end', 'late-handed-back', 'Done (late)', { col: 1, row: 7 }, { outcome: 'handed_back' }),
    flowNode(
      'escalate',
      'unknown-order',
      'Unknown order to the team',
      { col: 2, row: 5 },
      {
        queue: 'returns',
        summaryFields: [
          { label: 'Order number given', path: 'order_number' },
          { label: 'Shopper wrote', path: 'reply' },
        ],
        note: "I couldn't find that order among yours, so the returns team will look into it.",
      },
    ),
    flowNode(
      'end',
      'unknown-handed-back',
      'Done (not found)',
      { col: 2, row: 6 },
      { outcome: 'handed_back' },
    ),
  ],
  edges: [
    edge('asks', 'policy'),
    edge('policy', 'gave-number'),
    edge('gave-number', 'use-given-number', 'yes'),
    edge('gave-number', 'order-number', 'no'),
    edge('use-given-number', 'find-order'),
    edge('order-number', 'find-order'),
    edge('order-number', 'returns-team', 'failed'),
    edge('find-order', 'in-window', 'found'),
    edge('find-order', 'unknown-order', 'not_found'),
    edge('in-window', 'reason', 'yes'),
    edge('in-window', 'late-return', 'no'),
    edge('late-return', 'late-handed-back'),
    edge('unknown-order', 'unknown-handed-back'),
    edge('reason', 'photos'),
    edge('reason', 'returns-team', 'failed'),
    edge('photos', 'returns-team'),
    edge('photos', 'returns-team', 'failed'),
    edge('returns-team', 'handed-back'),
  ],
}
