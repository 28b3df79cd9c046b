// Manual / API trigger: card and inspector (nothing to configure).
import type { NodeUi } from './node-ui.tsx'
import { TriggerExplanation, TriggerSummary } from './trigger-forms.tsx'

const explanation = 'When you start it by hand or through the API'
const data = '{{contact.first_name}} and anything the API call passes'

export const triggerManualUi: NodeUi<'trigger-manual'> = {
  icon: '⚡',
  Summary: () => <TriggerSummary explanation={explanation} />,
  Inspector: () => <TriggerExplanation explanation={explanation} data={data} />,
}
