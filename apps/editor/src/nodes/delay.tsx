// Delay: "Wait 24 h", or "Until 10:00 (shopper's time)".
import { durationToMs, formatDuration } from '@parley/flow'
import { DurationInput, SelectInput, TextInput } from '../inspector/fields.tsx'
import type { NodeUi } from './node-ui.tsx'

export const delayUi: NodeUi<'delay'> = {
  icon: '◔',
  Summary: ({ config }) =>
    config.mode === 'duration' ? (
      <p className="card-big">Wait {formatDuration(durationToMs(config.duration))}</p>
    ) : (
      <p className="card-big">Until {config.time} shopper’s time</p>
    ),
  Inspector: ({ config, onChange }) => (
    <div className="form">
      <SelectInput
        label="Wait"
        value={config.mode}
        options={[
          ['duration', 'For a while'],
          ['time_of_day', 'Until a time of day'],
        ]}
        onChange={(mode) =>
          onChange(
            mode === 'duration'
              ? { mode, duration: { amount: 1, unit: 'hours' } }
              : { mode, time: '10:00', fallbackTimeZone: 'Europe/London' },
          )
        }
      />
      {config.mode === 'duration' ? (
        <DurationInput
          label="Duration"
          value={config.duration}
          onChange={(duration) => onChange({ ...config, duration })}
        />
      ) : (
        <>
          <TextInput
            label="Time of day"
            value={config.time}
            onChange={(time) => onChange({ ...config, time })}
            hint="24-hour clock in the shopper’s time zone, e.g. 09:30"
          />
          <TextInput
            label="Time zone when the shopper’s is unknown"
            value={config.fallbackTimeZone}
            onChange={(fallbackTimeZone) => onChange({ ...config, fallbackTimeZone })}
            hint="An IANA zone such as Europe/Berlin or America/New_York"
          />
        </>
      )}
    </div>
  ),
}
