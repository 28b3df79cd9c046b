// Each live flow's key number for the flows list: a cart-recovery flow's carts recovered and their revenue
// (credited episodes whose first message its run sent), any other flow's runs finished — last 30 days.
// Whole hours come from the rollup (analytics_hourly: episode.recovered, run.ended, kept by triggers); the part of
// an hour the 30 days start in comes from the source rows by index (cart_episodes_report_idx, runs_ended_idx), so
// the numbers are exactly those of the rows.
import type { FlowKeyNumbers, Money } from '@parley/api'
import { sql } from 'kysely'
import type { Db } from '../engine/step-transaction.ts'

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR
export const KEY_NUMBER_DAYS = 30

interface Tally {
  recovered: number
  /** Credited carts and revenue per currency. */
  revenue: Map<string, { carts: number; amount: number }>
  runsFinished: number
}

export async function flowKeyNumbers(db: Db, merchantId: string, now: number): Promise<FlowKeyNumbers> {
  const since = new Date(now - KEY_NUMBER_DAYS * DAY)
  const firstWholeHour = new Date(Math.ceil(since.getTime() / HOUR) * HOUR)
  const [live, rollup, edgeEpisodes, edgeRuns] = await Promise.all([
    db
      .selectFrom('flows')
      .innerJoin('flow_versions', (j) =>
        j
          .onRef('flow_versions.merchant_id', '=', 'flows.merchant_id')
          .onRef('flow_versions.id', '=', 'flows.published_version_id'),
      )
      .select(['flows.id', 'flow_versions.trigger_kinds'])
      .where('flows.merchant_id', '=', merchantId)
      .where('flows.deleted_at', 'is', null)
      .execute(),
    db
      .selectFrom('analytics_hourly')
      .select(['metric', 'dim', sql<string>`sum(n)`.as('n'), sql<string>`sum(amount)`.as('amount')])
      .where('merchant_id', '=', merchantId)
      .where('metric', 'in', ['episode.recovered', 'run.ended'])
      .where('hour', '>=', firstWholeHour)
      .groupBy(['metric', 'dim'])
      .execute(),
    db
      .selectFrom('cart_episodes')
      .select([
        'flow_id',
        'order_currency',
        sql<string>`count(*)`.as('n'),
        sql<string>`coalesce(sum(order_total), 0)`.as('amount'),
      ])
      .where('merchant_id', '=', merchantId)
      .where('abandoned_at', '>=', since)
      .where('abandoned_at', '<', firstWholeHour)
      .where('status', '=', 'recovered')
      .where('holdout', '=', false)
      .where('flow_id', 'is not', null)
      .groupBy(['flow_id', 'order_currency'])
      .execute(),
    db
      .selectFrom('runs')
      .select(['flow_id', sql<string>`count(*)`.as('n')])
      .where('merchant_id', '=', merchantId)
      .where('ended_at', '>=', since)
      .where('ended_at', '<', firstWholeHour)
      .groupBy('flow_id')
      .execute(),
  ])

  const tallies = new Map<string, Tally>()
  const tally = (flowId: string) => {
    let t = tallies.get(flowId)
    if (!t) {
      t = { recovered: 0, revenue: new Map(), runsFinished: 0 }
      tallies.set(flowId, t)
    }
    return t
  }
  const addRecovered = (flowId: string, currency: string, n: number, amount: number) => {
    const t = tally(flowId)
    t.recovered += n
    if (!currency) return
    const sum = t.revenue.get(currency) ?? { carts: 0, amount: 0 }
    t.revenue.set(currency, { carts: sum.carts + n, amount: sum.amount + amount })
  }
  for (const row of rollup) {
    // dims: 'flow currency' (episode.recovered), 'flow version outcome' (run.ended).
    const flowId = row.dim.slice(0, row.dim.indexOf(' '))
    if (row.metric === 'episode.recovered')
      addRecovered(flowId, row.dim.slice(flowId.length + 1), Number(row.n), Number(row.amount))
    else tally(flowId).runsFinished += Number(row.n)
  }
  for (const row of edgeEpisodes)
    addRecovered(row.flow_id as string, row.order_currency ?? '', Number(row.n), Number(row.amount))
  for (const row of edgeRuns) tally(row.flow_id).runsFinished += Number(row.n)

  return {
    flows: live.map((flow) => {
      const t = tallies.get(flow.id)
      const revenue: Money[] = [...(t?.revenue ?? [])]
        .filter(([, sum]) => sum.carts > 0)
        .map(([currency, sum]) => ({ currency, amount: Math.round(sum.amount * 100) / 100 }))
        .sort((a, b) => a.currency.localeCompare(b.currency))
      return {
        flowId: flow.id,
        kind: flow.trigger_kinds.includes('cart.abandoned') ? ('revenue' as const) : ('runs' as const),
        recovered: t?.recovered ?? 0,
        revenue,
        runsFinished: t?.runsFinished ?? 0,
      }
    }),
  }
}
