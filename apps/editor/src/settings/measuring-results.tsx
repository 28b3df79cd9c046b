// "Measuring results" in the Messaging rules tab: the holdout share (carts that get no recovery messages, so the
// report can show how many orders the messages really added) and the attribution window (how long after the
// last message an order still counts as recovered by Parley). README "How recovery is counted" defines both.
import type { MeasurementSettings, Settings } from '@parley/api'
import { errorAt, type FieldErrors } from './field-errors.ts'
import { Field } from './settings-field.tsx'

/** Shown until the server sends the group (an older runtime): the schema's defaults. */
const FALLBACK: MeasurementSettings = { holdoutPercent: 10, attributionWindowDays: 7 }

export function MeasuringResults({
  defaults,
  draft,
  change,
  errors,
}: {
  defaults: Settings
  draft: Settings
  change(next: Settings): void
  errors: FieldErrors
}) {
  const fallback = defaults.measurement ?? FALLBACK
  const m = draft.measurement ?? fallback
  const set = (next: Partial<MeasurementSettings>) => change({ ...draft, measurement: { ...m, ...next } })
  const number = (value: number) => (Number.isNaN(value) ? '' : value)
  return (
    <fieldset className="settings-group">
      <legend>Measuring results</legend>
      <p className="field-hint">
        To show how many orders your messages really added, a small random share of abandoned carts gets no
        recovery messages. Comparing how often those carts are ordered with the others gives the lift.
      </p>
      <Field
        label="Carts held out (%)"
        error={errorAt(errors, 'measurement.holdoutPercent')}
        hint={`Default: ${fallback.holdoutPercent} %. From 0 to 50. At 0 every cart gets messages, and the lift cannot be measured. A larger share measures sooner but messages fewer carts.`}
      >
        {(id) => (
          <input
            id={id}
            className="input input-sm"
            type="number"
            min={0}
            max={50}
            step={1}
            value={number(m.holdoutPercent)}
            onChange={(e) => set({ holdoutPercent: e.target.valueAsNumber })}
          />
        )}
      </Field>
      <Field
        label="Attribution window (days)"
        error={errorAt(errors, 'measurement.attributionWindowDays')}
        hint={`Default: ${fallback.attributionWindowDays} days. From 1 to 30. An order placed within this many days after the last recovery message counts as recovered by Parley; a later one is shown, not counted.`}
      >
        {(id) => (
          <input
            id={id}
            className="input input-sm"
            type="number"
            min={1}
            max={30}
            step={1}
            value={number(m.attributionWindowDays)}
            onChange={(e) => set({ attributionWindowDays: e.target.valueAsNumber })}
          />
        )}
      </Field>
    </fieldset>
  )
}
