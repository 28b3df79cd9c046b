// Reads the hourly rollups (analytics_hourly, migration 202611300630; analytics_episodes_hourly, 202611300900;
// both kept by triggers) grouped into days of the merchant's zone. Every report reads these instead of source rows.
import { sql } from 'kysely'
import type { Db } from '../engine/step-transaction.ts'
import type { ResolvedPeriod } from './report-period.ts'

export interface RollupRow {
  /** 'YYYY-MM-DD' in the period's zone ('' with `byDay: false`). */
  day: string
  metric: string
  dim: string
  n: number
  amount: number
}

/**
 * Sums per day, metric and dim; `byDay: false` sums over the whole period (cheaper: no zone conversion per row).
 * @example await readRollup(db, merchantId, period, ['recovery.sent', 'template.cost'])
 */
export async function readRollup(
  db: Db,
  merchantId: string,
  period: ResolvedPeriod,
  metrics: readonly string[],
  options: { dimPrefix?: string; byDay?: boolean } = {},
): Promise<RollupRow[]> {
  const byDay = options.byDay ?? true
  let query = db
    .selectFrom('analytics_hourly')
    .select([
      (byDay ? sql<string>`to_char(hour at time zone ${period.timezone}, 'YYYY-MM-DD')` : sql<string>`''`).as(
        'day',
      ),
      'metric',
      'dim',
      sql<string>`sum(n)`.as('n'),
      sql<string>`sum(amount)`.as('amount'),
    ])
    .where('merchant_id', '=', merchantId)
    .where('metric', 'in', [...metrics])
    .where('hour', '>=', period.start)
    .where('hour', '<', period.end)
  if (options.dimPrefix)
    query = query.where('dim', 'like', `${options.dimPrefix.replace(/[%_\\]/g, '\\$&')}%`)
  const rows = await query.groupBy(byDay ? ['day', 'metric', 'dim'] : ['metric', 'dim']).execute()
  return rows.map((r) => ({
    day: r.day,
    metric: r.metric,
    dim: r.dim,
    n: Number(r.n),
    amount: Number(r.amount),
  }))
}

export interface EpisodeRollupRow {
  /** 'YYYY-MM-DD' in the period's zone: the day the carts were abandoned. */
  day: string
  /** The orders' currency; '' for episodes without an order. */
  currency: string
  abandoned: number
  inHoldout: number
  messaged: number
  /** Credited: recovered and not holdout. */
  recovered: number
  withoutMessages: number
  controlOrdered: number
  messagedOrdered: number
  creditedRevenue: number
  messagedRevenue: number
}

/**
 * Abandonment episodes of the period per day of abandonment and order currency, from their hourly rollup
 * (migration 202611300900, kept by triggers on cart_episodes).
 * @example await readEpisodeRollup(db, merchantId, period)
 */
export async function readEpisodeRollup(
  db: Db,
  merchantId: string,
  period: ResolvedPeriod,
): Promise<EpisodeRollupRow[]> {
  const rows = await db
    .selectFrom('analytics_episodes_hourly')
    .select([
      sql<string>`to_char(hour at time zone ${period.timezone}, 'YYYY-MM-DD')`.as('day'),
      'currency',
      sql<string>`sum(abandoned)`.as('abandoned'),
      sql<string>`sum(in_holdout)`.as('in_holdout'),
      sql<string>`sum(messaged)`.as('messaged'),
      sql<string>`sum(recovered)`.as('recovered'),
      sql<string>`sum(without_messages)`.as('without_messages'),
      sql<string>`sum(control_ordered)`.as('control_ordered'),
      sql<string>`sum(messaged_ordered)`.as('messaged_ordered'),
      sql<string>`sum(credited_revenue)`.as('credited_revenue'),
      sql<string>`sum(messaged_revenue)`.as('messaged_revenue'),
    ])
    .where('merchant_id', '=', merchantId)
    .where('hour', '>=', period.start)
    .where('hour', '<', period.end)
    .groupBy(['day', 'currency'])
    .execute()
  return rows.map((r) => ({
    day: r.day,
    currency: r.currency,
    abandoned: Number(r.abandoned),
    inHoldout: Number(r.in_holdout),
    messaged: Number(r.messaged),
    recovered: Number(r.recovered),
    withoutMessages: Number(r.without_messages),
    controlOrdered: Number(r.control_ordered),
    messagedOrdered: Number(r.messaged_ordered),
    creditedRevenue: Number(r.credited_revenue),
    messagedRevenue: Number(r.messaged_revenue),
  }))
}
