// Starter flow: "Where is my order?" answered at once from the store's order and tracking data; an
// order that cannot be found goes to a person with what the shopper said. A number in the first message
// ("where is my order 1234?") is used as it is, not asked for again.
import type { FlowDocument } from '../parse.ts'
import { edge, flowNode } from './build.ts'

export const whereIsMyOrderFlow: FlowDocument = {
  version: 2,
  name: 'Where is my order?',
  settings: {
    description: 'Finds the order from its number and replies with its status and tracking link.',
    channels: ['webchat', 'whatsapp', 'telegram'],
    exitEvents: [],
  },
  nodes: [
    flowNode(
      'trigger-message',
      'asks',
      'Shopper asks about an order',
      { col: 0, row: 0 },
      {
        match: 'keyword',
        keywords: ['where is my order', 'order status', 'tracking'],
      },
    ),
    flowNode(
      'condition',
      'gave-number',
      'Order number in their message?',
      { col: 0, row: 1 },
      {
        group: { match: 'all', rules: [{ path: 'trigger.orderNumber', operator: 'is_set' }] },
      },
    ),
    flowNode(
      'set-variable',
      'use-given-number',
      'Use the number they gave',
      { col: 1, row: 2 },
      { name: 'order_number', value: '{{trigger.orderNumber}}' },
    ),
    flowNode(
      'collect-input',
      'order-number',
      'Ask for the order number',
      { col: 0, row: 2 },
      {
        prompt: "Happy to check! What's your order number? It's in your confirmation email, e.g. #1042.",
        inputType: 'order_number',
        variable: 'order_number',
        retries: 2,
        retryText:
          "Hmm, that doesn't look like an order number. It usually looks like #1042. Could you check?",
        timeout: { amount: 1, unit: 'days' },
      },
    ),
    flowNode(
      'lookup-order',
      'find-order',
      'Find the order',
      { col: 0, row: 3 },
      {
        source: 'variable',
        variable: 'order_number',
      },
    ),
    flowNode(
      'condition',
      'has-tracking',
      'Has tracking?',
      { col: 0, row: 4 },
      {
        group: { match: 'all', rules: [{ path: 'order.trackingUrl', operator: 'is_set' }] },
      },
    ),
    flowNode(
      'send-message',
      'status-tracking',
      'Status with tracking',
      { col: 0, row: 5 },
      {
        text: 'Order {{order.name}} is {{order.status | default: "on its way"}}. {{order.carrier}} tracking number {{order.trackingNumber}}, follow it here: {{order.trackingUrl}}',
        purpose: 'transactional',
      },
    ),
    flowNode(
      'send-message',
      'status-only',
      'Status',
      { col: 1, row: 5 },
      {
        text: 'Order {{order.name}} is {{order.status | default: "being prepared"}}. You\'ll get a tracking link here as soon as it ships.',
        purpose: 'transactional',
      },
    ),
    // Buttons are branches: "No, all good" ends politely, never in another flow.
    flowNode(
      'send-message',
      'anything-else',
      'Anything else?',
      { col: 0, row: 6 },
      {
        text: 'Anything else I can help with?',
        buttons: [
          // A typed "no thanks" ends politely and "can I speak to someone?" goes to the team, like the taps.
          { id: 'all-good', title: 'No, all good', intent: 'not_interested' },
          { id: 'person', title: 'Talk to a person', intent: 'wants_person' },
        ],
        replyTimeout: { amount: 1, unit: 'hours' },
        purpose: 'service',
      },
    ),
    flowNode(
      'send-message',
      'goodbye',
      'Goodbye',
      { col: 0, row: 7 },
      { text: 'Glad I could help. Have a lovely day!', purpose: 'service' },
    ),
    flowNode('end', 'answered', 'Answered', { col: 0, row: 8 }, { outcome: 'answered' }),
    flowNode(
      'escalate',
      'hand-to-support',
      'Hand to support',
      { col: 2, row: 4 },
      {
        queue: 'support',
        summaryFields: [
          { label: 'Order number given', path: 'order_number' },
          { label: 'Shopper wrote', path: 'reply' },
        ],
        note: "Sorry, I couldn't find that order.",
      },
    ),
    flowNode('end', 'handed-back', 'Helped by the team', { col: 2, row: 5 }, { outcome: 'handed_back' }),
    // A question after the answer goes to the team from here, not back up to the "not found" hand-off: the
    // summary is different (the order was found), and the canvas reads top to bottom without a loop back.
    flowNode(
      'escalate',
      'more-help',
      'Hand over for more help',
      { col: 1, row: 7 },
      {
        queue: 'support',
        summaryFields: [
          { label: 'Order number', path: 'order.name' },
          { label: 'Shopper wrote', path: 'reply' },
        ],
        note: 'Of course! Our team will see your order.',
      },
    ),
    flowNode(
      'end',
      'helped-after-answer',
      'Helped by the team',
      { col: 1, row: 8 },
      { outcome: 'handed_back' },
    ),
    flowNode('end', 'no-more-questions', 'No more questions', { col: 2, row: 8 }, { outcome: 'answered' }),
    flowNode('end', 'no-reply', 'No reply', { col: 1, row: 3 }, { outcome: 'no_reply' }),
  ],
  edges: [
    edge('asks', 'gave-number'),
    edge('gave-number', 'use-given-number', 'yes'),
    edge('gave-number', 'order-number', 'no'),
    edge('use-given-number', 'find-order'),
    edge('order-number', 'find-order'),
    edge('order-number', 'hand-to-support', 'failed'),
    edge('order-number', 'no-reply', 'timeout'),
    edge('find-order', 'has-tracking', 'found'),
    edge('find-order', 'hand-to-support', 'not_found'),
    edge('has-tracking', 'status-tracking', 'yes'),
    edge('has-tracking', 'status-only', 'no'),
    edge('status-tracking', 'anything-else'),
    edge('status-only', 'anything-else'),
    edge('anything-else', 'goodbye', 'all-good'),
    edge('anything-else', 'more-help', 'person'),
    edge('anything-else', 'more-help', 'anything'),
    edge('more-help', 'helped-after-answer'),
    edge('anything-else', 'no-more-questions', 'timeout'),
    edge('goodbye', 'answered'),
    edge('hand-to-support', 'handed-back'),
  ],
}
