// Message received: starts on any message, or on messages with certain keywords.
import { KeywordsInput, SelectInput } from '../inspector/fields.tsx'
import type { NodeUi } from './node-ui.tsx'

export const triggerMessageUi: NodeUi<'trigger-message'> = {
  icon: '⚡',
  Summary: ({ config }) =>
    config.match === 'any' ? (
      <span>Any message from a shopper</span>
    ) : config.match === 'greeting' ? (
      <span>The shopper says hello (hi, hallo, bonjour…)</span>
    ) : (
      <span>
        Message contains{' '}
        {config.keywords.length > 0 ? (
          config.keywords.map((k) => (
            <span key={k} className="chip">
              {k}
            </span>
          ))
        ) : (
          <span className="muted">no keywords yet</span>
        )}
      </span>
    ),
  Inspector: ({ config, onChange }) => (
    <div className="form">
      <SelectInput
        label="Start on"
        value={config.match}
        options={[
          ['any', 'Any message'],
          ['keyword', 'Messages with keywords'],
          ['greeting', 'A greeting (hi, hello, hallo, bonjour, hola, olá, ciao)'],
        ]}
        onChange={(match) => onChange({ ...config, match })}
      />
      {config.match === 'keyword' ? (
        <KeywordsInput
          label="Keywords"
          value={config.keywords}
          onChange={(keywords) => onChange({ ...config, keywords })}
          hint="Matched anywhere in the message, ignoring case. Separate with commas."
        />
      ) : null}
    </div>
  ),
}
