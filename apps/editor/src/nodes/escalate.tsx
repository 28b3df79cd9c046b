// Escalate to staff: queue, what staff see first, and a note to the shopper.
import { IconButton, Section, TemplateInput, TextInput } from '../inspector/fields.tsx'
import type { NodeUi } from './node-ui.tsx'

export const escalateUi: NodeUi<'escalate'> = {
  icon: '☺',
  Summary: ({ config }) => (
    <p className="card-text">
      To the <strong>{config.queue || 'support'}</strong> team
      {config.summaryFields.length > 0 ? ` · ${config.summaryFields.map((f) => f.label).join(', ')}` : ''}
    </p>
  ),
  Inspector: ({ config, onChange }) => {
    const setField = (i: number, patch: Partial<{ label: string; path: string }>) =>
      onChange({
        ...config,
        summaryFields: config.summaryFields.map((f, j) => (j === i ? { ...f, ...patch } : f)),
      })
    return (
      <div className="form">
        <TextInput
          label="Team (queue)"
          value={config.queue}
          onChange={(queue) => onChange({ ...config, queue })}
          placeholder="support"
        />
        <Section
          title="What staff see first"
          actions={
            <button
              type="button"
              className="link-button"
              onClick={() =>
                onChange({
                  ...config,
                  summaryFields: [...config.summaryFields, { label: 'Order number', path: 'order.name' }],
                })
              }
            >
              + Add field
            </button>
          }
        >
          {config.summaryFields.map((field, i) => (
            <div key={`f-${i.toString()}`} className="list-row">
              <input
                className="input"
                aria-label={`Field ${i + 1} label`}
                value={field.label}
                onChange={(e) => setField(i, { label: e.target.value })}
              />
              <input
                className="input mono"
                aria-label={`Field ${i + 1} variable`}
                value={field.path}
                onChange={(e) => setField(i, { path: e.target.value })}
              />
              <IconButton
                label={`Remove field ${i + 1}`}
                onClick={() =>
                  onChange({ ...config, summaryFields: config.summaryFields.filter((_, j) => j !== i) })
                }
              >
                ×
              </IconButton>
            </div>
          ))}
        </Section>
        <TemplateInput
          label="Tell the shopper"
          multiline
          value={config.note}
          onChange={(note) => onChange({ ...config, note })}
          hint="Optional, e.g. “Good question! That one is for our team.” Sent just before the queue's own message of when a person will reply (Settings → Queues), so no need to promise a reply here. Leave empty to send only that message."
        />
      </div>
    )
  },
}
