// Whether a queue's team is at work at an instant (business hours in the store's zone), and when it next opens:
// the acknowledgement an escalation sends says "usually within 15 minutes" or "after we open tomorrow at 09:00".
import { localTime } from '../send-policy/local-time.ts'

export interface OpeningHours {
  days: string[]
  /** "HH:MM" in the store's zone. */
  open: string
  close: string
}

export type OpeningState = { open: true } | { open: false; opensAt: number; label: string }

const MINUTE = 60_000
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
const DAY_NAMES: Record<string, string> = {
  sun: 'Sunday',
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
}

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/**
 * Open or closed at `at`; when closed, when it opens next and how to say so ("tomorrow at 09:00"). No hours at
 * all = always open (the team answers whenever it can).
 * @example openingState(Date.UTC(2026, 0, 5, 20, 0), { days: ['mon'], open: '09:00', close: '17:00' }, 'UTC')
 *   // { open: false, opensAt: Date.UTC(2026, 0, 12, 9, 0), label: 'on Monday at 09:00' }
 */
export function openingState(at: number, hours: OpeningHours | null, timeZone: string): OpeningState {
  if (!hours || hours.days.length === 0) return { open: true }
  const local = localTime(at, timeZone)
  const weekday = new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay()
  const open = minutesOf(hours.open)
  const close = minutesOf(hours.close)
  const today = WEEKDAYS[weekday] as string
  if (hours.days.includes(today) && local.minuteOfDay >= open && local.minuteOfDay < close)
    return { open: true }
  for (let ahead = 0; ahead <= 7; ahead++) {
    const day = WEEKDAYS[(weekday + ahead) % 7] as string
    if (!hours.days.includes(day)) continue
    if (ahead === 0 && local.minuteOfDay >= open) continue
    const startOfMinute = at - local.second * 1000 - (at % 1000)
    const opensAt = startOfMinute + (ahead * 1440 + open - local.minuteOfDay) * MINUTE
    const label =
      ahead === 0
        ? `today at ${hours.open}`
        : ahead === 1
          ? `tomorrow at ${hours.open}`
          : `on ${DAY_NAMES[day]} at ${hours.open}`
    return { open: false, opensAt, label }
  }
  return { open: true }
}

/**
 * A reply time in words.
 * @example replyTimeInWords(15) // '15 minutes'
 * @example replyTimeInWords(120) // '2 hours'
 */
export function replyTimeInWords(minutes: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`
  if (minutes < 60) return plural(minutes, 'minute')
  if (minutes < 24 * 60) {
    const hours = Math.floor(minutes / 60)
    const rest = minutes % 60
    return rest === 0 ? plural(hours, 'hour') : `${plural(hours, 'hour')} ${plural(rest, 'minute')}`
  }
  const days = Math.round(minutes / (24 * 60))
  return plural(days, 'day')
}
