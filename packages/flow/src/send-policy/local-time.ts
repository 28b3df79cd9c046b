// The shopper's wall-clock time from an instant and an IANA zone, through Intl only (no tz database of our own).

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** True when Intl knows the zone. */
export function isValidTimeZone(zone: string | null | undefined): zone is string {
  if (!zone) return false
  try {
    formatter(zone)
    return true
  } catch {
    return false
  }
}

/** The first valid zone of the candidates, else UTC. */
export function pickTimeZone(...candidates: (string | null | undefined)[]): string {
  return candidates.find(isValidTimeZone) ?? 'UTC'
}

export interface LocalTime {
  year: number
  month: number
  day: number
  /** Minutes after local midnight, 0–1439. */
  minuteOfDay: number
  second: number
}

export function localTime(at: number, timeZone: string): LocalTime {
  const parts: Record<string, number> = {}
  for (const part of formatter(timeZone).formatToParts(new Date(at))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    minuteOfDay: (parts.hour ?? 0) * 60 + (parts.minute ?? 0),
    second: parts.second ?? 0,
  }
}

/** 'YYYY-MM-01' of the month `at` falls in, in the zone (template budgets are per calendar month). */
export function monthStart(at: number, timeZone: string): string {
  const { year, month } = localTime(at, timeZone)
  return `${year}-${String(month).padStart(2, '0')}-01`
}
