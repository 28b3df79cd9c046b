// Starter flow: tell the shopper about their parcel without being asked: shipped (with the tracking link),
// delivered, and a delivery problem (a failed attempt, a lost parcel), where a person is offered. Each is its
// own trigger in one flow; on WhatsApp outside the 24-hour window each goes out as a utility template.
import type { FlowDocument } from '../parse.ts'
import { edge, flowNode } from './build.ts'

const firstName = '{{contact.first_name | default: "there"}}'

export const shippingUpdatesFlow: FlowDocument = {
  version: 2,
  name: 'Shipping updates',
  settings: {
    description: 'Tells shoppers when their order ships, when it arrives, and offers help if delivery fails.',
    channels: ['webchat', 'whatsapp', 'telegram'],
    exitEvents: [],
  },
  nodes: [
    flowNode('trigger-order-shipped', 'shipped', 'Order shipped', { col: 0, row: 0 }),
    flowNode(
      'send-message',
      'on-its-way',
      'On its way',
      { col: 0, row: 1 },
      {
        text: `Good news, ${firstName}! Your order {{order.name}} is on its way with {{order.carrier}}. Follow it here: {{order.trackingUrl}}`,
        purpose: 'transactional',
        whatsappTemplate: {
          name: 'order_shipped',
          language: 'en',
          category: 'utility',
          params: [firstName, '{{order.name}}', '{{order.carrier}}', '{{order.trackingUrl}}'],
        },
      },
    ),
    flowNode('end', 'told-shipped', 'Told it shipped', { col: 0, row: 2 }, { outcome: 'notified' }),

    flowNode('trigger-order-delivered', 'delivered', 'Order delivered', { col: 1, row: 0 }),
    flowNode(
      'send-message',
      'arrived',
      'Arrived',
      { col: 1, row: 1 },
      {
        text: `Your order {{order.name}} has been delivered, ${firstName}. Enjoy! If anything isn't right, just reply here.`,
        purpose: 'transactional',
        whatsappTemplate: {
          name: 'order_delivered',
          language: 'en',
          category: 'utility',
          params: ['{{order.name}}', firstName],
        },
      },
    ),
    flowNode('end', 'told-delivered', 'Told it arrived', { col: 1, row: 2 }, { outcome: 'notified' }),

    flowNode('trigger-order-delivery-problem', 'problem', 'Delivery problem', { col: 2, row: 0 }),
    flowNode(
      'send-message',
      'offer-help',
      'Offer help',
      { col: 2, row: 1 },
      {
        text: `Sorry, ${firstName}: {{order.carrier | default: "the carrier"}} could not deliver order {{order.name}}. Would you like someone from our team to sort it out?`,
        // "No" first: its branch (the tracking link) sits left of the team that "Yes" and a typed answer share,
        // so the canvas draws no crossing lines.
        buttons: [
          { id: 'fine', title: "No, I'll check", intent: 'not_interested' },
          { id: 'help', title: 'Yes, please', intent: 'wants_person' },
        ],
        replyTimeout: { amount: 2, unit: 'days' },
        purpose: 'transactional',
        whatsappTemplate: {
          name: 'delivery_problem',
          language: 'en',
          category: 'utility',
          params: [firstName, '{{order.name}}'],
        },
      },
    ),
    flowNode(
      'escalate',
      'delivery-team',
      'Hand to support',
      { col: 2, row: 2 },
      {
        queue: 'support',
        summaryFields: [
          { label: 'Order number', path: 'order.name' },
          { label: 'Carrier', path: 'order.carrier' },
          { label: 'Tracking link', path: 'order.trackingUrl' },
          { label: 'Shopper wrote', path: 'reply' },
        ],
        note: 'Sorry about that! Our team will see your order and its tracking.',
      },
    ),
    flowNode('end', 'helped', 'Helped by the team', { col: 2, row: 3 }, { outcome: 'handed_back' }),
    flowNode(
      'send-message',
      'tracking-link',
      'Tracking link',
      { col: 3, row: 2 },
      {
        text: 'No problem. You can follow the parcel here: {{order.trackingUrl | default: "the link in your shipping email"}}',
        purpose: 'service',
      },
    ),
    flowNode('end', 'self-served', 'Checked it themselves', { col: 3, row: 3 }, { outcome: 'notified' }),
    flowNode('end', 'no-answer', 'No answer', { col: 1, row: 3 }, { outcome: 'no_reply' }),
  ],
  edges: [
    edge('shipped', 'on-its-way'),
    edge('on-its-way', 'told-shipped'),
    edge('delivered', 'arrived'),
    edge('arrived', 'told-delivered'),
    edge('problem', 'offer-help'),
    edge('offer-help', 'delivery-team', 'help'),
    edge('offer-help', 'delivery-team', 'anything'),
    edge('offer-help', 'tracking-link', 'fine'),
    edge('offer-help', 'no-answer', 'timeout'),
    edge('delivery-team', 'helped'),
    edge('tracking-link', 'self-served'),
  ],
}
