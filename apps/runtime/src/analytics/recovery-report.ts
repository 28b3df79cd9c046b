// The cart-recovery report (the product brief's numbers): carts abandoned, messages sent, carts recovered,
// recovery rate, recovered revenue, template cost and skipped sends by reason, for one merchant and period.
// Abandoned and recovered count abandonment episodes (commerce/abandonment-episodes.ts) that began in the period;
// recovered = credited to Parley (README "How recovery is counted"): status recovered, not in the holdout.
import { sql } from 'kysely'
import type { Db } from '../engine/step-transaction.ts'

export interface RecoveryReport {
  from: string
  to: string
  /** Abandonment episodes that began in the period (a cart abandoned twice counts twice). */
  cartsAbandoned: number
  /** Bot messages of cart-recovery runs that reached the provider. */
  messagesSent: number
  /** Episodes credited to Parley: ordered after a recovery message, within the attribution window. */
  cartsRecovered: number
  /** cartsRecovered / cartsAbandoned, 0–1 (0 when nothing was abandoned). */
  recoveryRate: number
  recoveredRevenue: { currency: string; amount: number }[]
  /** WhatsApp template spend of messages sent in the period. */
  templateCost: { currency: string; amount: number }[]
  /** Sends policy skipped, by reason (opted_out, outside_window_no_template, frequency_cap, ...). */
  skippedSends: Record<string, number>
}

const SENT = ['sent', 'delivered', 'read'] as const

/**
 * @example await recoveryReport(db, merchantId, { from: new Date(now - 30 * DAY), to: new Date(now) })
 */
export async function recoveryReport(
  db: Db,
  merchantId: string,
  period: { from: Date; to: Date },
): Promise<RecoveryReport> {
  const { from, to } = period
  const [carts, revenue, sent, cost, skipped] = await Promise.all([
    db
      .selectFrom('cart_episodes')
      .select([
        (eb) => eb.fn.countAll<number>().as('abandoned'),
        sql<number>`count(*) filter (where status = 'recovered' and not holdout)`.as('recovered'),
      ])
      .where('merchant_id', '=', merchantId)
      .where('abandoned_at', '>=', from)
      .where('abandoned_at', '<', to)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('cart_episodes')
      .select(['order_currency as currency', sql<string>`sum(order_total)`.as('amount')])
      .where('merchant_id', '=', merchantId)
      .where('status', '=', 'recovered')
      .where('holdout', '=', false)
      .where('abandoned_at', '>=', from)
      .where('abandoned_at', '<', to)
      .groupBy('order_currency')
      .orderBy('order_currency')
      .execute(),
    db
      .selectFrom('messages')
      .innerJoin('runs', (join) =>
        join.onRef('runs.merchant_id', '=', 'messages.merchant_id').onRef('runs.id', '=', 'messages.run_id'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('messages.merchant_id', '=', merchantId)
      .where('runs.trigger_kind', '=', 'cart.abandoned')
      .where('messages.direction', '=', 'out')
      .where('messages.author', '=', 'bot')
      .where('messages.status', 'in', [...SENT])
      .where('messages.created_at', '>=', from)
      .where('messages.created_at', '<', to)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('messages')
      .select(['cost_currency', sql<string>`sum(cost)`.as('amount')])
      .where('merchant_id', '=', merchantId)
      .where('status', 'in', [...SENT])
      .where('cost', '>', '0')
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .groupBy('cost_currency')
      .orderBy('cost_currency')
      .execute(),
    db
      .selectFrom('messages')
      .select(['skip_reason', (eb) => eb.fn.countAll<number>().as('n')])
      .where('merchant_id', '=', merchantId)
      .where('status', '=', 'skipped')
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .groupBy('skip_reason')
      .execute(),
  ])
  const abandoned = Number(carts.abandoned)
  const recovered = Number(carts.recovered)
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    cartsAbandoned: abandoned,
    messagesSent: Number(sent.n),
    cartsRecovered: recovered,
    recoveryRate: abandoned === 0 ? 0 : recovered / abandoned,
    recoveredRevenue: revenue.map((r) => ({ currency: r.currency ?? 'USD', amount: Number(r.amount) })),
    templateCost: cost.map((r) => ({ currency: r.cost_currency ?? 'USD', amount: Number(r.amount) })),
    skippedSends: Object.fromEntries(skipped.map((r) => [r.skip_reason ?? 'unknown', Number(r.n)])),
  }
}
