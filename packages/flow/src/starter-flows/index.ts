// The flows Parley ships as templates: the merchant picks one in the editor and adapts it.
import type { FlowDocument } from '../parse.ts'
import { cartRecoveryFlow } from './cart-recovery.ts'
import { postPurchaseCrossSellFlow } from './post-purchase-cross-sell.ts'
import { productQuestionsFlow } from './product-questions.ts'
import { returnsTriageFlow } from './returns-triage.ts'
import { shippingUpdatesFlow } from './shipping-updates.ts'
import { welcomeFlow } from './welcome.ts'
import { whereIsMyOrderFlow } from './where-is-my-order.ts'

export interface StarterFlow {
  id: string
  title: string
  description: string
  doc: FlowDocument
}

export const starterFlows: StarterFlow[] = [
  {
    id: 'cart-recovery',
    title: 'Abandoned cart recovery',
    description:
      'A reminder with the exact product after 1 hour, social proof at 24 hours, a personal offer at 72 hours. Stops when they buy.',
    doc: cartRecoveryFlow,
  },
  {
    id: 'where-is-my-order',
    title: 'Where is my order?',
    description: 'Answers order status and tracking questions instantly from your store data.',
    doc: whereIsMyOrderFlow,
  },
  {
    id: 'shipping-updates',
    title: 'Shipping updates',
    description:
      'Tells shoppers when their order ships (with tracking), when it arrives, and offers help if delivery fails.',
    doc: shippingUpdatesFlow,
  },
  {
    id: 'returns-triage',
    title: 'Returns and refunds',
    description: 'Explains your policy and collects order number, reason and photos for your returns team.',
    doc: returnsTriageFlow,
  },
  {
    id: 'product-questions',
    title: 'Product questions',
    description: 'Answers questions about your products from the catalogue in seconds.',
    doc: productQuestionsFlow,
  },
  {
    id: 'post-purchase-cross-sell',
    title: 'Post-purchase recommendation',
    description: 'Suggests a complementary product three days after an order.',
    doc: postPurchaseCrossSellFlow,
  },
  {
    id: 'welcome',
    title: 'Welcome',
    description:
      'Greets shoppers who start the chat, with quick replies to track an order, ask about a product or talk to a person.',
    doc: welcomeFlow,
  },
]

export function getStarterFlow(id: string): StarterFlow | undefined {
  return starterFlows.find((flow) => flow.id === id)
}

export {
  cartRecoveryFlow,
  postPurchaseCrossSellFlow,
  productQuestionsFlow,
  returnsTriageFlow,
  shippingUpdatesFlow,
  welcomeFlow,
  whereIsMyOrderFlow,
}
