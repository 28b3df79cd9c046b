// Answer product question: answers the shopper's last message from the catalogue.
import { Toggle } from '../inspector/fields.tsx'
import type { NodeUi } from './node-ui.tsx'

export const answerProductQuestionUi: NodeUi<'answer-product-question'> = {
  icon: '?',
  Summary: ({ config }) => (
    <p className="card-text">Answers from your catalogue{config.sendAnswer ? '' : ' (saved, not sent)'}</p>
  ),
  Inspector: ({ config, onChange }) => (
    <div className="form">
      <p className="form-note">
        Answers the shopper’s last message (“is this in blue?”) from your product catalogue.
      </p>
      <Toggle
        label="Send the answer to the shopper"
        checked={config.sendAnswer}
        onChange={(sendAnswer) => onChange({ ...config, sendAnswer })}
        hint="Off: the answer is saved as {{answer}} for later steps."
      />
    </div>
  ),
}
