// The recovery report as CSV: one row per day and a total row, the same numbers as the JSON report. Money gets a
// column per currency. Every cell is a date, a number or a currency code, quoted when it needs to be.
import type { RecoveryCounts, RecoveryReport } from '@parley/api'

const COUNT_COLUMNS = [
  ['abandoned', 'abandoned'],
  ['in_holdout', 'inHoldout'],
  ['messaged', 'messaged'],
  ['sent', 'sent'],
  ['delivered', 'delivered'],
  ['read', 'read'],
  ['clicked', 'clicked'],
  ['replied', 'replied'],
  ['recovered_by_parley', 'recoveredByParley'],
  ['recovered_without_messages', 'recoveredWithoutMessages'],
] as const satisfies readonly (readonly [string, keyof RecoveryCounts])[]

function cell(value: string | number): string {
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function recoveryCsv(report: RecoveryReport): string {
  const currencies = (key: 'revenue' | 'templateCost') =>
    [...new Set([...report.totals[key].map((m) => m.currency)])].sort()
  const revenueCurrencies = currencies('revenue')
  const costCurrencies = currencies('templateCost')
  const header = [
    'date',
    ...COUNT_COLUMNS.map(([name]) => name),
    ...revenueCurrencies.map((c) => `revenue_${c}`),
    ...costCurrencies.map((c) => `template_cost_${c}`),
  ]
  const row = (label: string, counts: RecoveryCounts) => [
    label,
    ...COUNT_COLUMNS.map(([, key]) => counts[key] as number),
    ...revenueCurrencies.map((c) => counts.revenue.find((m) => m.currency === c)?.amount ?? 0),
    ...costCurrencies.map((c) => counts.templateCost.find((m) => m.currency === c)?.amount ?? 0),
  ]
  const rows = [header, ...report.days.map((d) => row(d.date, d)), row('total', report.totals)]
  return `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`
}
