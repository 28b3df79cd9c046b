// Order shipped: card and inspector (nothing to configure).
import type { NodeUi } from './node-ui.tsx'
import { TriggerExplanation, TriggerSummary } from './trigger-forms.tsx'

const explanation = 'When an order ships'
const data = '{{order.name}}, {{order.carrier}}, {{order.trackingUrl}}'

export const triggerOrderShippedUi: NodeUi<'trigger-order-shipped'> = {
  icon: '⚡',
  Summary: () => <TriggerSummary explanation={explanation} />,
  Inspector: () => <TriggerExplanation explanation={explanation} data={data} />,
}
