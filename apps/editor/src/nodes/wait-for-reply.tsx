// Wait for reply: branches per button or keywords, per intent ("Wants to talk to a person"), "anything else" and a
// timeout.
import {
  type BranchIntent,
  branchIntentExamples,
  branchIntentLabels,
  branchIntents,
  durationToMs,
  formatDuration,
} from '@parley/flow'
import { useId } from 'react'
import { freshId, IconButton, KeywordsInput, OptionalDuration, Section } from '../inspector/fields.tsx'
import type { NodeUi } from './node-ui.tsx'

export const waitForReplyUi: NodeUi<'wait-for-reply'> = {
  icon: '↩',
  Summary: ({ config }) => (
    <p className="card-text">
      Waits for the shopper’s answer
      {config.timeout ? ` · timeout ${formatDuration(durationToMs(config.timeout))}` : ' · no timeout'}
    </p>
  ),
  Inspector: ({ config, onChange }) => {
    const setBranch = (i: number, patch: Partial<(typeof config.branches)[number]>) =>
      onChange({ ...config, branches: config.branches.map((b, j) => (j === i ? { ...b, ...patch } : b)) })
    return (
      <div className="form">
        <Section
          title="Branches"
          actions={
            <button
              type="button"
              className="link-button"
              onClick={() =>
                onChange({
                  ...config,
                  branches: [
                    ...config.branches,
                    {
                      id: freshId(
                        'b',
                        config.branches.map((b) => b.id),
                      ),
                      title: `Answer ${config.branches.length + 1}`,
                      keywords: [],
                    },
                  ],
                })
              }
            >
              + Add branch
            </button>
          }
        >
          <p className="field-hint">
            A branch is taken when the shopper taps a button with the same title, types it, or uses one of its
            keywords. Anything else goes to “Anything else”.
          </p>
          {config.branches.map((branch, i) => (
            <div key={branch.id} className="branch-box">
              <div className="list-row">
                <input
                  className="input"
                  aria-label={`Branch ${i + 1} title`}
                  value={branch.title}
                  onChange={(e) => setBranch(i, { title: e.target.value })}
                />
                <IconButton
                  label={`Remove branch ${i + 1}`}
                  onClick={() => onChange({ ...config, branches: config.branches.filter((_, j) => j !== i) })}
                >
                  ×
                </IconButton>
              </div>
              <KeywordsInput
                label={`Branch ${i + 1} keywords`}
                value={branch.keywords}
                onChange={(keywords) => setBranch(i, { keywords })}
              />
            </div>
          ))}
        </Section>
        <Section title="What the reply wants">
          <p className="field-hint">
            Tick what should get its own path. Buttons and keywords above are checked first; opt-out words
            such as STOP always unsubscribe the shopper.
          </p>
          <div className="intent-choices">
            {branchIntents.map((intent) => (
              <IntentChoice
                key={intent}
                intent={intent}
                checked={config.intents?.includes(intent) ?? false}
                onChange={(checked) => {
                  const chosen = new Set(config.intents ?? [])
                  if (checked) chosen.add(intent)
                  else chosen.delete(intent)
                  onChange({ ...config, intents: branchIntents.filter((i) => chosen.has(i)) })
                }}
              />
            ))}
          </div>
        </Section>
        <OptionalDuration
          label="Timeout"
          toggleLabel="Stop waiting after a while"
          value={config.timeout}
          onChange={(timeout) => onChange({ ...config, timeout })}
        />
      </div>
    )
  },
}

function IntentChoice({
  intent,
  checked,
  onChange,
}: {
  intent: BranchIntent
  checked: boolean
  onChange(checked: boolean): void
}) {
  const id = useId()
  return (
    <div className="intent-choice">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={`${id}-example`}
      />
      <label htmlFor={id}>{branchIntentLabels[intent]}</label>
      <p id={`${id}-example`} className="field-hint">
        {branchIntentExamples[intent]}
      </p>
    </div>
  )
}
