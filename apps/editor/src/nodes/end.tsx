// End: the run is over, counted in reports under an outcome the merchant names in words ("Not
// recovered"); the document keeps it as a short key (not_recovered).
import { TextInput } from '../inspector/fields.tsx'
import type { NodeUi } from './node-ui.tsx'

/** "not_recovered" → "Not recovered". */
export function outcomeWords(outcome: string): string {
  const words = outcome.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** "Not recovered!" → "not_recovered": what the document stores. */
export function outcomeKey(words: string): string {
  return words
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9 _]/g, '')
    .replace(/ /g, '_')
    .slice(0, 40)
}

export const endUi: NodeUi<'end'> = {
  icon: '■',
  Summary: ({ config }) => (
    <p className="card-text">
      Counted as <span className="chip">{outcomeWords(config.outcome)}</span>
    </p>
  ),
  Inspector: ({ config, onChange }) => (
    <div className="form">
      <TextInput
        label="Count this ending as"
        value={outcomeWords(config.outcome)}
        onChange={(words) => onChange({ outcome: outcomeKey(words) })}
        maxLength={40}
        hint="Reports group conversations by how they ended, e.g. Recovered, Not recovered, Answered. Outputs with nothing connected also end the conversation; add this step when you want to name the ending."
      />
    </div>
  ),
}
