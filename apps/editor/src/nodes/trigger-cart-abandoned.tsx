// Cart abandoned: card and inspector (nothing to configure).
import type { NodeUi } from './node-ui.tsx'
import { TriggerExplanation, TriggerSummary } from './trigger-forms.tsx'

const explanation = 'When a shopper leaves items in their cart without ordering'
const data = '{{cart.items[0].title}}, {{cart.total}}, {{cart.url}}'

export const triggerCartAbandonedUi: NodeUi<'trigger-cart-abandoned'> = {
  icon: '⚡',
  Summary: () => <TriggerSummary explanation={explanation} />,
  Inspector: () => <TriggerExplanation explanation={explanation} data={data} />,
}
