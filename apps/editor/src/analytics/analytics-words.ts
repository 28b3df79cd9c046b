// The Analytics screen's words and numbers: date presets, money, rates, changes against the previous period,
// durations and skipped-send reasons in plain language. (The lift's sentence comes from the server: lift.ts.)
import type { FlowKeyNumbers, Money } from '@parley/api'
import { describeSkip, type SkipReason } from '@parley/flow'

export type PresetId = '7d' | '30d' | '90d' | 'month' | 'last-month'

export const PRESETS: { id: PresetId; label: string }[] = [
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: '90d', label: 'Last 90 days' },
  { id: 'month', label: 'This month' },
  { id: 'last-month', label: 'Last month' },
]

const DAY = 24 * 60 * 60 * 1000

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/**
 * The dates a preset covers, counted back from `today` ('YYYY-MM-DD' in the store's zone).
 * @example presetRange('7d', '2026-01-10') // { from: '2026-01-04', to: '2026-01-10' }
 */
export function presetRange(preset: PresetId, today: string): { from: string; to: string } {
  const t = Date.parse(`${today}T00:00:00Z`)
  const back = (days: number) => ({ from: isoDate(t - (days - 1) * DAY), to: today })
  if (preset === '7d') return back(7)
  if (preset === '30d') return back(30)
  if (preset === '90d') return back(90)
  const [y, m] = today.split('-').map(Number) as [number, number]
  if (preset === 'month') return { from: `${today.slice(0, 7)}-01`, to: today }
  const firstOfThis = Date.UTC(y, m - 1, 1)
  return { from: isoDate(Date.UTC(y, m - 2, 1)), to: isoDate(firstOfThis - DAY) }
}

export function formatMoney(m: Money): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: m.currency }).format(m.amount)
  } catch {
    return `${m.amount.toFixed(2)} ${m.currency}`
  }
}

/** Amounts in several currencies stay apart: "$110.00 + €80.00"; nothing is "—". */
export function formatMoneyList(list: Money[]): string {
  return list.length === 0 ? '—' : list.map(formatMoney).join(' + ')
}

export function formatCount(n: number): string {
  return n.toLocaleString('en')
}

/** A share 0–1 as "6.2 %". */
export function formatRate(rate: number, digits = 1): string {
  return `${(rate * 100).toFixed(digits)} %`
}

/** How a number moved against the previous period, e.g. "+25 % vs previous 30 days"; null when it cannot say. */
export function changeWords(current: number, previous: number, days: number): string | null {
  if (previous === 0) return current === 0 ? null : `new vs previous ${days} days`
  const change = (current - previous) / previous
  if (Math.abs(change) < 0.0005) return `same as previous ${days} days`
  return `${change > 0 ? '+' : '−'}${Math.abs(change * 100).toFixed(0)} % vs previous ${days} days`
}

/** Seconds as "45 s", "12 min", "3.5 h", "2.1 days". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—'
  if (seconds < 60) return `${Math.round(seconds)} s`
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`
  return `${(seconds / 86_400).toFixed(1)} days`
}

const SKIP_HEADINGS: Record<string, string> = {
  opted_out: 'Shopper unsubscribed',
  no_consent: 'No marketing consent',
  staff_takeover: 'Your team had the chat',
  frequency_cap: 'Message limit reached',
  outside_window_no_template: 'WhatsApp 24-hour window closed, no template',
  template_budget: 'Template budget used up',
  no_channel: 'No way to reach the shopper',
  channel_disabled: 'Channel turned off',
  unreachable: 'Shopper blocked the bot',
}

/** A skipped-send reason as a short heading and the simulator's full sentence. */
export function skipReasonWords(reason: string): { heading: string; detail: string | null } {
  const heading = SKIP_HEADINGS[reason]
  if (!heading) return { heading: 'Other reasons', detail: null }
  return { heading, detail: describeSkip(reason as SkipReason).replace(/^Not sent: /, '') }
}

/** Short day label for the chart axis: "Jan 4". */
export function dayLabel(date: string): string {
  return new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    Date.parse(`${date}T00:00:00Z`),
  )
}

/** A live flow's key number for the flows list: "$110.00 recovered · 1 cart" or "12 conversations finished". */
export function keyNumberWords(n: FlowKeyNumbers['flows'][number] | undefined): string {
  if (!n) return '—'
  if (n.kind === 'revenue') {
    if (n.recovered === 0) return 'No carts recovered yet'
    return `${formatMoneyList(n.revenue)} recovered · ${formatCount(n.recovered)} ${n.recovered === 1 ? 'cart' : 'carts'}`
  }
  return `${formatCount(n.runsFinished)} ${n.runsFinished === 1 ? 'conversation' : 'conversations'} finished`
}
