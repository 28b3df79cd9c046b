// Starter flow: three-step abandoned-cart recovery. Hour 1 a gentle reminder (every item as a card, a
// "Return to cart" button, no discount), hour 24 a second reminder with social proof from the store's own sales
// and stock ({{cart.proof}}: empty when the data backs no claim, so nothing unverifiable is ever said), hour 72
// a personal offer. Any reply hands the chat to the team without another bot message; an order for the cart
// ends the run as recovered.
import type { FlowDocument } from '../parse.ts'
import { edge, flowNode } from './build.ts'

const firstName = '{{contact.first_name | default: "there"}}'
/** "Linen Shirt", "Linen Shirt and Cap", "Linen Shirt and 2 more". */
const items = '{{cart.summary}}'
const productImage = '{{cart.items[0].imageUrl}}'
const returnToCart = { title: 'Return to cart', url: '{{cart.url}}' }

export const cartRecoveryFlow: FlowDocument = {
  version: 2,
  name: 'Abandoned cart recovery',
  settings: {
    description: 'Reminds shoppers of the exact product they left, then social proof, then a personal offer.',
    channels: ['webchat', 'whatsapp', 'telegram'],
    exitEvents: [{ event: 'order.created', outcome: 'recovered', sameCart: true }],
  },
  nodes: [
    flowNode('trigger-cart-abandoned', 'cart-abandoned', 'Cart abandoned', { col: 0, row: 0 }),
    // A wait rather than a plain delay: a shopper who writes in the first hour is helped straight away.
    flowNode(
      'wait-for-reply',
      'wait-1h',
      'Wait 1 hour',
      { col: 0, row: 1 },
      {
        timeout: { amount: 1, unit: 'hours' },
      },
    ),
    flowNode(
      'send-message',
      'reminder',
      'Reminder',
      { col: 0, row: 2 },
      {
        text: `Hi ${firstName}, you left ${items} in your cart. Pick up where you left off whenever you're ready.`,
        cards: { from: 'cart.items', max: 3 },
        link: returnToCart,
        purpose: 'marketing',
      },
    ),
    flowNode(
      'wait-for-reply',
      'wait-23h',
      'Wait for a reply (23 hours)',
      { col: 0, row: 3 },
      {
        timeout: { amount: 23, unit: 'hours' },
      },
    ),
    flowNode(
      'send-message',
      'social-proof',
      'Social proof',
      { col: 0, row: 4 },
      {
        text: `Your cart with ${items} is still waiting. {{cart.proof}}`,
        imageUrl: productImage,
        link: returnToCart,
        purpose: 'marketing',
        whatsappTemplate: {
          name: 'cart_social_proof',
          language: 'en',
          category: 'marketing',
          params: [firstName, items, '{{cart.url}}'],
        },
      },
    ),
    flowNode(
      'wait-for-reply',
      'wait-48h',
      'Wait for a reply (48 hours)',
      { col: 0, row: 5 },
      {
        timeout: { amount: 48, unit: 'hours' },
      },
    ),
    flowNode(
      'offer-incentive',
      'personal-offer',
      'Personal offer',
      { col: 0, row: 6 },
      {
        code: 'COMEBACK10',
        discount: { type: 'percent', value: 10 },
        text: `${firstName}, here is {{incentive.percentOff}}% off your cart with ${items}, just for you. Use the code {{incentive.code}} at checkout.`,
        imageUrl: productImage,
        link: returnToCart,
        whatsappTemplate: {
          name: 'cart_personal_offer',
          language: 'en',
          category: 'marketing',
          params: [firstName, items, '{{incentive.code}}', '{{cart.url}}'],
        },
      },
    ),
    flowNode(
      'wait-for-reply',
      'wait-final',
      'Wait for a reply (48 hours)',
      { col: 0, row: 7 },
      {
        timeout: { amount: 48, unit: 'hours' },
      },
    ),
    flowNode('end', 'not-recovered', 'Not recovered', { col: 0, row: 8 }, { outcome: 'not_recovered' }),
    // The helpful branch: a person answers, with what the bot knows; the bot says nothing more.
    flowNode(
      'escalate',
      'hand-to-team',
      'Hand to the team',
      { col: 1, row: 4 },
      {
        queue: 'sales',
        summaryFields: [
          { label: 'Cart', path: 'cart.summary' },
          { label: 'Cart total', path: 'cart.total' },
          { label: 'Cart link', path: 'cart.url' },
          { label: 'Shopper wrote', path: 'reply' },
        ],
        note: '',
      },
    ),
    flowNode('end', 'assisted', 'Helped by the team', { col: 1, row: 5 }, { outcome: 'assisted' }),
  ],
  edges: [
    edge('cart-abandoned', 'wait-1h'),
    edge('wait-1h', 'reminder', 'timeout'),
    edge('wait-1h', 'hand-to-team', 'anything'),
    edge('reminder', 'wait-23h'),
    edge('wait-23h', 'social-proof', 'timeout'),
    edge('wait-23h', 'hand-to-team', 'anything'),
    edge('social-proof', 'wait-48h'),
    edge('wait-48h', 'personal-offer', 'timeout'),
    edge('wait-48h', 'hand-to-team', 'anything'),
    edge('personal-offer', 'wait-final'),
    edge('wait-final', 'not-recovered', 'timeout'),
    edge('wait-final', 'hand-to-team', 'anything'),
    edge('hand-to-team', 'assisted'),
  ],
}
