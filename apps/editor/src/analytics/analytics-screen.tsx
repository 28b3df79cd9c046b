// The Analytics screen: how much Parley recovered over a period (KPI tiles against the previous period, the
// funnel, recovered carts and revenue by day, the holdout lift in words), what it cost, and the conversation
// numbers. Loaded on demand (analytics-entry.tsx) so the chart library never weighs on the editor's first load.
import type { ConversationReport, RecoveryReport, ReportPeriodQuery } from '@parley/api'
import { useEffect, useId, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'
import {
  changeWords,
  formatCount,
  formatDuration,
  formatMoney,
  formatMoneyList,
  formatRate,
  PRESETS,
  type PresetId,
  presetRange,
  skipReasonWords,
} from './analytics-words.ts'
import { RecoveryChart } from './recovery-chart.tsx'

type Selection = { kind: 'preset'; preset: PresetId } | { kind: 'custom'; from: string; to: string }

interface Loaded {
  recovery: RecoveryReport
  conversations: ConversationReport
}

function daysIn(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1
}

export default function AnalyticsScreen() {
  const [selection, setSelection] = useState<Selection>({ kind: 'preset', preset: '30d' })
  /** Today in the store's zone, learnt from the first report (the server knows the zone). */
  const [today, setToday] = useState<string | null>(null)
  const [data, setData] = useState<Loaded | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const [attempt, setAttempt] = useState(0)

  const query: ReportPeriodQuery | null =
    selection.kind === 'custom'
      ? { from: selection.from, to: selection.to }
      : today
        ? presetRange(selection.preset, today)
        : selection.preset === '30d'
          ? {}
          : null

  const key = JSON.stringify(query)
  useEffect(() => {
    void attempt
    const q = JSON.parse(key) as ReportPeriodQuery | null
    if (q === null) return
    let stale = false
    setLoading(true)
    setError(null)
    Promise.all([api.analytics.recovery(q), api.analytics.conversations(q)]).then(
      ([recovery, conversations]) => {
        if (stale) return
        setData({ recovery, conversations })
        setToday((t) => t ?? (Object.keys(q).length === 0 ? recovery.period.to : null))
        setLoading(false)
      },
      (e) => {
        if (stale) return
        setError(errorMessage(e))
        setLoading(false)
      },
    )
    return () => {
      stale = true
    }
  }, [key, attempt])

  const period = data?.recovery.period
  const csvUrl = period ? api.analytics.recoveryCsvUrl({ from: period.from, to: period.to }) : undefined

  return (
    <div className="analytics">
      <div className="page-head">
        <div>
          <h1>Analytics</h1>
          <p className="muted">
            What Parley recovered for you, what it cost, and how conversations went.
            {period ? ` Days are counted in your store's time zone (${period.timezone}).` : ''}
          </p>
        </div>
        <div className="analytics-controls">
          <RangePicker selection={selection} onChange={setSelection} period={period} />
          {csvUrl ? (
            <a className="button" href={csvUrl} download>
              Download CSV
            </a>
          ) : null}
        </div>
      </div>
      {error ? (
        <div className="banner error" role="alert">
          Analytics could not be loaded: {error}{' '}
          <button type="button" className="button sm" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      ) : null}
      {data === null ? (
        loading ? (
          <div className="analytics-loading" aria-busy="true" role="status" aria-label="Loading analytics">
            {[0, 1, 2, 3].map((i) => (
              <div key={i} className="kpi skeleton" />
            ))}
          </div>
        ) : null
      ) : (
        <div className={loading ? 'analytics-body refreshing' : 'analytics-body'} aria-busy={loading}>
          <Report data={data} />
        </div>
      )}
    </div>
  )
}

function RangePicker({
  selection,
  onChange,
  period,
}: {
  selection: Selection
  onChange(s: Selection): void
  period: RecoveryReport['period'] | undefined
}) {
  const id = useId()
  const [from, setFrom] = useState(period?.from ?? '')
  const [to, setTo] = useState(period?.to ?? '')
  useEffect(() => {
    if (period) {
      setFrom(period.from)
      setTo(period.to)
    }
  }, [period])
  const value = selection.kind === 'preset' ? selection.preset : 'custom'
  return (
    <div className="range-picker">
      <label htmlFor={`${id}-preset`} className="visually-hidden">
        Period
      </label>
      <select
        id={`${id}-preset`}
        className="input"
        value={value}
        onChange={(e) => {
          const v = e.target.value
          if (v === 'custom') onChange({ kind: 'custom', from, to })
          else onChange({ kind: 'preset', preset: v as PresetId })
        }}
      >
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
        <option value="custom">Custom dates</option>
      </select>
      {selection.kind === 'custom' ? (
        <form
          className="range-dates"
          onSubmit={(e) => {
            e.preventDefault()
            if (from && to && from <= to) onChange({ kind: 'custom', from, to })
          }}
        >
          <label>
            From{' '}
            <input
              type="date"
              className="input"
              value={from}
              max={to}
              onChange={(e) => setFrom(e.target.value)}
            />
          </label>
          <label>
            To{' '}
            <input
              type="date"
              className="input"
              value={to}
              min={from}
              onChange={(e) => setTo(e.target.value)}
            />
          </label>
          <button type="submit" className="button sm" disabled={!from || !to || from > to}>
            Show
          </button>
        </form>
      ) : null}
    </div>
  )
}

function Report({ data }: { data: Loaded }) {
  const { recovery, conversations } = data
  const { totals, previousTotals } = recovery
  const days = daysIn(recovery.period.from, recovery.period.to)
  const nothing =
    totals.abandoned === 0 &&
    totals.sent === 0 &&
    conversations.escalations.length === 0 &&
    conversations.skippedSends.length === 0
  if (nothing) {
    return (
      <div className="empty">
        <h2>Nothing to report for these dates</h2>
        <p>
          Numbers appear here once shoppers abandon carts and your flows start sending. Publish a
          cart-recovery flow and connect your store, or pick a longer period.
        </p>
      </div>
    )
  }
  const revenueTotal = totals.revenue.reduce((s, m) => s + m.amount, 0)
  const previousRevenueTotal = previousTotals.revenue.reduce((s, m) => s + m.amount, 0)
  const sameCurrency =
    totals.revenue.length <= 1 &&
    previousTotals.revenue.length <= 1 &&
    (totals.revenue[0]?.currency ?? previousTotals.revenue[0]?.currency) ===
      (previousTotals.revenue[0]?.currency ?? totals.revenue[0]?.currency)
  return (
    <>
      <section className="kpis" aria-label="Key numbers">
        <Kpi
          label="Carts recovered by Parley"
          value={formatCount(totals.recoveredByParley)}
          change={changeWords(totals.recoveredByParley, previousTotals.recoveredByParley, days)}
          hint={`of ${formatCount(totals.abandoned - totals.inHoldout)} abandoned ${totals.abandoned - totals.inHoldout === 1 ? 'cart' : 'carts'} that could get messages`}
        />
        <Kpi
          label="Recovered revenue"
          value={formatMoneyList(totals.revenue)}
          change={sameCurrency ? changeWords(revenueTotal, previousRevenueTotal, days) : null}
          hint="orders placed after a message, within the attribution window"
        />
        <Kpi
          label="Recovery rate"
          value={formatRate(totals.recoveryRate)}
          change={changeWords(totals.recoveryRate, previousTotals.recoveryRate, days)}
          hint={`${formatCount(totals.recoveredWithoutMessages)} more ordered before any message (not counted)`}
        />
        <Kpi
          label="Return on template spend"
          value={totals.roi.length > 0 ? totals.roi.map((r) => `${r.value.toFixed(1)}×`).join(' · ') : '—'}
          change={null}
          hint={
            totals.templateCost.length > 0
              ? `${formatMoneyList(totals.templateCost)} spent · ${formatMoneyList(totals.costPerRecoveredCart)} per recovered cart`
              : 'no paid template messages in this period'
          }
        />
      </section>

      <section className="card lift" aria-labelledby="lift-heading">
        <h2 id="lift-heading">Would these carts have come back anyway?</h2>
        <p className="lift-sentence">{recovery.lift.summary}</p>
        {recovery.lift.incremental && recovery.lift.incremental.revenue.length > 0 ? (
          <p>
            Revenue the messages added beyond what would have come anyway:{' '}
            {recovery.lift.incremental.revenue
              .map(
                (r) =>
                  `${formatMoney(r)} (95 % interval ${formatMoney({ currency: r.currency, amount: r.low })} to ${formatMoney({ currency: r.currency, amount: r.high })})`,
              )
              .join(', ')}
            .
          </p>
        ) : null}
        <p className="muted">
          Carts that got messages: {formatRate(recovery.lift.messagedGroup.rate)} ordered (
          {formatCount(recovery.lift.messagedGroup.ordered)} of{' '}
          {formatCount(recovery.lift.messagedGroup.carts)}). Control group, no messages:{' '}
          {formatRate(recovery.lift.controlGroup.rate)} ordered (
          {formatCount(recovery.lift.controlGroup.ordered)} of {formatCount(recovery.lift.controlGroup.carts)}
          ).
        </p>
      </section>

      <div className="analytics-grid">
        <section className="card" aria-labelledby="funnel-heading">
          <h2 id="funnel-heading">From abandoned cart to order</h2>
          <Funnel recovery={recovery} />
        </section>
        <section className="card" aria-labelledby="chart-heading">
          <h2 id="chart-heading">Recovered carts and revenue by day</h2>
          <RecoveryChart days={recovery.days} />
        </section>
      </div>

      <div className="analytics-grid">
        <section className="card" aria-labelledby="cost-heading">
          <h2 id="cost-heading">WhatsApp template cost</h2>
          {totals.templateCostByCategory.length === 0 ? (
            <p className="muted">
              No paid template messages in this period. Replies inside the 24-hour window are free.
            </p>
          ) : (
            <table className="analytics-table">
              <thead>
                <tr>
                  <th scope="col">Kind of message</th>
                  <th scope="col">Messages</th>
                  <th scope="col">Cost</th>
                </tr>
              </thead>
              <tbody>
                {totals.templateCostByCategory.map((c) => (
                  <tr key={`${c.category} ${c.currency}`}>
                    <td>{CATEGORY_WORDS[c.category] ?? 'Other'}</td>
                    <td>{formatCount(c.messages)}</td>
                    <td>{formatMoney({ currency: c.currency, amount: c.amount })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card" aria-labelledby="skipped-heading">
          <h2 id="skipped-heading">Messages not sent</h2>
          {conversations.skippedSends.length === 0 ? (
            <p className="muted">Every message that was due went out.</p>
          ) : (
            <ul className="skipped-list">
              {conversations.skippedSends.map((s) => {
                const words = skipReasonWords(s.reason)
                return (
                  <li key={s.reason}>
                    <strong>{formatCount(s.count)}</strong> <span>{words.heading}</span>
                    {words.detail ? <span className="muted"> — {words.detail}</span> : null}
                  </li>
                )
              })}
            </ul>
          )}
        </section>
      </div>

      <section className="card" aria-labelledby="conversations-heading">
        <h2 id="conversations-heading">Conversations with your team</h2>
        <Conversations report={conversations} />
      </section>
    </>
  )
}

const CATEGORY_WORDS: Record<string, string> = {
  marketing: 'Marketing',
  utility: 'Order and account updates',
  authentication: 'Sign-in codes',
  service: 'Replies to shoppers',
}

function Kpi(props: { label: string; value: string; change: string | null; hint: string }) {
  const direction = props.change?.startsWith('+') ? 'up' : props.change?.startsWith('−') ? 'down' : 'flat'
  return (
    <div className="kpi">
      <span className="kpi-label">{props.label}</span>
      <strong className="kpi-value">{props.value}</strong>
      {props.change ? <span className={`kpi-change ${direction}`}>{props.change}</span> : null}
      <span className="kpi-hint muted">{props.hint}</span>
    </div>
  )
}

function Funnel({ recovery }: { recovery: RecoveryReport }) {
  const t = recovery.totals
  const steps = [
    { label: 'Carts abandoned', n: t.abandoned },
    { label: 'Carts that got a message', n: t.messaged },
    { label: 'Messages delivered', n: t.delivered },
    { label: 'Messages read', n: t.read },
    { label: 'Links clicked', n: t.clicked },
    { label: 'Replies from shoppers', n: t.replied },
    { label: 'Carts recovered by Parley', n: t.recoveredByParley },
  ]
  const max = Math.max(1, ...steps.map((s) => s.n))
  return (
    <>
      <ol className="funnel">
        {steps.map((s) => (
          <li key={s.label}>
            <span className="funnel-label">{s.label}</span>
            <span className="funnel-bar" aria-hidden="true">
              <span style={{ width: `${(s.n / max) * 100}%` }} />
            </span>
            <strong className="funnel-n">{formatCount(s.n)}</strong>
          </li>
        ))}
      </ol>
      <p className="muted small">
        {formatCount(t.inHoldout)} {t.inHoldout === 1 ? 'cart was' : 'carts were'} kept in the control group
        and got no messages. {formatCount(t.sent)} recovery {t.sent === 1 ? 'message was' : 'messages were'}{' '}
        sent in this period.
      </p>
    </>
  )
}

function Conversations({ report }: { report: ConversationReport }) {
  const escalations = report.escalations.reduce((s, e) => s + e.count, 0)
  return (
    <div className="conversation-numbers">
      <dl className="stat-list">
        <div>
          <dt>Handed to your team</dt>
          <dd>{formatCount(escalations)}</dd>
        </div>
        <div>
          <dt>First reply from your team (typical · slowest 10 %)</dt>
          <dd>
            {formatDuration(report.firstHumanReply.p50Seconds)} ·{' '}
            {formatDuration(report.firstHumanReply.p90Seconds)}
          </dd>
        </div>
        <div>
          <dt>Time to resolve (typical · slowest 10 %)</dt>
          <dd>
            {formatDuration(report.resolution.p50Seconds)} · {formatDuration(report.resolution.p90Seconds)}
          </dd>
        </div>
        <div>
          <dt>Nobody picked up in time</dt>
          <dd>{formatCount(report.unclaimedTimeouts)}</dd>
        </div>
        <div>
          <dt>Shoppers who unsubscribed</dt>
          <dd>{formatCount(report.optOuts)}</dd>
        </div>
        <div>
          <dt>Shoppers who blocked the bot</dt>
          <dd>{formatCount(report.unreachableContacts)}</dd>
        </div>
        {report.aiAnswers && (report.aiAnswers.attempts > 0 || report.aiAnswers.intentChecks > 0) ? (
          <div>
            <dt>AI (answered by AI · from the catalogue instead · replies read for their meaning · cost)</dt>
            <dd>
              {formatCount(report.aiAnswers.answered)} · {formatCount(report.aiAnswers.fallbacks)} ·{' '}
              {formatCount(report.aiAnswers.intentChecks)} ·{' '}
              {new Intl.NumberFormat(undefined, {
                style: 'currency',
                currency: report.aiAnswers.currency,
                maximumFractionDigits: 4,
              }).format(report.aiAnswers.cost)}
            </dd>
          </div>
        ) : null}
      </dl>
      {report.escalations.length > 0 ? (
        <table className="analytics-table">
          <thead>
            <tr>
              <th scope="col">Team queue</th>
              <th scope="col">Conversations handed over</th>
            </tr>
          </thead>
          <tbody>
            {report.escalations.map((e) => (
              <tr key={e.queue ?? ''}>
                <td>{e.queue ?? 'General'}</td>
                <td>{formatCount(e.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  )
}
