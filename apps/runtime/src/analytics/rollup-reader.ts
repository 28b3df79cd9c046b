// Reads the hourly rollup (migration 202611300630, kept by triggers) grouped into days of the merchant's zone.
import { sql } from 'kysely'
import type { Db } from '../engine/step-transaction.ts'
import type { ResolvedPeriod } from './report-period.ts'

export interface RollupRow {
  /** 'YYYY-MM-DD' in the period's zone. */
  day: string
  metric: string
  dim: string
  n: number
  amount: number
}

/**
 * @example await readRollup(db, merchantId, period, ['recovery.sent', 'template.cost'])
 */
export async function readRollup(
  db: Db,
  merchantId: string,
  period: ResolvedPeriod,
  metrics: readonly string[],
  options: { dimPrefix?: string } = {},
): Promise<RollupRow[]> {
  let query = db
    .selectFrom('analytics_hourly')
    .select([
      sql<string>`to_char(hour at time zone ${period.timezone}, 'YYYY-MM-DD')`.as('day'),
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
  const rows = await query.groupBy(['day', 'metric', 'dim']).execute()
  return rows.map((r) => ({
    day: r.day,
    metric: r.metric,
    dim: r.dim,
    n: Number(r.n),
    amount: Number(r.amount),
  }))
}
