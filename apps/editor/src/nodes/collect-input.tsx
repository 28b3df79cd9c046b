// Collect input: ask, check the answer's type, retry, save it in a variable.
import { collectInputButtons } from '@parley/flow'
import { NumberInput, OptionalDuration, SelectInput, TemplateInput, TextInput } from '../inspector/fields.tsx'
import { MessagePreview } from '../inspector/message-preview.tsx'
import { ButtonsEditor, TemplateFallbackEditor } from './message-fields.tsx'
import type { NodeUi } from './node-ui.tsx'
import { MessageSummary } from './send-message.tsx'

const INPUT_TYPES = [
  ['text', 'Text'],
  ['number', 'Number'],
  ['order_number', 'Order number'],
  ['email', 'Email address'],
  ['photo', 'Photo'],
] as const

const TYPE_WORDS = Object.fromEntries(INPUT_TYPES)

export const collectInputUi: NodeUi<'collect-input'> = {
  icon: '✎',
  Summary: ({ config }) => (
    <MessageSummary
      text={config.prompt}
      buttons={collectInputButtons(config)}
      extras={[`Expects: ${TYPE_WORDS[config.inputType]}`]}
    />
  ),
  Inspector: ({ config, onChange }) => (
    <div className="form">
      <TemplateInput
        label="Question"
        multiline
        value={config.prompt}
        onChange={(prompt) => onChange({ ...config, prompt })}
        placeholder="What is your order number?"
      />
      <SelectInput
        label="Expected answer"
        value={config.inputType}
        options={INPUT_TYPES}
        onChange={(inputType) => onChange({ ...config, inputType })}
      />
      <TextInput
        label="Save the answer as"
        value={config.variable}
        // One word, as variables are named: spaces become "_" while typing.
        onChange={(variable) => onChange({ ...config, variable: variable.replace(/\s/g, '_') })}
        hint="Later steps find the answer in their “+ Variable” menu."
      />
      <ButtonsEditor
        title="Suggested answers"
        buttons={config.buttons}
        onChange={(buttons) => onChange({ ...config, buttons })}
      />
      <TextInput
        label="Let them skip (button text)"
        value={config.skipButton}
        onChange={(skipButton) => onChange({ ...config, skipButton })}
        placeholder="Skip"
        hint="Leave empty to require an answer. A tap on it goes on to “Answered” without saving anything."
      />
      <MessagePreview message={{ text: config.prompt, buttons: collectInputButtons(config) }} />
      <NumberInput
        label="Retries after an invalid answer"
        value={config.retries}
        min={0}
        max={5}
        onChange={(retries) => onChange({ ...config, retries })}
      />
      <TemplateInput
        label="Retry message"
        multiline
        value={config.retryText}
        onChange={(retryText) => onChange({ ...config, retryText })}
      />
      <OptionalDuration
        label="Timeout"
        toggleLabel="Stop waiting after a while"
        value={config.timeout}
        onChange={(timeout) => onChange({ ...config, timeout })}
      />
      <TemplateFallbackEditor
        template={config.whatsappTemplate}
        onChange={(whatsappTemplate) => onChange({ ...config, whatsappTemplate })}
      />
    </div>
  ),
}
