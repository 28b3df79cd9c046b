// End: the run is over, with an outcome for reports.
import { TextInput } from '../inspector/fields.tsx'
import type { NodeUi } from './node-ui.tsx'

export const endUi: NodeUi<'end'> = {
  icon: '■',
  Summary: ({ config }) => (
    <p className="card-text">
      Outcome: <span className="chip">{config.outcome}</span>
    </p>
  ),
  Inspector: ({ config, onChange }) => (
    <div className="form">
      <TextInput
        label="Outcome"
        value={config.outcome}
        onChange={(outcome) => onChange({ outcome })}
        hint="Shown in reports, e.g. recovered, not_recovered, resolved. Lowercase letters, digits and _."
      />
    </div>
  ),
}
