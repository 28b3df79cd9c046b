// Delivery problem: card and inspector (nothing to configure).
import type { NodeUi } from './node-ui.tsx'
import { TriggerExplanation, TriggerSummary } from './trigger-forms.tsx'

const explanation = 'When the carrier cannot deliver an order (a missed attempt, a lost parcel)'
const data = '{{order.name}}, {{order.carrier}}, {{order.trackingUrl}}'

export const triggerOrderDeliveryProblemUi: NodeUi<'trigger-order-delivery-problem'> = {
  icon: '⚡',
  Summary: () => <TriggerSummary explanation={explanation} />,
  Inspector: () => <TriggerExplanation explanation={explanation} data={data} />,
}
