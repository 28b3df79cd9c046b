// The canvas's "Show numbers" toggle, and while on, which version and period the numbers on the cards count.
import { useEffect, useId } from 'react'
import { type FlowNumbersState, flowNumbers, useFlowNumbers } from './flow-numbers-store.ts'

export function ShowNumbersToggle({ flowId }: { flowId: string }) {
  const shown = useFlowNumbers((s) => s.shown)
  useEffect(() => flowNumbers.open(flowId), [flowId])
  return (
    <button
      type="button"
      className="button sm"
      aria-pressed={shown}
      onClick={flowNumbers.toggle}
      title="Show on each step how many shoppers reached it and wait there now"
    >
      Show numbers
    </button>
  )
}

const PERIODS: { id: FlowNumbersState['preset']; label: string }[] = [
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: '90d', label: 'Last 90 days' },
]

/** Shown above the canvas while the numbers are on. */
export function FlowNumbersBar() {
  const id = useId()
  const shown = useFlowNumbers((s) => s.shown)
  const report = useFlowNumbers((s) => s.report)
  const version = useFlowNumbers((s) => s.version)
  const preset = useFlowNumbers((s) => s.preset)
  const loading = useFlowNumbers((s) => s.loading)
  const error = useFlowNumbers((s) => s.error)
  if (!shown) return null
  const selected = report?.versions.find((v) => v.version === report.version)
  return (
    <section className="flow-numbers-bar" aria-label="Numbers on the canvas">
      {report && report.version === null ? (
        <span>Publish this flow to see how shoppers move through it.</span>
      ) : (
        <>
          <label htmlFor={`${id}-version`}>Version</label>
          <select
            id={`${id}-version`}
            className="input input-sm"
            value={version ?? ''}
            onChange={(e) => flowNumbers.setVersion(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">Live version</option>
            {report?.versions.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-period`}>Period</label>
          <select
            id={`${id}-period`}
            className="input input-sm"
            value={preset}
            onChange={(e) => flowNumbers.setPreset(e.target.value as FlowNumbersState['preset'])}
          >
            {PERIODS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
          <span className="muted" aria-live="polite">
            {error
              ? `Numbers could not be loaded: ${error}`
              : loading
                ? 'Counting…'
                : selected
                  ? `v${report?.version}: ${selected.runsStarted.toLocaleString('en')} started, ${selected.active.toLocaleString('en')} still going${
                      selected.ended.length > 0
                        ? `, ${selected.ended.reduce((s, e) => s + e.runs, 0).toLocaleString('en')} finished`
                        : ''
                    }`
                  : ''}
          </span>
          {error ? (
            <button type="button" className="button sm" onClick={() => void flowNumbers.refresh()}>
              Try again
            </button>
          ) : null}
        </>
      )}
    </section>
  )
}

/** The numbers on one step's card: reached in the period, waiting there now. */
export function StepNumbers({ nodeId }: { nodeId: string }) {
  const numbers = useFlowNumbers((s) => (s.shown ? s.byNode[nodeId] : undefined))
  if (!numbers) return null
  return (
    <div className="step-numbers" data-testid={`step-numbers-${nodeId}`}>
      <span>
        <strong>{numbers.reached.toLocaleString('en')}</strong> reached
      </span>
      {numbers.waiting > 0 ? (
        <span>
          <strong>{numbers.waiting.toLocaleString('en')}</strong> waiting now
        </span>
      ) : null}
      {numbers.messagesSent > 0 ? (
        <span>
          <strong>{numbers.messagesSent.toLocaleString('en')}</strong> sent
        </span>
      ) : null}
    </div>
  )
}

/** On an edge: how many went on along it, how many of the step's runs did not. */
export function EdgeNumbers({ edgeId }: { edgeId: string }) {
  const numbers = useFlowNumbers((s) => (s.shown ? s.byEdge[edgeId] : undefined))
  if (!numbers) return null
  return (
    <span className="edge-numbers" data-testid={`edge-numbers-${edgeId}`}>
      {numbers.continued.toLocaleString('en')} went on
      {numbers.dropOff > 0 ? ` · ${numbers.dropOff.toLocaleString('en')} stopped` : ''}
    </span>
  )
}
