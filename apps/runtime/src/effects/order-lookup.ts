// The `order.lookup` effect, answered from our own orders table inside the step: by the number the shopper
// gave, or the contact's latest order. Only the shopper's own orders are revealed: placed by this contact, or
// by a contact with the same email or phone (the shopper writing on WhatsApp who ordered with that number on
// Shopify). Another shopper's order, or a guest order matched to no one, is "not found" — the same rule as
// `findOrder` in packages/flow, which the simulator applies to its world's orders.
import type { Database, Order } from '@parley/db'
import { normaliseOrderNumber, orderDisplayName, orderStatusText, returnWindow } from '@parley/flow'
import { type Kysely, sql } from 'kysely'
import { phoneDigitsSql } from '../contacts/contact-repository.ts'

export interface OrderView {
  id: string
  number: string
  /** How the shopper knows it (#1004). */
  name: string
  status: string
  total: number
  currency: string
  items: unknown[]
  trackingNumber: string | null
  carrier: string | null
  trackingUrl: string | null
  shippedAt: string | null
  deliveredAt: string | null
  createdAt: string
  /** Inside the merchant's return window (counted from delivery, else shipping, else the order). */
  returnable: boolean
  returnBy: string
  /** Whole days since the carrier reported it delivered; null before that. */
  daysSinceDelivery: number | null
}

/** The order as flows read it (`order.*`), with its return window as of `now`. */
export function orderView(order: Order, returns: { windowDays: number; now: number }): OrderView {
  const createdAt = order.created_at.toISOString()
  const shippedAt = order.shipped_at ? order.shipped_at.toISOString() : null
  const deliveredAt = order.delivered_at ? order.delivered_at.toISOString() : null
  return {
    id: order.id,
    number: order.number,
    name: orderDisplayName(order.number),
    status: orderStatusText(order.status),
    total: Number(order.total),
    currency: order.currency,
    items: order.items,
    trackingNumber: order.tracking_number,
    carrier: order.tracking_carrier,
    trackingUrl: order.tracking_url,
    shippedAt,
    deliveredAt,
    createdAt,
    ...returnWindow({ createdAt, shippedAt, deliveredAt }, returns.windowDays, returns.now),
  }
}

export async function lookupOrder(
  db: Kysely<Database>,
  merchantId: string,
  contactId: string,
  orderNumber: string | undefined,
  now: number,
): Promise<OrderView | null> {
  // The contacts who are this shopper: the one asking, and any other with their email or phone.
  const sameShopper = db
    .selectFrom('contacts as other')
    .innerJoin('contacts as me', (join) =>
      join.onRef('me.merchant_id', '=', 'other.merchant_id').on('me.id', '=', contactId),
    )
    .select('other.id')
    .where('other.merchant_id', '=', merchantId)
    .where((eb) =>
      eb.or([
        eb('other.id', '=', contactId),
        eb.and([eb('me.email', 'is not', null), eb(sql`lower(other.email)`, '=', sql`lower(me.email)`)]),
        // The digits too, so contacts_phone_digits_idx finds the few candidates the exact match filters.
        eb.and([
          eb('me.phone', 'is not', null),
          eb(phoneDigitsSql('other.phone'), '=', phoneDigitsSql('me.phone')),
          eb('other.phone', '=', eb.ref('me.phone')),
        ]),
      ]),
    )
  let query = db
    .selectFrom('orders')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('contact_id', 'in', sameShopper)
  if (orderNumber !== undefined && orderNumber.trim() !== '') {
    const n = normaliseOrderNumber(orderNumber)
    query = query.where('number', 'in', [n, `#${n}`])
  }
  const order = await query.orderBy('created_at', 'desc').executeTakeFirst()
  if (!order) return null
  const merchant = await db
    .selectFrom('merchants')
    .select('return_window_days')
    .where('id', '=', merchantId)
    .executeTakeFirstOrThrow()
  return orderView(order, { windowDays: merchant.return_window_days, now })
}
