// Starter flow: three days after an order, recommend a complementary product. The runtime fills
// `order.recommendations` from the catalogue when it starts the run.
import type { FlowDocument } from '../parse.ts'
import { edge, flowNode } from './build.ts'

const pick = 'order.recommendations[0]'

export const postPurchaseCrossSellFlow: FlowDocument = {
  version: 2,
  name: 'Post-purchase recommendation',
  settings: {
    description: 'Three days after an order, suggests a product that goes well with it.',
    channels: ['webchat', 'whatsapp', 'telegram'],
    exitEvents: [],
  },
  nodes: [
    flowNode('trigger-order-created', 'ordered', 'Order placed', { col: 0, row: 0 }),
    // Nothing in stock to suggest (a small catalogue, everything bought): end here, never "also love ." with an
    // empty card.
    flowNode(
      'condition',
      'has-pick',
      'Anything to recommend?',
      { col: 0, row: 1 },
      { group: { match: 'all', rules: [{ path: `${pick}.title`, operator: 'is_set' }] } },
    ),
    flowNode(
      'end',
      'nothing-to-recommend',
      'Nothing to recommend',
      { col: 1, row: 2 },
      { outcome: 'nothing_to_recommend' },
    ),
    flowNode(
      'delay',
      'wait-3d',
      'Wait 3 days',
      { col: 0, row: 2 },
      {
        mode: 'duration',
        duration: { amount: 3, unit: 'days' },
      },
    ),
    flowNode(
      'send-message',
      'recommendation',
      'Recommendation',
      { col: 0, row: 3 },
      {
        text: `Hi {{contact.first_name | default: "there"}}, we hope you're enjoying {{order.items[0].title}}! Shoppers who bought it also love {{${pick}.title}}.`,
        product: {
          title: `{{${pick}.title}}`,
          imageUrl: `{{${pick}.imageUrl}}`,
          price: `{{${pick}.price}}`,
          currency: '{{order.currency}}',
          url: `{{${pick}.url}}`,
          productId: `{{${pick}.productId}}`,
        },
        purpose: 'marketing',
        whatsappTemplate: {
          name: 'post_purchase_recommendation',
          language: 'en',
          category: 'marketing',
          params: [
            '{{contact.first_name | default: "there"}}',
            '{{order.items[0].title}}',
            `{{${pick}.title}}`,
          ],
        },
      },
    ),
    flowNode('end', 'sent', 'Recommended', { col: 0, row: 4 }, { outcome: 'recommended' }),
  ],
  edges: [
    edge('ordered', 'has-pick'),
    edge('has-pick', 'wait-3d', 'yes'),
    edge('has-pick', 'nothing-to-recommend', 'no'),
    edge('wait-3d', 'recommendation'),
    edge('recommendation', 'sent'),
  ],
}
