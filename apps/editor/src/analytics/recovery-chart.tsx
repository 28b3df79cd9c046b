// Recovered carts (bars) and recovered revenue (a line per currency) by day, drawn with recharts.
import type { RecoveryDay } from '@parley/api'
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { dayLabel, formatMoney } from './analytics-words.ts'

const LINE_COLOURS = ['#067647', '#b54708', '#0ea5e9', '#ec4899']

export function RecoveryChart({ days }: { days: RecoveryDay[] }) {
  const currencies = [...new Set(days.flatMap((d) => d.revenue.map((m) => m.currency)))].sort()
  const rows = days.map((d) => ({
    date: d.date,
    recovered: d.recoveredByParley,
    ...Object.fromEntries(currencies.map((c) => [c, d.revenue.find((m) => m.currency === c)?.amount ?? 0])),
  }))
  const summary = `${days.reduce((s, d) => s + d.recoveredByParley, 0)} carts recovered over ${days.length} days`
  return (
    <figure className="recovery-chart" aria-label={summary}>
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e4e7ec" vertical={false} />
          <XAxis dataKey="date" tickFormatter={dayLabel} tick={{ fontSize: 12 }} minTickGap={16} />
          <YAxis yAxisId="carts" allowDecimals={false} tick={{ fontSize: 12 }} width={32} />
          {currencies.length > 0 ? (
            <YAxis yAxisId="money" orientation="right" tick={{ fontSize: 12 }} width={56} />
          ) : null}
          <Tooltip
            labelFormatter={(label) => dayLabel(String(label))}
            formatter={(value, name) =>
              currencies.includes(String(name))
                ? [formatMoney({ currency: String(name), amount: Number(value) }), `Revenue (${name})`]
                : [String(value), 'Carts recovered']
            }
          />
          <Legend
            formatter={(name) =>
              currencies.includes(String(name)) ? `Revenue (${name})` : 'Carts recovered'
            }
          />
          <Bar
            yAxisId="carts"
            dataKey="recovered"
            fill="#4f46e5"
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
          {currencies.map((c, i) => (
            <Line
              key={c}
              yAxisId="money"
              type="monotone"
              dataKey={c}
              stroke={LINE_COLOURS[i % LINE_COLOURS.length]}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  )
}
