// Look up order: by the order number the shopper typed (a "Collect input" before it), or the shopper's
// latest order. With no question for the number yet, one click adds it.
import { SelectInput } from '../inspector/fields.tsx'
import { useVariableGroups } from '../inspector/variables.ts'
import { editorStore } from '../store/editor-store.ts'
import type { NodeUi } from './node-ui.tsx'

const ANSWERS = 'Answers collected before this step'

export const lookupOrderUi: NodeUi<'lookup-order'> = {
  icon: '▣',
  Summary: ({ config }) => (
    <p className="card-text">
      {config.source === 'latest' ? 'The shopper’s latest order' : 'The order number the shopper typed'}
    </p>
  ),
  Inspector: function LookupOrderInspector({ nodeId, config, onChange }) {
    const answers = useVariableGroups().find((g) => g.label === ANSWERS)?.items ?? []
    const known = answers.some((a) => a.path === config.variable)
    const options = answers.map((a) => [a.path, a.label] as const)
    return (
      <div className="form">
        <SelectInput
          label="Which order"
          value={config.source}
          options={[
            ['variable', 'The order number the shopper typed'],
            ['latest', 'The shopper’s most recent order'],
          ]}
          onChange={(source) => onChange({ ...config, source })}
        />
        {config.source === 'variable' && answers.length > 0 ? (
          <SelectInput
            label="Order number from"
            value={known ? config.variable : ''}
            options={known ? options : [['', 'Choose an answer'] as const, ...options]}
            onChange={(variable) => variable && onChange({ ...config, variable })}
          />
        ) : null}
        {config.source === 'variable' && !known ? (
          <div className="callout">
            <p className="field-hint">No step before this one asks the shopper for their order number yet.</p>
            <button
              type="button"
              className="button"
              onClick={() => editorStore.getState().askForOrderNumber(nodeId)}
            >
              Ask the shopper for it
            </button>
          </div>
        ) : null}
        <p className="field-hint">
          When the order is found, the next messages can use its status, tracking link and more (see “+
          Variable”).
        </p>
      </div>
    )
  },
}
