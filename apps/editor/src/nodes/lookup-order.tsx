// Look up order: by a collected order number, or the shopper's latest order.
import { SelectInput, TextInput } from '../inspector/fields.tsx'
import type { NodeUi } from './node-ui.tsx'

export const lookupOrderUi: NodeUi<'lookup-order'> = {
  icon: '▣',
  Summary: ({ config }) => (
    <p className="card-text">
      {config.source === 'latest' ? 'The shopper’s latest order' : `Order number from {{${config.variable}}}`}
    </p>
  ),
  Inspector: ({ config, onChange }) => (
    <div className="form">
      <SelectInput
        label="Which order"
        value={config.source}
        options={[
          ['variable', 'The order number the shopper gave'],
          ['latest', 'The shopper’s most recent order'],
        ]}
        onChange={(source) => onChange({ ...config, source })}
      />
      {config.source === 'variable' ? (
        <TextInput
          label="Variable holding the order number"
          value={config.variable}
          onChange={(variable) => onChange({ ...config, variable })}
        />
      ) : null}
      <p className="field-hint">
        When found, later steps can use {'{{order.status}}'}, {'{{order.trackingUrl}}'} and more.
      </p>
    </div>
  ),
}
