// A report's period: whole days in the merchant's time zone (both ends included), the instants they start and
// end at, and the same number of days just before (the comparison).
import type { ReportPeriod, ReportPeriodQuery } from '@parley/api'
import { sql } from 'kysely'
import type { Db } from '../engine/step-transaction.ts'
import { badRequest } from '../http/errors.ts'

const DAY = 24 * 60 * 60 * 1000
/** Longer ranges would be slow and unreadable as a chart. */
export const MAX_REPORT_DAYS = 366
export const DEFAULT_REPORT_DAYS = 30

export interface ResolvedPeriod extends ReportPeriod {
  /** The first instant of `from` and the first instant after `to`, in the merchant's zone. */
  start: Date
  end: Date
}

/** The calendar date of `instant` in `timeZone`, 'YYYY-MM-DD'. */
export function dateIn(instant: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant)
}

/** 'YYYY-MM-DD' plus `days` (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10)
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY) + 1
}

/** Every date of the period in order (the chart's x axis has a point for days with nothing). */
export function datesOf(period: ReportPeriod): string[] {
  const out: string[] = []
  for (let d = period.from; d <= period.to; d = addDays(d, 1)) out.push(d)
  return out
}

/**
 * The period a query asks for (default: the last 30 days up to today in the merchant's zone) and the one before.
 * Throws 400 bad_request when `from` is after `to` or the range is longer than a year.
 */
export async function resolvePeriods(
  db: Db,
  merchantId: string,
  query: ReportPeriodQuery,
  now: number,
): Promise<{ current: ResolvedPeriod; previous: ResolvedPeriod }> {
  const merchant = await db
    .selectFrom('merchants')
    .select('timezone')
    .where('id', '=', merchantId)
    .executeTakeFirstOrThrow()
  const timezone = merchant.timezone
  const to = query.to ?? (query.from ? addDays(query.from, DEFAULT_REPORT_DAYS - 1) : dateIn(now, timezone))
  const from = query.from ?? addDays(to, -(DEFAULT_REPORT_DAYS - 1))
  if (from > to) throw badRequest('"from" must not be after "to"')
  const days = daysBetween(from, to)
  if (days > MAX_REPORT_DAYS) throw badRequest(`A report covers at most ${MAX_REPORT_DAYS} days`)
  const previousTo = addDays(from, -1)
  const previousFrom = addDays(previousTo, -(days - 1))
  // The zone's offsets (daylight saving included) are Postgres's to apply: one round trip for all four instants.
  const bounds = await sql<{ a: Date; b: Date; c: Date }>`select
      (${previousFrom}::date)::timestamp at time zone ${timezone} as a,
      (${from}::date)::timestamp at time zone ${timezone} as b,
      (${to}::date + 1)::timestamp at time zone ${timezone} as c`.execute(db)
  const { a, b, c } = bounds.rows[0] as { a: Date; b: Date; c: Date }
  return {
    current: { from, to, timezone, start: new Date(b), end: new Date(c) },
    previous: { from: previousFrom, to: previousTo, timezone, start: new Date(a), end: new Date(b) },
  }
}

export function publicPeriod(period: ResolvedPeriod): ReportPeriod {
  return { from: period.from, to: period.to, timezone: period.timezone }
}
