// Each live flow's key number for the flows list: a cart-recovery flow's carts recovered and their revenue
// (credited episodes whose first message its run sent), any other flow's runs finished — last 30 days.
import type { FlowKeyNumbers, Money } from '@parley/api'
import { sql } from 'kysely'
import type { Db } from '../engine/step-transaction.ts'

const DAY = 24 * 60 * 60 * 1000
export const KEY_NUMBER_DAYS = 30

export async function flowKeyNumbers(db: Db, merchantId: string, now: number): Promise<FlowKeyNumbers> {
  const since = new Date(now - KEY_NUMBER_DAYS * DAY)
  const [live, recovered, finished] = await Promise.all([
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
      .selectFrom('cart_episodes')
      .select([
        'flow_id',
        'order_currency',
        sql<string>`count(*)`.as('n'),
        sql<string>`coalesce(sum(order_total), 0)`.as('amount'),
      ])
      .where('merchant_id', '=', merchantId)
      .where('abandoned_at', '>=', since)
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
      .groupBy('flow_id')
      .execute(),
  ])
  const finishedBy = new Map(finished.map((r) => [r.flow_id, Number(r.n)]))
  return {
    flows: live.map((flow) => {
      const mine = recovered.filter((r) => r.flow_id === flow.id)
      const revenue: Money[] = mine
        .filter((r) => r.order_currency)
        .map((r) => ({
          currency: r.order_currency as string,
          amount: Math.round(Number(r.amount) * 100) / 100,
        }))
        .sort((a, b) => a.currency.localeCompare(b.currency))
      return {
        flowId: flow.id,
        kind: flow.trigger_kinds.includes('cart.abandoned') ? ('revenue' as const) : ('runs' as const),
        recovered: mine.reduce((sum, r) => sum + Number(r.n), 0),
        revenue,
        runsFinished: finishedBy.get(flow.id) ?? 0,
      }
    }),
  }
}
