// Order delivered: card and inspector (nothing to configure).
import type { NodeUi } from './node-ui.tsx'
import { TriggerExplanation, TriggerSummary } from './trigger-forms.tsx'

const explanation = 'When the carrier delivers an order'
const data = '{{order.name}}, {{order.carrier}}, {{order.trackingUrl}}'

export const triggerOrderDeliveredUi: NodeUi<'trigger-order-delivered'> = {
  icon: '⚡',
  Summary: () => <TriggerSummary explanation={explanation} />,
  Inspector: () => <TriggerExplanation explanation={explanation} data={data} />,
}
