// Set variable: name ← template value.
import { TemplateInput, TextInput } from '../inspector/fields.tsx'
import type { NodeUi } from './node-ui.tsx'

export const setVariableUi: NodeUi<'set-variable'> = {
  icon: '=',
  Summary: ({ config }) => (
    <p className="card-text mono">
      {config.name} = {config.value || '""'}
    </p>
  ),
  Inspector: ({ config, onChange }) => (
    <div className="form">
      <TextInput
        label="Variable name"
        value={config.name}
        onChange={(name) => onChange({ ...config, name })}
        hint="Later steps find it in their “+ Variable” menu."
      />
      <TemplateInput
        label="Value"
        value={config.value}
        onChange={(value) => onChange({ ...config, value })}
      />
    </div>
  ),
}
