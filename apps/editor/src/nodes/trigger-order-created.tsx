// Order created: card and inspector (nothing to configure).
import type { NodeUi } from './node-ui.tsx'
import { TriggerExplanation, TriggerSummary } from './trigger-forms.tsx'

const explanation = 'When a shopper places an order'
const data = '{{order.name}}, {{order.total}}'

export const triggerOrderCreatedUi: NodeUi<'trigger-order-created'> = {
  icon: '⚡',
  Summary: () => <TriggerSummary explanation={explanation} />,
  Inspector: () => <TriggerExplanation explanation={explanation} data={data} />,
}
