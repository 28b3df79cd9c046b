// HTTP request: call another system; the response is saved in a variable.
import {
  IconButton,
  NumberInput,
  Section,
  SelectInput,
  TemplateInput,
  TextInput,
} from '../inspector/fields.tsx'
import type { NodeUi } from './node-ui.tsx'

const METHODS = [
  ['GET', 'GET'],
  ['POST', 'POST'],
  ['PUT', 'PUT'],
  ['PATCH', 'PATCH'],
  ['DELETE', 'DELETE'],
] as const

export const httpRequestUi: NodeUi<'http-request'> = {
  icon: '⇄',
  Summary: ({ config }) => (
    <p className="card-text mono">
      {config.method} {config.url || <span className="muted">no URL yet</span>}
    </p>
  ),
  Inspector: ({ config, onChange }) => (
    <div className="form">
      <div className="row">
        <SelectInput
          label="Method"
          value={config.method}
          options={METHODS}
          onChange={(method) => onChange({ ...config, method })}
        />
        <NumberInput
          label="Timeout"
          suffix="s"
          value={config.timeoutSeconds}
          min={1}
          max={30}
          onChange={(timeoutSeconds) => onChange({ ...config, timeoutSeconds })}
        />
      </div>
      <TemplateInput
        label="URL"
        value={config.url}
        onChange={(url) => onChange({ ...config, url })}
        placeholder="https://api.example.com/loyalty/{{contact.email}}"
      />
      <Section
        title="Headers"
        actions={
          <button
            type="button"
            className="link-button"
            onClick={() =>
              onChange({ ...config, headers: [...config.headers, { name: 'Authorization', value: '' }] })
            }
          >
            + Add header
          </button>
        }
      >
        {config.headers.map((header, i) => (
          <div key={`h-${i.toString()}`} className="list-row">
            <input
              className="input"
              aria-label={`Header ${i + 1} name`}
              value={header.name}
              onChange={(e) =>
                onChange({
                  ...config,
                  headers: config.headers.map((h, j) => (j === i ? { ...h, name: e.target.value } : h)),
                })
              }
            />
            <input
              className="input"
              aria-label={`Header ${i + 1} value`}
              value={header.value}
              onChange={(e) =>
                onChange({
                  ...config,
                  headers: config.headers.map((h, j) => (j === i ? { ...h, value: e.target.value } : h)),
                })
              }
            />
            <IconButton
              label={`Remove header ${i + 1}`}
              onClick={() => onChange({ ...config, headers: config.headers.filter((_, j) => j !== i) })}
            >
              ×
            </IconButton>
          </div>
        ))}
      </Section>
      {config.method !== 'GET' ? (
        <TemplateInput
          label="Body"
          multiline
          value={config.body}
          onChange={(body) => onChange({ ...config, body })}
        />
      ) : null}
      <TextInput
        label="Save the response as"
        value={config.saveAs}
        onChange={(saveAs) => onChange({ ...config, saveAs })}
        hint="Later steps find the response in their “+ Variable” menu."
      />
    </div>
  ),
}
