// Starter flow: three days after an order, recommend a complementary product. The runtime fills
// `order.recommendations` from the catalogue when it starts the run.
import type { FlowDocument } from '../parse.ts'
import { edge, flowNode } from './build.ts'

const pick = 'order.recommendations[0]'

export const postPurchaseCrossSellFlow: FlowDocument = {
  version: 2,
  name: 'Post-purchase recommendation',
  settings: {
    description: 'Three days after an order, suggests up to three products often bought with it.',
    channels: ['webchat', 'whatsapp', 'telegram'],
    exitEvents: [],
  },
  nodes: [
    flowNode('trigger-order-created', 'ordered', 'Order placed', { col: 0, row: 0 }),
    flowNode(
      'delay',
      'wait-3d',
      'Wait 3 days',
      { col: 0, row: 1 },
      {
        mode: 'duration',
        duration: { amount: 3, unit: 'days' },
      },
    ),
    // A store whose catalogue has nothing in stock to suggest sends nothing, rather than an empty card.
    flowNode(
      'condition',
      'has-picks',
      'Anything to suggest?',
      { col: 0, row: 2 },
      {
        group: { match: 'all', rules: [{ path: `${pick}.title`, operator: 'is_set' }] },
      },
    ),
    flowNode(
      'send-message',
      'recommendation',
      'Recommendation',
      { col: 0, row: 3 },
      {
        text: `Hi {{contact.first_name | default: "there"}}, we hope you're enjoying {{order.items[0].title}}! Shoppers who bought it also love these:`,
        cards: { from: 'order.recommendations', max: 3 },
        purpose: 'marketing',
        whatsappTemplate: {
          name: 'post_purchase_recommendation',
          language: 'en',
          category: 'marketing',
          params: [
            '{{contact.first_name | default: "there"}}',
            '{{order.items[0].title}}',
            '{{order.recommendations | list}}',
          ],
        },
      },
    ),
    flowNode('end', 'sent', 'Recommended', { col: 0, row: 4 }, { outcome: 'recommended' }),
    flowNode('end', 'nothing', 'Nothing to suggest', { col: 1, row: 3 }, { outcome: 'nothing_to_suggest' }),
  ],
  edges: [
    edge('ordered', 'wait-3d'),
    edge('wait-3d', 'has-picks'),
    edge('has-picks', 'recommendation', 'yes'),
    edge('has-picks', 'nothing', 'no'),
    edge('recommendation', 'sent'),
  ],
}
