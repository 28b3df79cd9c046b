// The cart-recovery report (README "How recovery is counted"): per day of the merchant's zone and in total, carts
// abandoned (by the day they were abandoned: abandonment episodes), the message funnel, carts recovered by Parley
// and their revenue, template cost, cost per recovered cart and ROI; the previous period's totals; and the holdout
// comparison. Reads only rollup rows: analytics_episodes_hourly (episodes, kept by triggers on cart_episodes) and
// analytics_hourly (the message funnel and template cost).
import type {
  Money,
  RecoveryCounts,
  RecoveryDay,
  RecoveryLift,
  RecoveryReport,
  RecoveryTotals,
} from '@parley/api'
import type { Db } from '../engine/step-transaction.ts'
import { computeLift, type RevenueByCurrency } from './lift.ts'
import { datesOf, publicPeriod, type ResolvedPeriod } from './report-period.ts'
import { readEpisodeRollup, readRollup } from './rollup-reader.ts'

const FUNNEL_METRICS = {
  'recovery.sent': 'sent',
  'recovery.delivered': 'delivered',
  'recovery.read': 'read',
  'recovery.clicked': 'clicked',
  'recovery.replied': 'replied',
} as const

export interface GroupCounts {
  carts: number
  ordered: number
  /** The group's ordered carts per currency: how many and their total. */
  revenue: RevenueByCurrency[]
}

interface PeriodNumbers {
  days: RecoveryDay[]
  totals: RecoveryTotals
  messagedGroup: GroupCounts
  controlGroup: GroupCounts
}

const round2 = (n: number) => Math.round(n * 100) / 100

function emptyCounts(): RecoveryCounts {
  return {
    abandoned: 0,
    inHoldout: 0,
    messaged: 0,
    sent: 0,
    delivered: 0,
    read: 0,
    clicked: 0,
    replied: 0,
    recoveredByParley: 0,
    recoveredWithoutMessages: 0,
    revenue: [],
    templateCost: [],
  }
}

function addMoney(list: Money[], currency: string, amount: number): void {
  const found = list.find((m) => m.currency === currency)
  if (found) found.amount = round2(found.amount + amount)
  else list.push({ currency, amount: round2(amount) })
  list.sort((a, b) => a.currency.localeCompare(b.currency))
}

async function periodNumbers(db: Db, merchantId: string, period: ResolvedPeriod): Promise<PeriodNumbers> {
  // Rollup rows only (a 90-day period is ~2,200 hours): episodes by the hour they were abandoned and the message
  // funnel by the hour it happened, both kept by triggers in the writers' transactions.
  const [episodes, rollup] = await Promise.all([
    readEpisodeRollup(db, merchantId, period),
    readRollup(db, merchantId, period, [...Object.keys(FUNNEL_METRICS), 'template.cost']),
  ])

  const byDay = new Map(datesOf(period).map((date) => [date, { date, ...emptyCounts() } as RecoveryDay]))
  const dayOf = (date: string) => byDay.get(date)
  const messagedGroup: GroupCounts = { carts: 0, ordered: 0, revenue: [] }
  const controlGroup: GroupCounts = { carts: 0, ordered: 0, revenue: [] }
  for (const row of episodes) {
    const d = dayOf(row.day)
    if (!d) continue
    d.abandoned += row.abandoned
    d.inHoldout += row.inHoldout
    d.messaged += row.messaged
    d.recoveredByParley += row.recovered
    d.recoveredWithoutMessages += row.withoutMessages
    controlGroup.carts += row.inHoldout
    controlGroup.ordered += row.controlOrdered
    messagedGroup.carts += row.abandoned - row.inHoldout
    messagedGroup.ordered += row.messagedOrdered
    if (row.currency === '') continue
    // Revenue per currency: credited on the day, and the messaged group's orders for the lift.
    if (row.creditedRevenue > 0) addMoney(d.revenue, row.currency, row.creditedRevenue)
    if (row.messagedOrdered > 0) {
      const group = messagedGroup.revenue.find((r) => r.currency === row.currency)
      if (group) {
        group.orders += row.messagedOrdered
        group.amount += row.messagedRevenue
      } else
        messagedGroup.revenue.push({
          currency: row.currency,
          orders: row.messagedOrdered,
          amount: row.messagedRevenue,
        })
    }
  }
  const costByCategory = new Map<string, RecoveryTotals['templateCostByCategory'][number]>()
  for (const row of rollup) {
    const d = dayOf(row.day)
    if (!d) continue
    if (row.metric === 'template.cost') {
      const [category = 'service', currency = 'USD'] = row.dim.split(' ')
      addMoney(d.templateCost, currency, row.amount)
      const key = `${category} ${currency}`
      const entry = costByCategory.get(key) ?? { category, currency, amount: 0, messages: 0 }
      entry.amount = round2(entry.amount + row.amount)
      entry.messages += row.n
      costByCategory.set(key, entry)
    } else {
      const field = FUNNEL_METRICS[row.metric as keyof typeof FUNNEL_METRICS]
      if (field) d[field] += row.n
    }
  }

  const days = [...byDay.values()]
  const totals = sumDays(days)
  return {
    days,
    messagedGroup,
    controlGroup,
    totals: {
      ...totals,
      recoveryRate:
        totals.abandoned - totals.inHoldout > 0
          ? totals.recoveredByParley / (totals.abandoned - totals.inHoldout)
          : 0,
      templateCostByCategory: [...costByCategory.values()].sort(
        (a, b) => a.category.localeCompare(b.category) || a.currency.localeCompare(b.currency),
      ),
      costPerRecoveredCart:
        totals.recoveredByParley > 0
          ? totals.templateCost.map((m) => ({
              currency: m.currency,
              amount: round2(m.amount / totals.recoveredByParley),
            }))
          : [],
      roi: totals.templateCost
        .filter((m) => m.amount > 0)
        .map((cost) => {
          const earned = totals.revenue.find((r) => r.currency === cost.currency)?.amount ?? 0
          return { currency: cost.currency, value: round2((earned - cost.amount) / cost.amount) }
        }),
    },
  }
}

function sumDays(days: RecoveryDay[]): RecoveryCounts {
  const total = emptyCounts()
  for (const d of days) {
    for (const key of [
      'abandoned',
      'inHoldout',
      'messaged',
      'sent',
      'delivered',
      'read',
      'clicked',
      'replied',
      'recoveredByParley',
      'recoveredWithoutMessages',
    ] as const)
      total[key] += d[key]
    for (const m of d.revenue) addMoney(total.revenue, m.currency, m.amount)
    for (const m of d.templateCost) addMoney(total.templateCost, m.currency, m.amount)
  }
  return total
}

/** Both groups' order rates and the incremental lift with its 95 % interval, in numbers and words (lift.ts). */
function holdoutLift(messaged: GroupCounts, control: GroupCounts): RecoveryLift {
  const lift = computeLift({ messaged, control, messagedRevenue: messaged.revenue })
  const rated =
    lift.incrementalRate !== null && lift.verdict !== 'too_few_carts' && lift.verdict !== 'no_control_group'
  return {
    messagedGroup: { carts: messaged.carts, ordered: messaged.ordered, rate: lift.messagedRate ?? 0 },
    controlGroup: { carts: control.carts, ordered: control.ordered, rate: lift.controlRate ?? 0 },
    verdict: lift.verdict,
    incremental:
      rated && lift.incrementalRate
        ? {
            rate: lift.incrementalRate.estimate,
            rateLow: lift.incrementalRate.low,
            rateHigh: lift.incrementalRate.high,
            revenue: lift.incrementalRevenue.map((r) => ({
              currency: r.currency,
              amount: round2(r.estimate),
              low: round2(r.low),
              high: round2(r.high),
            })),
          }
        : null,
    summary: lift.summary,
  }
}

/**
 * @example await recoveryReport(db, merchantId, await resolvePeriods(db, merchantId, { from: '2026-11-01' }, now))
 */
export async function recoveryReport(
  db: Db,
  merchantId: string,
  periods: { current: ResolvedPeriod; previous: ResolvedPeriod },
): Promise<RecoveryReport> {
  const [current, previous] = await Promise.all([
    periodNumbers(db, merchantId, periods.current),
    periodNumbers(db, merchantId, periods.previous),
  ])
  return {
    period: publicPeriod(periods.current),
    previousPeriod: publicPeriod(periods.previous),
    totals: current.totals,
    previousTotals: previous.totals,
    days: current.days,
    lift: holdoutLift(current.messagedGroup, current.controlGroup),
  }
}
