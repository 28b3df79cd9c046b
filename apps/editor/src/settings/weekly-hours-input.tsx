// The days and opening hours of a week (store business hours, a queue's own hours): one input for both forms.
import { type BusinessHours, type Weekday, weekdaySchema } from '@parley/api'

export const dayNames: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
}

/** The weekdays as checkboxes in week order, and the opening and closing times. */
export function WeeklyHoursInput({
  hours,
  onChange,
}: {
  hours: BusinessHours
  onChange(hours: BusinessHours): void
}) {
  return (
    <>
      <div className="checks inline">
        {weekdaySchema.options.map((day) => (
          <label key={day} className="check">
            <input
              type="checkbox"
              checked={hours.days.includes(day)}
              onChange={() =>
                onChange({
                  ...hours,
                  days: hours.days.includes(day)
                    ? hours.days.filter((d) => d !== day)
                    : weekdaySchema.options.filter((d) => d === day || hours.days.includes(d)),
                })
              }
            />
            {dayNames[day]}
          </label>
        ))}
      </div>
      <div className="row">
        <span>Open from</span>
        <input
          aria-label="Opening time"
          className="input input-sm"
          type="time"
          value={hours.open}
          onChange={(e) => onChange({ ...hours, open: e.target.value })}
        />
        <span>to</span>
        <input
          aria-label="Closing time"
          className="input input-sm"
          type="time"
          value={hours.close}
          onChange={(e) => onChange({ ...hours, close: e.target.value })}
        />
      </div>
    </>
  )
}
