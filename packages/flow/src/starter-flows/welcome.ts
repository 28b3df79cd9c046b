// Starter flow: the welcome a shopper gets when they open the chat (Telegram's /start, with or without a
// deep-link payload) or just say hello ("hi", "hallo"): a greeting and three quick replies, each its own branch — track an order, ask about a
// product, or talk to a person. Typed text instead of a tap is taken as a product question.
import type { FlowDocument } from '../parse.ts'
import { edge, flowNode } from './build.ts'

export const welcomeFlow: FlowDocument = {
  version: 2,
  name: 'Welcome',
  settings: {
    description: 'Greets shoppers who start the chat and offers what they most often need.',
    channels: ['webchat', 'whatsapp', 'telegram'],
    exitEvents: [],
  },
  nodes: [
    flowNode(
      'trigger-message',
      'starts',
      'Shopper starts the chat',
      { col: 1, row: 0 },
      { match: 'keyword', keywords: ['/start'] },
    ),
    // A plain "hi" is welcomed with the menu, not taken for a product question the team must answer.
    flowNode(
      'trigger-message',
      'says-hello',
      'Shopper says hello',
      { col: 2, row: 0 },
      { match: 'greeting' },
    ),
    flowNode(
      'send-message',
      'greeting',
      'Greeting',
      { col: 1, row: 1 },
      {
        text: 'Hi {{contact.name | default: "there"}}, welcome to {{store.name}}! How can I help you today?',
        buttons: [
          { id: 'track', title: 'Track my order' },
          { id: 'product', title: 'Product question' },
          // "can I speak to someone?" typed goes to a person, not to the catalogue answer for typed questions.
          { id: 'person', title: 'Talk to a person', intent: 'wants_person' },
        ],
        replyTimeout: { amount: 1, unit: 'days' },
        purpose: 'service',
      },
    ),
    // Track my order
    flowNode(
      'collect-input',
      'order-number',
      'Ask for the order number',
      { col: 0, row: 2 },
      {
        prompt: "Sure! What's your order number? It's in your confirmation email, e.g. #1042.",
        inputType: 'order_number',
        variable: 'order_number',
        retries: 2,
        retryText: "Hmm, that doesn't look like an order number. It usually looks like #1042.",
        timeout: { amount: 1, unit: 'days' },
      },
    ),
    flowNode(
      'lookup-order',
      'find-order',
      'Find the order',
      { col: 0, row: 3 },
      { source: 'variable', variable: 'order_number' },
    ),
    flowNode(
      'send-message',
      'order-status',
      'Order status',
      { col: 0, row: 4 },
      {
        text: 'Order {{order.name}} is {{order.status | default: "being prepared"}}. {{order.trackingUrl | default: "You\'ll get a tracking link here as soon as it ships."}}',
        purpose: 'transactional',
      },
    ),
    flowNode('end', 'order-answered', 'Order status given', { col: 0, row: 5 }, { outcome: 'answered' }),
    flowNode(
      'escalate',
      'order-help',
      'Hand the order question over',
      { col: 1, row: 4 },
      {
        queue: 'support',
        summaryFields: [
          { label: 'Order number given', path: 'order_number' },
          { label: 'Shopper wrote', path: 'reply' },
        ],
        note: "Sorry, I couldn't find that order.",
      },
    ),
    flowNode('end', 'order-helped', 'Helped by the team', { col: 1, row: 5 }, { outcome: 'handed_back' }),
    flowNode('end', 'no-order-number', 'No order number', { col: 1, row: 3 }, { outcome: 'no_reply' }),
    // Product question
    flowNode(
      'collect-input',
      'question',
      'Ask for the question',
      { col: 2, row: 2 },
      {
        prompt: 'Ask away! What would you like to know?',
        inputType: 'text',
        variable: 'question',
        retries: 0,
        timeout: { amount: 1, unit: 'days' },
      },
    ),
    flowNode('answer-product-question', 'answer', 'Answer from the catalogue', { col: 2, row: 3 }),
    flowNode('end', 'answered', 'Answered', { col: 2, row: 4 }, { outcome: 'answered' }),
    flowNode(
      'escalate',
      'ask-team',
      'Ask the team',
      { col: 3, row: 4 },
      {
        queue: 'sales',
        summaryFields: [{ label: 'Question', path: 'reply' }],
        note: 'Good question! That one is for our team.',
      },
    ),
    flowNode('end', 'team-helped', 'Helped by the team', { col: 3, row: 5 }, { outcome: 'handed_back' }),
    flowNode('end', 'no-question', 'No question', { col: 3, row: 3 }, { outcome: 'no_reply' }),
    // Talk to a person
    flowNode(
      'escalate',
      'to-person',
      'Hand to a person',
      { col: 4, row: 2 },
      {
        queue: 'support',
        summaryFields: [],
        note: 'Of course!',
      },
    ),
    flowNode('end', 'person-helped', 'Helped by a person', { col: 4, row: 3 }, { outcome: 'handed_back' }),
    // Typed text instead of a tap: answered as a product question
    flowNode('answer-product-question', 'typed-answer', 'Answer what they typed', { col: 5, row: 2 }),
    flowNode('end', 'typed-answered', 'Answered', { col: 5, row: 3 }, { outcome: 'answered' }),
    flowNode(
      'escalate',
      'typed-help',
      'Hand the question over',
      { col: 6, row: 3 },
      {
        queue: 'sales',
        summaryFields: [{ label: 'Shopper wrote', path: 'reply' }],
        note: 'Good question! That one is for our team.',
      },
    ),
    flowNode('end', 'typed-helped', 'Helped by the team', { col: 6, row: 4 }, { outcome: 'handed_back' }),
    flowNode('end', 'no-reply', 'No reply', { col: 7, row: 2 }, { outcome: 'no_reply' }),
  ],
  edges: [
    edge('starts', 'greeting'),
    edge('says-hello', 'greeting'),
    edge('greeting', 'order-number', 'track'),
    edge('greeting', 'question', 'product'),
    edge('greeting', 'to-person', 'person'),
    edge('greeting', 'typed-answer', 'anything'),
    edge('greeting', 'no-reply', 'timeout'),
    edge('order-number', 'find-order'),
    edge('order-number', 'order-help', 'failed'),
    edge('order-number', 'no-order-number', 'timeout'),
    edge('find-order', 'order-status', 'found'),
    edge('find-order', 'order-help', 'not_found'),
    edge('order-status', 'order-answered'),
    edge('order-help', 'order-helped'),
    edge('question', 'answer'),
    edge('question', 'ask-team', 'failed'),
    edge('question', 'no-question', 'timeout'),
    edge('answer', 'answered', 'answered'),
    edge('answer', 'ask-team', 'unanswered'),
    edge('ask-team', 'team-helped'),
    edge('to-person', 'person-helped'),
    edge('typed-answer', 'typed-answered', 'answered'),
    edge('typed-answer', 'typed-help', 'unanswered'),
    edge('typed-help', 'typed-helped'),
  ],
}
