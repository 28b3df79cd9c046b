// A/B split: percentages per variant, each its own output.
import { freshId, IconButton, Section } from '../inspector/fields.tsx'
import type { NodeUi } from './node-ui.tsx'

export const splitUi: NodeUi<'split'> = {
  icon: '⚖',
  Summary: ({ config }) => (
    <p className="card-text">{config.variants.map((v) => `${v.label || v.id} ${v.percent}%`).join(' / ')}</p>
  ),
  Inspector: ({ config, onChange }) => {
    const total = config.variants.reduce((sum, v) => sum + v.percent, 0)
    const set = (i: number, patch: Partial<(typeof config.variants)[number]>) =>
      onChange({ variants: config.variants.map((v, j) => (j === i ? { ...v, ...patch } : v)) })
    return (
      <div className="form">
        <Section
          title="Variants"
          actions={
            config.variants.length < 10 ? (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  const id = freshId(
                    'v',
                    config.variants.map((v) => v.id),
                  )
                  onChange({
                    variants: [
                      ...config.variants,
                      { id, label: String.fromCharCode(65 + config.variants.length), percent: 0 },
                    ],
                  })
                }}
              >
                + Add variant
              </button>
            ) : null
          }
        >
          {config.variants.map((variant, i) => (
            <div key={variant.id} className="list-row">
              <input
                className="input"
                aria-label={`Variant ${i + 1} name`}
                value={variant.label}
                onChange={(e) => set(i, { label: e.target.value })}
              />
              <input
                className="input input-narrow"
                type="number"
                min={0}
                max={100}
                aria-label={`Variant ${i + 1} percent`}
                value={variant.percent}
                onChange={(e) => set(i, { percent: Math.round(Number(e.target.value) || 0) })}
              />
              <span className="suffix">%</span>
              {config.variants.length > 1 ? (
                <IconButton
                  label={`Remove variant ${i + 1}`}
                  onClick={() => onChange({ variants: config.variants.filter((_, j) => j !== i) })}
                >
                  ×
                </IconButton>
              ) : null}
            </div>
          ))}
          <p className={total === 100 ? 'field-hint' : 'field-error'}>Total {total}% (should be 100%)</p>
        </Section>
      </div>
    )
  },
}
